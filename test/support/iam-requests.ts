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
    .replace(/(:key\/)[0-9a-f-]{36}$/, '$11234abcd-12ab-34cd-56ef-1234567890ab')
    .replace(/(\/webacl\/[^/]+\/)[0-9a-f-]{36}$/, '$1a1b2c3d4-5678-90ab-cdef-EXAMPLE11111')
    .replace(/(:secret:.+-)[A-Za-z0-9]{6}$/, '$1AbCdEf');
}

export function filled(arn: string, target: { partition: string; region: string; account: string }): string {
  return arn.replaceAll('{partition}', target.partition).replaceAll('{region}', target.region).replaceAll('{account}', target.account);
}

/**
 * The IAM requests an SDK call makes, as AWS's service authorization reference lists them: the
 * action on the resource named by the call, plus the other actions some operations also require
 * (GetWebACLForResource needs wafv2:GetWebACL on the associated ACL; associating a web ACL with a stage
 * needs apigateway:SetWebACL; CreateSecret with tags needs secretsmanager:TagResource; a secret under a KMS
 * key needs that key through Secrets Manager). `secretKeys` remembers which key each created secret uses.
 */
export function iamRequestsOf(call: RecordedCall, account: string, region: string, secretKeys = new Map<string, string>()): IamRequest[] {
  const t = (arn: string) => templated(arn, account, region);
  const input = call.input;
  const output = obj(call.output);
  switch (call.client) {
    case 'DynamoDB': {
      if (call.operation === 'ListTables') return [{ action: 'dynamodb:ListTables', resource: '*' }];
      const table = str(input['ResourceArn']) ?? `arn:aws:dynamodb:${region}:${account}:table/${str(input['TableName']) ?? ''}`;
      return [{ action: `dynamodb:${call.operation}`, resource: t(table) }];
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
        return [{ action: 'wafv2:GetWebACLForResource', resource: t(resourceArn ?? '') }, ...(associated ? [{ action: 'wafv2:GetWebACL', resource: t(associated) }] : [])];
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
      if (call.operation === 'ListWebACLs') return [{ action: 'wafv2:ListWebACLs', resource: t(`arn:aws:wafv2:${region}:${account}:regional/webacl/*/*`) }];
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
      if (call.operation === 'CreateSecret' && Array.isArray(input['Tags'])) requests.push({ action: 'secretsmanager:TagResource', resource: t(arn) });
      // Secrets Manager uses the secret's KMS key in the caller's name (kms:ViaService), with the secret's
      // ARN as encryption context: GenerateDataKey to write a value, Decrypt to read one.
      const kmsKey = str(input['KmsKeyId']) ?? secretKeys.get(t(arn));
      if (call.operation === 'CreateSecret' && kmsKey) secretKeys.set(t(arn), kmsKey);
      const kmsAction = { CreateSecret: 'kms:GenerateDataKey', PutSecretValue: 'kms:GenerateDataKey', GetSecretValue: 'kms:Decrypt' }[call.operation];
      if (kmsAction && kmsKey) {
        const keyArn = kmsKey.startsWith('arn:') ? kmsKey : `arn:aws:kms:${region}:${account}:${kmsKey.startsWith('alias/') ? kmsKey : `key/${kmsKey}`}`;
        requests.push({ action: kmsAction, resource: t(keyArn), context: { 'kms:ViaService': 'secretsmanager.{region}.amazonaws.com', 'kms:EncryptionContext:SecretARN': t(arn) } });
      }
      return requests;
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
export function inventoryOf(calls: readonly RecordedCall[], account: string, region: string): Record<string, IamRequest[]> {
  const byCaller = new Map<string, Map<string, IamRequest>>();
  const secretKeys = new Map<string, string>();
  for (const call of calls) {
    const requests = byCaller.get(call.caller) ?? new Map<string, IamRequest>();
    for (const request of iamRequestsOf(call, account, region, secretKeys)) requests.set(`${request.action} ${request.resource}`, request);
    byCaller.set(call.caller, requests);
  }
  return Object.fromEntries(
    [...byCaller.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([caller, requests]) => [caller, [...requests.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, request]) => request)]),
  );
}
