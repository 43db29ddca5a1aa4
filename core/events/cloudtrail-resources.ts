import { functionArn, parseStageArn, partitionOf, stageArn, tableArn } from '../aws/arns';

/** One CloudTrail record, as a check's trigger reads it. CloudTrail lower-cases only the first letter of keys. */
export interface CloudTrailCall {
  readonly request: Readonly<Record<string, unknown>>;
  readonly response: Readonly<Record<string, unknown>>;
  readonly region: string;
  readonly account: string;
}

/** How a check's trigger finds, in a CloudTrail record of its service, the ARNs of the resources to judge. */
export type CloudTrailResources = (call: CloudTrailCall) => readonly string[];

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const obj = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

/** DynamoDB: the described table's ARN, else the table the request names (create, restore, import). */
export const dynamodbTables: CloudTrailResources = ({ request, response, region, account }) => {
  const arn = str(obj(response['tableDescription'])['tableArn']);
  const name = str(request['tableName']) ?? str(request['targetTableName']) ?? str(obj(request['tableCreationParameters'])['tableName']);
  return arn ? [arn] : name ? [tableArn(region, account, name)] : [];
};

/** API Gateway: the REST API stage a call creates or changes; an HTTP API's stage (v2) is named so the detector can judge it not applicable. */
export const apiGatewayStages: CloudTrailResources = ({ request, region }) => {
  const stageName =
    str(request['stageName']) ?? str(obj(request['createStageInput'])['stageName']) ?? str(obj(request['createDeploymentInput'])['stageName']);
  const apiId = str(request['restApiId']);
  if (apiId && stageName) return [stageArn(region, apiId, stageName)];
  const httpApiId = str(request['apiId']);
  if (httpApiId && stageName) return [`arn:${partitionOf(region)}:apigateway:${region}::/apis/${httpApiId}/stages/${stageName}`];
  return [];
};

/** WAFv2: the resource a web ACL was associated with or taken from, when it is a REST API stage. */
export const wafv2Stages: CloudTrailResources = ({ request }) => {
  const arn = str(request['resourceArn']);
  return arn && parseStageArn(arn) ? [arn] : [];
};

/** `my-fn`, `my-fn:prod`, `arn:…:function:my-fn:7` → the unqualified function ARN. */
function normaliseFunction(nameOrArn: string, region: string, account: string): string {
  const match = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:([^:]+)/.exec(nameOrArn);
  if (match) return functionArn(match[1] as string, match[2] as string, match[3] as string);
  const partial = /^(\d{12}):function:([^:]+)/.exec(nameOrArn);
  if (partial) return functionArn(region, partial[1] as string, partial[2] as string);
  return functionArn(region, account, nameOrArn.split(':')[0] as string);
}

/** Lambda: the function the call created or configured. */
export const lambdaFunctions: CloudTrailResources = ({ request, response, region, account }) => {
  const arn = str(response['functionArn']) ?? str(request['functionName']);
  return arn ? [normaliseFunction(arn, region, account)] : [];
};
