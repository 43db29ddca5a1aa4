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

async function withAccountRole(apigateway: APIGatewayClient, state: StageState): Promise<AccessLoggingState> {
  if (state.apiType !== 'REST' || state.accessLogDestinationArn) return state;
  const { cloudwatchRoleArn } = await apigateway.send(new GetAccountCommand({}));
  return { ...state, cloudWatchRoleArn: cloudwatchRoleArn ?? null };
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
