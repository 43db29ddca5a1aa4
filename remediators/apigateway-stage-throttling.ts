import { type APIGatewayClient, ConflictException, type PatchOperation, TooManyRequestsException, UpdateStageCommand, type UpdateStageCommandInput } from '@aws-sdk/client-api-gateway';
import { parseStageArn } from '../core/aws/arns';
import { apigatewayStageThrottlingDetector as detector } from '../detectors/apigateway-stage-throttling';
import { FatalRemediationError, RetryableRemediationError } from './errors';
import type { Remediator } from './remediator';
import { fetchSettled, verifyWithDetector } from '../detectors/fetch-settled';

/** API Gateway's value for "no limit" on a method setting. */
const UNLIMITED = '-1';

export interface StageThrottlingUndo {
  readonly restApiId: string;
  readonly stageName: string;
  readonly previousRateLimit: number | null;
  readonly previousBurstLimit: number | null;
}

function patch(rateLimit: string, burstLimit: string): PatchOperation[] {
  return [
    { op: 'replace', path: '/*/*/throttling/rateLimit', value: rateLimit },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: burstLimit },
  ];
}

/**
 * UpdateStage, with API Gateway's answers to a concurrent change of the same stage (the WAF fix, a
 * deployment) made retryable: the workflow's Retry runs the fix again on the stage as it then is.
 */
async function updateStage(apigateway: APIGatewayClient, input: UpdateStageCommandInput): Promise<void> {
  try {
    await apigateway.send(new UpdateStageCommand(input));
  } catch (error) {
    if (error instanceof ConflictException || error instanceof TooManyRequestsException) {
      throw new RetryableRemediationError(`stage ${input.restApiId}/${input.stageName} is being changed concurrently: ${error.name}`, { cause: error });
    }
    throw error;
  }
}

function stageOf(arn: string) {
  const stage = parseStageArn(arn);
  if (!stage) throw new FatalRemediationError(`not a REST API stage ARN: ${arn}`);
  return stage;
}

export const apigatewayStageThrottlingRemediator: Remediator<'apigateway-stage-throttling', 'apigateway', StageThrottlingUndo> = {
  check: 'apigateway-stage-throttling',

  plan(finding, settings) {
    const { restApiId, stageName } = stageOf(finding.resourceArn);
    return {
      calls: [{ client: 'APIGateway', operation: 'UpdateStage', input: { restApiId, stageName, patchOperations: patch(String(settings.rateLimit), String(settings.burstLimit)) } }],
      notes: [`Clients above ${settings.rateLimit} requests/s (burst ${settings.burstLimit}) will get 429 Too Many Requests. Other method settings are untouched.`],
    };
  },

  async apply(finding, settings, clients) {
    const { restApiId, stageName } = stageOf(finding.resourceArn);
    const state = await fetchSettled(detector, finding, settings, clients);
    if (!state) throw new FatalRemediationError(`stage ${restApiId}/${stageName} no longer exists`);
    if ((await detector.evaluate(state, settings)).status !== 'NON_COMPLIANT') return { changed: false };
    const all = state.methodSettings['*/*'];
    const undo: StageThrottlingUndo = {
      restApiId,
      stageName,
      previousRateLimit: all?.throttlingRateLimit ?? null,
      previousBurstLimit: all?.throttlingBurstLimit ?? null,
    };
    await updateStage(clients.apigateway, { restApiId, stageName, patchOperations: patch(String(settings.rateLimit), String(settings.burstLimit)) });
    return { changed: true, undo };
  },

  verify: (finding, settings, clients, poll) => verifyWithDetector(detector, finding, settings, clients, poll),

  async undo(record, clients) {
    await updateStage(clients.apigateway, {
      restApiId: record.restApiId,
      stageName: record.stageName,
      patchOperations: patch(String(record.previousRateLimit ?? UNLIMITED), String(record.previousBurstLimit ?? UNLIMITED)),
    });
  },
};
