import type { RecordedCall } from './sdk-call-log';

/** One request IAM authorizes: an action on a resource, with the context keys the service adds. */
export interface IamRequest {
  readonly action: string;
  /** An ARN with `{partition}`, `{region}` and `{account}` placeholders, or `*`. */
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const obj = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/**
 * Replaces the emulator's account and region with placeholders, and its random ids with fixed ones, so a
 * request can be recorded once and replayed in any account, region and partition.
 */
export function templated(arn: string, account: string, region: string): string {
  return arn
    .replace(/^arn:aws:/, 'arn:{partition}:')
    .replaceAll(`:${region}:`, ':{region}:')
    .replaceAll(`:${account}:`, ':{account}:')
    .replace(/\/restapis\/[a-z0-9]+/, '/restapis/a1b2c3d4e5')
    .replace(/(\/aws\/apigateway\/access-logs\/)[a-z0-9]+/, '$1a1b2c3d4e5')
    .replace(/(:key\/)[0-9a-f-]{36}$/, '$11234abcd-12ab-34cd-56ef-1234567890ab')
    .replace(/(\/webacl\/[^/]+\/)[0-9a-f-]{36}$/, '$1a1b2c3d4-5678-90ab-cdef-EXAMPLE11111')
    .replace(/(:secret:.+-)[A-Za-z0-9]{6}$/, '$1AbCdEf')
    .replace(/(:stack\/[^/]+\/)[0-9a-f-]{36}$/, '$1a1b2c3d4-5678-90ab-cdef-EXAMPLE22222');
}

export function filled(arn: string, target: { partition: string; region: string; account: string }): string {
  return arn.replaceAll('{partition}', target.partition).replaceAll('{region}', target.region).replaceAll('{account}', target.account);
}

/**
 * The KMS keys behind the resources calls touch (templated ARNs): `secrets` fills in as CreateSecret calls
 * name their key; `tables` is what the emulator says each table is encrypted with.
 */
export interface KnownKeys {
  readonly secrets: Map<string, string>;
  readonly tables: ReadonlyMap<string, string>;
  /** IAM role ARNs (with their paths) by role name, as GetRole and ListRoles answer them: calls name a role by name only. */
  readonly roles?: Map<string, string>;
}

/** DynamoDB operations on items, for which DynamoDB uses a customer managed table key in the caller's name. */
const DYNAMODB_DATA = /^(GetItem|PutItem|UpdateItem|DeleteItem|Query|Scan|BatchGetItem|BatchWriteItem|TransactGetItems|TransactWriteItems)$/;

/**
 * The IAM requests an SDK call makes, as AWS's service authorization reference lists them: the
 * action on the resource named by the call, plus the other actions some operations also require
 * (GetWebACLForResource needs wafv2:GetWebACL on the associated ACL; associating a web ACL with a stage
 * needs apigateway:SetWebACL; CreateSecret with tags needs secretsmanager:TagResource; a secret under a KMS
 * key needs that key through Secrets Manager, with aws/secretsmanager when the secret names none; an item
 * operation on a table under a customer managed key needs kms:Decrypt on it through DynamoDB).
 */
export function iamRequestsOf(
  call: RecordedCall,
  account: string,
  region: string,
  keys: KnownKeys = { secrets: new Map(), tables: new Map() },
): IamRequest[] {
  const t = (arn: string) => templated(arn, account, region);
  const input = call.input;
  const output = obj(call.output);
  switch (call.client) {
    case 'DynamoDB': {
      if (call.operation === 'ListTables') return [{ action: 'dynamodb:ListTables', resource: '*' }];
      const tableArn = (name: string) => `arn:aws:dynamodb:${region}:${account}:table/${name}`;
      // Transactions and batches name their tables per item; IAM authorizes each table, per item action.
      const perItem = [...(Array.isArray(input['TransactItems']) ? (input['TransactItems'] as unknown[]) : [])].flatMap((item) =>
        Object.entries(obj(item)).map(([kind, body]) => ({
          action: `dynamodb:${{ Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' }[kind] ?? kind}`,
          table: str(obj(body)['TableName']) ?? '',
        })),
      );
      const batch = Object.keys(obj(input['RequestItems'])).map((table) => ({ action: `dynamodb:${call.operation}`, table }));
      const targets =
        perItem.length > 0 || batch.length > 0
          ? [...perItem, ...batch]
          : [{ action: `dynamodb:${call.operation}`, table: str(input['TableName']) ?? '' }];
      return targets.flatMap(({ action, table }) => {
        const arn = t(str(input['ResourceArn']) ?? tableArn(table));
        const index = str(input['IndexName']);
        const key = DYNAMODB_DATA.test(call.operation) ? keys.tables.get(arn) : undefined;
        return [
          { action, resource: index ? `${arn}/index/${index}` : arn },
          ...(key
            ? [
                {
                  action: 'kms:Decrypt',
                  resource: key,
                  context: {
                    'kms:ViaService': 'dynamodb.{region}.amazonaws.com',
                    'kms:EncryptionContext:aws:dynamodb:tableName': table,
                    'kms:EncryptionContext:aws:dynamodb:subscriberId': '{account}',
                  },
                },
              ]
            : []),
        ];
      });
    }
    case 'KMS': {
      const key = str(obj(output['KeyMetadata'])['Arn']) ?? str(input['KeyId']) ?? '';
      return [{ action: `kms:${call.operation}`, resource: t(key) }];
    }
    case 'APIGateway':
      return [{ action: `apigateway:${call.method}`, resource: t(`arn:aws:apigateway:${region}::${call.path}`) }];
    case 'WAFV2': {
      const resourceArn = str(input['ResourceArn']);
      if (call.operation === 'GetWebACLForResource') {
        const associated = str(obj(output['WebACL'])['ARN']);
        return [
          { action: 'wafv2:GetWebACLForResource', resource: t(resourceArn ?? '') },
          ...(associated ? [{ action: 'wafv2:GetWebACL', resource: t(associated) }] : []),
        ];
      }
      if (call.operation === 'AssociateWebACL') {
        return [
          { action: 'wafv2:AssociateWebACL', resource: t(str(input['WebACLArn']) ?? '') },
          { action: 'wafv2:AssociateWebACL', resource: t(resourceArn ?? '') },
          { action: 'apigateway:SetWebACL', resource: t(resourceArn ?? '') },
        ];
      }
      if (call.operation === 'DisassociateWebACL') {
        return [
          { action: 'wafv2:DisassociateWebACL', resource: t(resourceArn ?? '') },
          { action: 'apigateway:SetWebACL', resource: t(resourceArn ?? '') },
        ];
      }
      if (call.operation === 'ListWebACLs')
        return [{ action: 'wafv2:ListWebACLs', resource: t(`arn:aws:wafv2:${region}:${account}:regional/webacl/*/*`) }];
      return [{ action: `wafv2:${call.operation}`, resource: t(str(input['ARN']) ?? resourceArn ?? '*') }];
    }
    case 'Lambda': {
      if (call.operation === 'ListFunctions') return [{ action: 'lambda:ListFunctions', resource: '*' }];
      const name = str(input['FunctionName']) ?? str(input['Resource']) ?? '';
      const arn = name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${account}:function:${name}`;
      return [{ action: `lambda:${call.operation}`, resource: t(arn) }];
    }
    case 'SecretsManager': {
      const id = str(output['ARN']) ?? str(input['SecretId']) ?? str(input['Name']) ?? '';
      const arn = id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${region}:${account}:secret:${id}-AbCdEf`;
      const requests: IamRequest[] = [{ action: `secretsmanager:${call.operation}`, resource: t(arn) }];
      if (call.operation === 'CreateSecret' && Array.isArray(input['Tags']))
        requests.push({ action: 'secretsmanager:TagResource', resource: t(arn) });
      // Secrets Manager uses the secret's KMS key in the caller's name (kms:ViaService), with the secret's
      // ARN as encryption context: GenerateDataKey to write a value, Decrypt to read one.
      const kmsKey = str(input['KmsKeyId']) ?? keys.secrets.get(t(arn)) ?? 'alias/aws/secretsmanager';
      if (call.operation === 'CreateSecret') keys.secrets.set(t(arn), kmsKey);
      const kmsAction = { CreateSecret: 'kms:GenerateDataKey', PutSecretValue: 'kms:GenerateDataKey', GetSecretValue: 'kms:Decrypt' }[call.operation];
      if (kmsAction) {
        const keyArn = kmsKey.startsWith('arn:')
          ? kmsKey
          : `arn:aws:kms:${region}:${account}:${kmsKey.startsWith('alias/') ? kmsKey : `key/${kmsKey}`}`;
        requests.push({
          action: kmsAction,
          resource: t(keyArn),
          context: { 'kms:ViaService': 'secretsmanager.{region}.amazonaws.com', 'kms:EncryptionContext:SecretARN': t(arn) },
        });
      }
      return requests;
    }
    case 'SQS': {
      // SQS authorizes the queue by its ARN; calls name it by URL (…/<account>/<name>) or, for GetQueueUrl, by name.
      if (call.operation === 'ListQueues') return [{ action: 'sqs:ListQueues', resource: '*' }];
      const fromUrl = /\/(\d{12})\/([^/]+)\/?$/.exec(str(input['QueueUrl']) ?? '');
      const owner = fromUrl?.[1] ?? str(input['QueueOwnerAWSAccountId']) ?? account;
      const name = fromUrl?.[2] ?? str(input['QueueName']) ?? '';
      return [{ action: `sqs:${call.operation}`, resource: t(`arn:aws:sqs:${region}:${owner}:${name}`) }];
    }
    case 'CloudWatchLogs': {
      // DescribeLogGroups has no resource-level permission; the others name the group (by name, or by ARN for tags).
      if (call.operation === 'DescribeLogGroups') return [{ action: 'logs:DescribeLogGroups', resource: '*' }];
      const arn = str(input['resourceArn']) ?? `arn:aws:logs:${region}:${account}:log-group:${str(input['logGroupName']) ?? ''}`;
      // Tags given with CreateLogGroup are authorized as logs:TagResource too.
      const tagged = call.operation === 'CreateLogGroup' && Object.keys(obj(input['tags'])).length > 0;
      return [{ action: `logs:${call.operation}`, resource: t(arn) }, ...(tagged ? [{ action: 'logs:TagResource', resource: t(arn) }] : [])];
    }
    case 'SNS': {
      if (call.operation === 'ListTopics') return [{ action: 'sns:ListTopics', resource: '*' }];
      return [{ action: `sns:${call.operation}`, resource: t(str(input['TopicArn']) ?? str(input['ResourceArn']) ?? '') }];
    }
    case 'IAM': {
      // IAM authorizes a role by its ARN, path included; calls name it by name, so the ARN comes from GetRole/ListRoles answers.
      for (const role of [obj(output['Role']), ...(Array.isArray(output['Roles']) ? (output['Roles'] as unknown[]).map(obj) : [])]) {
        const [name, arn] = [str(role['RoleName']), str(role['Arn'])];
        if (name && arn) keys.roles?.set(name, arn);
      }
      if (call.operation === 'ListRoles' || call.operation === 'GetServiceLastAccessedDetails')
        return [{ action: `iam:${call.operation}`, resource: '*' }];
      const roleName = str(input['RoleName']);
      const arn =
        str(input['PolicyArn']) ??
        str(input['Arn']) ??
        (roleName ? (keys.roles?.get(roleName) ?? `arn:aws:iam::${account}:role/${roleName}`) : `arn:aws:iam::${account}:*`);
      return [{ action: `iam:${call.operation}`, resource: t(arn) }];
    }
    case 'CloudWatch':
      // CloudWatch's metric reads have no resource-level permission.
      return [{ action: `cloudwatch:${call.operation}`, resource: '*' }];
    case 'CloudFormation': {
      // Authorized on the stack that holds the resource: by name in the request, else as the answer names it.
      const stackId =
        str(obj(output['StackResourceDetail'])['StackId']) ??
        str(obj((output['StackResources'] as unknown[] | undefined)?.[0])['StackId']) ??
        `arn:aws:cloudformation:${region}:${account}:stack/${str(input['StackName']) ?? '*'}/*`;
      return [{ action: `cloudformation:${call.operation}`, resource: t(stackId) }];
    }
    case 'STS':
      return call.operation === 'GetCallerIdentity' ? [] : [{ action: `sts:${call.operation}`, resource: t(str(input['RoleArn']) ?? '*') }];
    case 'SFN':
      return [{ action: `states:${call.operation}`, resource: t(str(input['stateMachineArn']) ?? str(input['executionArn']) ?? '*') }];
    default:
      throw new Error(`no IAM mapping for ${call.client}.${call.operation}: add one to test/support/iam-requests.ts`);
  }
}

/** Every distinct IAM request per caller, sorted: what the IAM layer must prove allowed. */
export function inventoryOf(
  calls: readonly RecordedCall[],
  account: string,
  region: string,
  known: { tableKeys?: ReadonlyMap<string, string> } = {},
): Record<string, IamRequest[]> {
  const byCaller = new Map<string, Map<string, IamRequest>>();
  const keys: KnownKeys = { secrets: new Map(), tables: known.tableKeys ?? new Map(), roles: new Map() };
  for (const call of calls) {
    const requests = byCaller.get(call.caller) ?? new Map<string, IamRequest>();
    for (const request of iamRequestsOf(call, account, region, keys))
      requests.set(`${request.action} ${request.resource} ${JSON.stringify(request.context ?? {})}`, request);
    byCaller.set(call.caller, requests);
  }
  return Object.fromEntries(
    [...byCaller.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([caller, requests]) => [caller, [...requests.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, request]) => request)]),
  );
}
