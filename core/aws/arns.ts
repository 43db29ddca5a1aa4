/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): ArnParts | undefined {
  const match = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  if (!match) return undefined;
  const [, partition, service, region, account, resource] = match as unknown as [string, string, string, string, string, string];
  return { partition, service, region, account, resource };
}

/** The partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function tableArn(region: string, account: string, table: string): string {
  return `arn:${partitionOf(region)}:dynamodb:${region}:${account}:table/${table}`;
}

export function functionArn(region: string, account: string, name: string): string {
  return `arn:${partitionOf(region)}:lambda:${region}:${account}:function:${name}`;
}

/** The ARN WAF and IAM use for a REST API stage (no account id). */
export function stageArn(region: string, restApiId: string, stageName: string): string {
  return `arn:${partitionOf(region)}:apigateway:${region}::/restapis/${restApiId}/stages/${stageName}`;
}

export function parseStageArn(arn: string): { region: string; restApiId: string; stageName: string } | undefined {
  const match = /^arn:[^:]+:apigateway:([^:]+)::\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1] as string, restApiId: match[2] as string, stageName: match[3] as string };
}
