import { type APIGatewayClient, GetAccountCommand } from '@aws-sdk/client-api-gateway';
import type { Evaluation } from '../core/finding';
import { fetchStage, listStagePage, type StageState } from './apigateway-stage';
import type { Detector } from './detector';

export interface AccessLoggingState extends StageState {
  /**
   * The account's API Gateway CloudWatch role (what API Gateway writes logs with), read only for a stage
   * that writes none: `null` when the account has none, so the fix would fail.
   */
  readonly cloudWatchRoleArn?: string | null;
}

/**
 * The role is the account's and region's, not the stage's: one GetAccount answers for every stage a
 * sweep step judges (API Gateway's management calls share 10/s per account), for a minute at most.
 */
const ACCOUNT_ROLE_MAX_AGE_MS = 60_000;
const accountRoles = new WeakMap<APIGatewayClient, { readonly at: number; readonly role: Promise<string | null> }>();

function accountRole(apigateway: APIGatewayClient): Promise<string | null> {
  const now = Date.now();
  const known = accountRoles.get(apigateway);
  if (known && now - known.at < ACCOUNT_ROLE_MAX_AGE_MS) return known.role;
  const role = apigateway.send(new GetAccountCommand({})).then(({ cloudwatchRoleArn }) => cloudwatchRoleArn ?? null);
  accountRoles.set(apigateway, { at: now, role });
  // A failed read is not remembered: the next stage asks again.
  role.catch(() => accountRoles.delete(apigateway));
  return role;
}

async function withAccountRole(apigateway: APIGatewayClient, state: StageState): Promise<AccessLoggingState> {
  if (state.apiType !== 'REST' || state.accessLogDestinationArn) return state;
  return { ...state, cloudWatchRoleArn: await accountRole(apigateway) };
}

export const apigatewayStageAccessLoggingDetector: Detector<'apigateway-stage-access-logging', AccessLoggingState, 'apigateway'> = {
  check: 'apigateway-stage-access-logging',

  async fetch(ref, clients) {
    const state = await fetchStage(clients.apigateway, ref.resourceArn);
    return state ? withAccountRole(clients.apigateway, state) : undefined;
  },

  // A listed stage without access logs still needs the account's role read, for the plan to say whether the fix can work.
  complete: (listed, _ref, clients) => withAccountRole(clients.apigateway, listed),

  transitioning: () => false,

  evaluate(state): Promise<Evaluation> {
    const stage = `${state.restApiId}/${state.stageName}`;
    if (state.apiType === 'HTTP')
      return Promise.resolve({
        status: 'NOT_APPLICABLE',
        reason: `stage ${stage} belongs to an HTTP API; only REST API stages are judged`,
        evidence: { stage },
      });
    if (state.accessLogDestinationArn)
      return Promise.resolve({
        status: 'COMPLIANT',
        reason: `stage ${stage} writes access logs to ${state.accessLogDestinationArn}`,
        evidence: { stage, accessLogDestinationArn: state.accessLogDestinationArn },
      });
    return Promise.resolve({
      status: 'NON_COMPLIANT',
      reason: `stage ${stage} writes no access logs`,
      evidence: { stage, restApiId: state.restApiId, stageName: state.stageName, cloudWatchRoleArn: state.cloudWatchRoleArn ?? null },
    });
  },

  listPage: (clients, scope, cursor) => listStagePage(clients.apigateway, 'apigateway-stage-access-logging', scope, cursor),
};
