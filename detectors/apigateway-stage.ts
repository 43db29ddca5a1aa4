import {
  type APIGatewayClient,
  GetStageCommand,
  GetRestApisCommand,
  GetStagesCommand,
  NotFoundException,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import { parseStageArn, stageArn } from '../core/aws/arns';
import type { CheckId } from '../core/catalogue';
import type { ResourceRef } from '../core/finding';
import type { FetchedState, SweepScope } from './detector';

/** What both API Gateway stage checks read from `GetStage`. */
export interface StageState extends FetchedState {
  readonly restApiId: string;
  readonly stageName: string;
  /** `HTTP` for API Gateway v2 APIs, which neither check judges. */
  readonly apiType: 'REST' | 'HTTP';
  readonly methodSettings: Readonly<Record<string, { throttlingRateLimit?: number; throttlingBurstLimit?: number }>>;
  readonly webAclArn?: string;
  /** Where the stage writes its access logs (a log group or Firehose stream ARN); absent: it writes none. */
  readonly accessLogDestinationArn?: string;
}

/** HTTP APIs (v2) have ARNs `.../apis/<id>/stages/<name>`; the REST API checks do not apply to them. */
export function isHttpApiStageArn(arn: string): boolean {
  return /^arn:[^:]+:apigateway:[^:]+::\/apis\/[^/]+\/stages\/[^/]+$/.test(arn);
}

/** Reads a REST API stage; `undefined` when it (or its API) no longer exists. */
export async function fetchStage(apigateway: APIGatewayClient, arn: string): Promise<StageState | undefined> {
  if (isHttpApiStageArn(arn)) {
    const [, apiId = '', stageName = ''] = /\/apis\/([^/]+)\/stages\/([^/]+)$/.exec(arn) ?? [];
    return { restApiId: apiId, stageName, apiType: 'HTTP', methodSettings: {}, tags: {} };
  }
  const parsed = parseStageArn(arn);
  if (!parsed) return undefined;
  try {
    const stage = await apigateway.send(new GetStageCommand({ restApiId: parsed.restApiId, stageName: parsed.stageName }));
    return restStageState(parsed.restApiId, parsed.stageName, stage);
  } catch (error) {
    if (error instanceof NotFoundException) return undefined;
    throw error;
  }
}

function restStageState(restApiId: string, stageName: string, stage: Stage): StageState {
  return {
    restApiId,
    stageName,
    apiType: 'REST',
    methodSettings: stage.methodSettings ?? {},
    ...(stage.webAclArn ? { webAclArn: stage.webAclArn } : {}),
    ...(stage.accessLogSettings?.destinationArn ? { accessLogDestinationArn: stage.accessLogSettings.destinationArn } : {}),
    tags: stage.tags ?? {},
  };
}

/** REST APIs per page of the stage sweep: a page is one GetRestApis call and one GetStages per API. */
const APIS_PER_PAGE = 100;

/**
 * One page of REST API stages in the region, with their state: `GetStages` answers with each stage
 * whole (method settings, web ACL, tags), so the sweep reads no stage twice. API Gateway's management
 * calls share 10/s per account: one call per API, not one per stage.
 */
export async function listStagePage(
  apigateway: APIGatewayClient,
  check: CheckId,
  scope: SweepScope,
  cursor?: string,
): Promise<{ readonly items: readonly { ref: ResourceRef; state: StageState }[]; readonly next?: string }> {
  const apis = await apigateway.send(new GetRestApisCommand({ limit: APIS_PER_PAGE, ...(cursor ? { position: cursor } : {}) }));
  const items: { ref: ResourceRef; state: StageState }[] = [];
  for (const api of apis.items ?? []) {
    if (!api.id) continue;
    const { item: stages } = await apigateway.send(new GetStagesCommand({ restApiId: api.id }));
    for (const stage of stages ?? []) {
      if (stage.stageName)
        items.push({
          ref: { check, ...scope, resourceArn: stageArn(scope.region, api.id, stage.stageName) },
          state: restStageState(api.id, stage.stageName, stage),
        });
    }
  }
  return { items, ...(apis.position ? { next: apis.position } : {}) };
}
