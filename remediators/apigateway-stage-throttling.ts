import {
  type APIGatewayClient,
  ConflictException,
  GetStageCommand,
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
  /** The limits the fix set, stage-wide and on each method above: undo acts only while they are still there. */
  readonly set?: { readonly rateLimit: number; readonly burstLimit: number };
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
      set: { rateLimit: settings.rateLimit, burstLimit: settings.burstLimit },
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

  async prepareUndo(record, clients) {
    const stage = await clients.apigateway.send(new GetStageCommand({ restApiId: record.restApiId, stageName: record.stageName }));
    const settingsNow = stage.methodSettings ?? {};
    const shown = (value: number | undefined) => (value === undefined || value < 0 ? 'no limit' : String(value));
    const drift = ['*/*', ...Object.keys(record.previousMethods ?? {})].flatMap((method) => {
      const now = settingsNow[method];
      if (!record.set) return [{ field: `${method} throttling`, warden: 'not recorded (a fix from before Warden kept it)', now: 'unknown' }];
      return [
        ...(now?.throttlingRateLimit !== record.set.rateLimit
          ? [{ field: `${method} rate limit`, warden: String(record.set.rateLimit), now: shown(now?.throttlingRateLimit) }]
          : []),
        ...(now?.throttlingBurstLimit !== record.set.burstLimit
          ? [{ field: `${method} burst limit`, warden: String(record.set.burstLimit), now: shown(now?.throttlingBurstLimit) }]
          : []),
      ];
    });
    // Warden created the */* setting when the stage had none: undo takes the whole setting away, as long as
    // nobody has used it for anything else since (logging, metrics, caching); otherwise only its limits go.
    const stageWide = settingsNow['*/*'];
    const untouched =
      !stageWide?.metricsEnabled &&
      !stageWide?.dataTraceEnabled &&
      !stageWide?.cachingEnabled &&
      [undefined, 'OFF'].includes(stageWide?.loggingLevel);
    const created = record.previousRateLimit === null && record.previousBurstLimit === null;
    const stageOperations: PatchOperation[] =
      created && untouched
        ? [{ op: 'remove', path: '/*/*' }]
        : patch(String(record.previousRateLimit ?? UNLIMITED), String(record.previousBurstLimit ?? UNLIMITED));
    const methods = Object.entries(record.previousMethods ?? {}).flatMap(([method, previous]): PatchOperation[] => [
      { op: 'replace', path: `/${method}/throttling/rateLimit`, value: String(previous.rateLimit ?? UNLIMITED) },
      { op: 'replace', path: `/${method}/throttling/burstLimit`, value: String(previous.burstLimit ?? UNLIMITED) },
    ]);
    const input = { restApiId: record.restApiId, stageName: record.stageName, patchOperations: [...stageOperations, ...methods] };
    return {
      drift,
      calls: [{ client: 'APIGateway', operation: 'UpdateStage', input }],
      notes: [
        created && untouched
          ? 'The stage-wide */* setting Warden added is removed: the stage has no throttling of its own again.'
          : created
            ? 'The stage-wide */* setting now carries other settings too: only its limits are reset (-1, no limit).'
            : 'The stage-wide limits go back to what they were before the fix.',
      ],
      run: () => updateStage(clients.apigateway, input),
    };
  },
});
