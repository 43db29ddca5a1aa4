import {
  type APIGatewayClient,
  ConflictException,
  type PatchOperation,
  TooManyRequestsException,
  UpdateStageCommand,
  type UpdateStageCommandInput,
} from '@aws-sdk/client-api-gateway';
import { parseStageArn } from '../core/aws/arns';
import { apigatewayStageThrottlingDetector as detector } from '../detectors/apigateway-stage-throttling';
import { FatalRemediationError, RetryableRemediationError } from './errors';
import type { Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

/** API Gateway's value for "no limit" on a method setting. */
const UNLIMITED = '-1';

export interface StageThrottlingUndo {
  readonly restApiId: string;
  readonly stageName: string;
  readonly previousRateLimit: number | null;
  readonly previousBurstLimit: number | null;
  /** Methods whose own settings were over the limits, with their previous limits (null: none). */
  readonly previousMethods?: Readonly<Record<string, { readonly rateLimit: number | null; readonly burstLimit: number | null }>>;
}

interface MethodLimits {
  readonly method: string;
  readonly rateLimit: number | null;
  readonly burstLimit: number | null;
}

/** The stage-wide setting and each listed method key (`~1pets/GET`) get the given limits. */
function patch(rateLimit: string, burstLimit: string, methods: readonly string[] = []): PatchOperation[] {
  return ['*/*', ...methods].flatMap((method): PatchOperation[] => [
    { op: 'replace', path: `/${method}/throttling/rateLimit`, value: rateLimit },
    { op: 'replace', path: `/${method}/throttling/burstLimit`, value: burstLimit },
  ]);
}

/** The methods the detector found over the limits (evidence.methodsOverLimit). */
function methodsOverLimit(evidence: Readonly<Record<string, unknown>>): MethodLimits[] {
  const listed = evidence['methodsOverLimit'];
  return Array.isArray(listed) ? (listed as MethodLimits[]) : [];
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
      throw new RetryableRemediationError(`stage ${input.restApiId}/${input.stageName} is being changed concurrently: ${error.name}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function stageOf(arn: string) {
  const stage = parseStageArn(arn);
  if (!stage) throw new FatalRemediationError(`not a REST API stage ARN: ${arn}`);
  return stage;
}

export const apigatewayStageThrottlingRemediator: Remediator<'apigateway-stage-throttling', 'apigateway', StageThrottlingUndo> = defineRemediator({
  check: 'apigateway-stage-throttling',
  detector,

  plan(finding, settings) {
    const { restApiId, stageName } = stageOf(finding.resourceArn);
    const methods = methodsOverLimit(finding.evidence).map((method) => method.method);
    const where =
      methods.length > 0
        ? `the stage and ${methods.length} method${methods.length === 1 ? '' : 's'} with limits of their own (${methods.join(', ')})`
        : 'the stage';
    return {
      calls: [
        {
          client: 'APIGateway',
          operation: 'UpdateStage',
          input: { restApiId, stageName, patchOperations: patch(String(settings.rateLimit), String(settings.burstLimit), methods) },
        },
      ],
      notes: [
        `Clients of ${where} above ${settings.rateLimit} requests/s (burst ${settings.burstLimit}) will get 429 Too Many Requests. Other method settings are untouched.`,
      ],
    };
  },

  async fix({ state, evaluation }, finding, settings, clients) {
    const { restApiId, stageName } = stageOf(finding.resourceArn);
    const all = state.methodSettings['*/*'];
    // The methods as they are now, not as the finding saw them: those over the limits get them too.
    const methods = methodsOverLimit(evaluation.evidence);
    const undo: StageThrottlingUndo = {
      restApiId,
      stageName,
      previousRateLimit: all?.throttlingRateLimit ?? null,
      previousBurstLimit: all?.throttlingBurstLimit ?? null,
      ...(methods.length > 0
        ? {
            previousMethods: Object.fromEntries(
              methods.map((method) => [method.method, { rateLimit: method.rateLimit, burstLimit: method.burstLimit }]),
            ),
          }
        : {}),
    };
    await updateStage(clients.apigateway, {
      restApiId,
      stageName,
      patchOperations: patch(
        String(settings.rateLimit),
        String(settings.burstLimit),
        methods.map((method) => method.method),
      ),
    });
    return { changed: true, undo };
  },

  async undo(record, clients) {
    const methods = Object.entries(record.previousMethods ?? {}).flatMap(([method, previous]): PatchOperation[] => [
      { op: 'replace', path: `/${method}/throttling/rateLimit`, value: String(previous.rateLimit ?? UNLIMITED) },
      { op: 'replace', path: `/${method}/throttling/burstLimit`, value: String(previous.burstLimit ?? UNLIMITED) },
    ]);
    await updateStage(clients.apigateway, {
      restApiId: record.restApiId,
      stageName: record.stageName,
      patchOperations: [...patch(String(record.previousRateLimit ?? UNLIMITED), String(record.previousBurstLimit ?? UNLIMITED)), ...methods],
    });
  },
});
