import type { CfnTemplate } from './cloud-assembly';

/** Where a template is deployed: the values of its pseudo parameters. */
export interface DeploymentTarget {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** Template parameters by name (StackSet parameters, for instance). */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** Realistic ARNs (and names) for each resource, as CloudFormation would return them from Ref and GetAtt. */
function physical(template: CfnTemplate, logicalId: string, attribute: string | undefined, target: DeploymentTarget): string {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`unknown resource ${logicalId}`);
  const { partition, region, account } = target;
  const props = resource.Properties ?? {};
  const name = (key: string): string => {
    const value = props[key];
    if (typeof value === 'string') return value;
    return value === undefined ? logicalId.toLowerCase() : String(resolveIntrinsics(value, template, target));
  };
  const arn = (service: string, rest: string, inRegion = region) => `arn:${partition}:${service}:${inRegion}:${account}:${rest}`;
  switch (resource.Type) {
    case 'AWS::IAM::Role':
      return attribute === 'Arn' ? `arn:${partition}:iam::${account}:role/${name('RoleName')}` : name('RoleName');
    case 'AWS::Lambda::Function':
      return attribute === 'Arn' ? arn('lambda', `function:${name('FunctionName')}`) : name('FunctionName');
    case 'AWS::DynamoDB::Table':
      if (attribute === 'StreamArn') return arn('dynamodb', `table/${name('TableName')}/stream/2026-11-01T00:00:00.000`);
      return attribute === 'Arn' ? arn('dynamodb', `table/${name('TableName')}`) : name('TableName');
    case 'AWS::Events::EventBus':
      return attribute === 'Arn' ? arn('events', `event-bus/${name('Name')}`) : name('Name');
    case 'AWS::Events::Rule':
      return attribute === 'Arn' ? arn('events', `rule/${name('Name')}`) : name('Name');
    case 'AWS::KMS::Key':
      return attribute === 'Arn'
        ? arn('kms', `key/1234abcd-12ab-34cd-56ef-${logicalId.slice(-12).toLowerCase().padStart(12, '0')}`)
        : `1234abcd-12ab-34cd-56ef-${logicalId.slice(-12).toLowerCase().padStart(12, '0')}`;
    case 'AWS::SQS::Queue':
      if (attribute === 'Arn') return arn('sqs', name('QueueName'));
      if (attribute === 'QueueName') return name('QueueName');
      return `https://sqs.${region}.amazonaws.com/${account}/${name('QueueName')}`;
    case 'AWS::SNS::Topic':
      return arn('sns', name('TopicName'));
    case 'AWS::StepFunctions::StateMachine':
      return attribute === 'Name' ? name('StateMachineName') : arn('states', `stateMachine:${name('StateMachineName')}`);
    case 'AWS::WAFv2::WebACL':
      return attribute === 'Arn'
        ? arn('wafv2', `regional/webacl/${name('Name')}/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`)
        : 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
    case 'AWS::Logs::LogGroup':
      return attribute === 'Arn' ? arn('logs', `log-group:${name('LogGroupName')}:*`) : name('LogGroupName');
    case 'AWS::S3::Bucket':
      return attribute === 'Arn' ? `arn:${partition}:s3:::${name('BucketName')}` : name('BucketName');
    case 'AWS::ApiGateway::RestApi':
      return attribute === 'RootResourceId' ? 'rootid0001' : 'a1b2c3d4e5';
    case 'AWS::SecretsManager::Secret':
      return arn('secretsmanager', `secret:${name('Name')}-AbCdEf`);
    default:
      return attribute ? `${logicalId}.${attribute}` : logicalId;
  }
}

/**
 * Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split and Fn::If (conditions taken as
 * false) to the strings a deployment in `target` would produce. Unknown intrinsics fail loudly.
 */
export function resolveIntrinsics(value: unknown, template: CfnTemplate, target: DeploymentTarget): unknown {
  const pseudo: Record<string, string> = {
    'AWS::Partition': target.partition,
    'AWS::Region': target.region,
    'AWS::AccountId': target.account,
    'AWS::URLSuffix': target.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    'AWS::StackName': 'warden',
    'AWS::StackId': `arn:${target.partition}:cloudformation:${target.region}:${target.account}:stack/warden/00000000-0000-0000-0000-000000000000`,
    ...target.parameters,
  };
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, argument] = entries[0]!;
      if (key === 'Ref') {
        const ref = String(argument);
        return ref in pseudo ? pseudo[ref] : physical(template, ref, undefined, target);
      }
      if (key === 'Fn::GetAtt') {
        const [id, attribute] = Array.isArray(argument) ? (argument as string[]) : String(argument).split('.');
        return physical(template, String(id), String(attribute), target);
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = argument as [string, unknown[]];
        return (resolve(parts) as unknown[]).map(String).join(separator);
      }
      if (key === 'Fn::Select') {
        const [index, list] = argument as [number | string, unknown];
        return (resolve(list) as unknown[])[Number(index)];
      }
      if (key === 'Fn::Split') {
        const [separator, text] = argument as [string, unknown];
        return String(resolve(text)).split(separator);
      }
      if (key === 'Fn::If') {
        const [, , otherwise] = argument as [string, unknown, unknown];
        return resolve(otherwise);
      }
      if (key === 'Fn::Sub') {
        const [text, variables] = (Array.isArray(argument) ? argument : [argument, {}]) as [string, Record<string, unknown>];
        const local = resolve(variables) as Record<string, unknown>;
        return text.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
          if (name in local) return String(local[name]);
          if (name in pseudo) return pseudo[name]!;
          const [id, attribute] = name.split('.');
          return physical(template, id!, attribute, target);
        });
      }
      if (key.startsWith('Fn::')) throw new Error(`unsupported intrinsic ${key}`);
    }
    return Object.fromEntries(entries.map(([key, entry]) => [key, resolve(entry)]));
  };
  return resolve(value);
}
