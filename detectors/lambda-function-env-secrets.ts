import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { functionArn } from '../core/aws/arns';
import type { Evaluation } from '../core/finding';
import type { Detector, FetchedState } from './detector';
import { scanVariables } from './secret-scanner/scan-variables';

/** The variable Warden's fix sets beside (phase 1) or instead of (phase 2) NAME: NAME_SECRET_ARN. */
export const POINTER_SUFFIX = '_SECRET_ARN';

/**
 * A function's configuration. `variables` holds plaintext values: it never leaves the detector; only
 * the evaluation's redacted evidence (names, rules, fingerprints) does.
 */
export interface FunctionState extends FetchedState {
  readonly functionName: string;
  readonly functionArn: string;
  readonly state?: string;
  readonly lastUpdateStatus?: string;
  readonly revisionId?: string;
  readonly role?: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Set when Lambda could not decrypt the environment for the caller (a customer managed key): its error code. */
  readonly environmentError?: string;
  readonly kmsKeyArn?: string;
}

type LambdaDetector = Detector<'lambda-function-env-secrets', FunctionState, 'lambda'>;

export const lambdaFunctionEnvSecretsDetector: LambdaDetector & Required<Pick<LambdaDetector, 'tagsOf'>> = {
  check: 'lambda-function-env-secrets',

  async fetch(ref, clients) {
    try {
      // CloudTrail omits environment values, so the configuration is always read from the API.
      const config = await clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: ref.resourceArn }));
      return stateOf(config, ref.resourceArn);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  },

  async tagsOf(state, clients) {
    try {
      const { Tags } = await clients.lambda.send(new ListTagsCommand({ Resource: state.functionArn }));
      return Tags ?? {};
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  },

  transitioning(state) {
    return state.state === 'Pending' || state.lastUpdateStatus === 'InProgress';
  },

  async evaluate(state, settings): Promise<Evaluation> {
    if (state.environmentError) {
      // Without the values there is nothing to judge: reported as such, never as compliant.
      const key = state.kmsKeyArn ?? 'a customer managed key';
      return {
        status: 'NOT_EVALUATED',
        reason: `function ${state.functionName}: environment not evaluated: it is encrypted with ${key}, which the detector may not decrypt (${state.environmentError})`,
        evidence: {
          functionName: state.functionName,
          notEvaluated: state.environmentError,
          ...(state.kmsKeyArn ? { kmsKeyArn: state.kmsKeyArn } : {}),
        },
      };
    }
    const flagged = scanVariables(state.variables, { ignoreVariables: settings.ignoreVariables, ignoreRules: settings.ignoreRules });
    // A pointer beside its plaintext is a migration in progress (phase 1): it is not counted, so the finding
    // keeps its id, and the detection Warden's own change triggers joins the running remediation.
    const migrating = flagged.filter((match) => `${match.name}${POINTER_SUFFIX}` in state.variables).map((match) => match.name);
    const variableCount = Object.keys(state.variables).length - migrating.length;
    const evidence = { functionName: state.functionName, flagged, variableCount };
    if (flagged.length > 0) {
      const names = flagged.map((match) => match.name).join(', ');
      const inProgress =
        migrating.length > 0 ? ` (moving to Secrets Manager: ${migrating.map((name) => `${name}${POINTER_SUFFIX}`).join(', ')} set)` : '';
      return {
        status: 'NON_COMPLIANT',
        reason: `function ${state.functionName} has plaintext secrets in its environment: ${names}${inProgress}`,
        evidence,
      };
    }
    return { status: 'COMPLIANT', reason: `function ${state.functionName} has no plaintext secret in its environment`, evidence };
  },

  // ListFunctions carries each function's environment: one call per 50 functions instead of one per
  // function. It carries no State or LastUpdateStatus, so the sweep cannot see a function mid-update;
  // the CloudTrail event of that update has the detector read it again once it settles.
  async listPage(clients, { account, region }, cursor) {
    const page = await clients.lambda.send(new ListFunctionsCommand({ MaxItems: 50, ...(cursor ? { Marker: cursor } : {}) }));
    const items = (page.Functions ?? []).flatMap((fn) => {
      const arn = fn.FunctionArn ?? (fn.FunctionName ? functionArn(region, account, fn.FunctionName) : undefined);
      return arn ? [{ ref: { check: 'lambda-function-env-secrets' as const, account, region, resourceArn: arn }, state: stateOf(fn, arn) }] : [];
    });
    return { items, ...(page.NextMarker ? { next: page.NextMarker } : {}) };
  },
};

/** A function's state from its configuration (GetFunctionConfiguration, or a ListFunctions entry); tags come later. */
function stateOf(config: FunctionConfiguration, fallbackArn: string): FunctionState {
  const arn = config.FunctionArn ?? fallbackArn;
  return {
    ...(config.FunctionArn ? { resourceArn: config.FunctionArn } : {}),
    functionName: config.FunctionName ?? arn.split(':').pop() ?? arn,
    functionArn: arn,
    ...(config.State ? { state: config.State } : {}),
    ...(config.LastUpdateStatus ? { lastUpdateStatus: config.LastUpdateStatus } : {}),
    ...(config.RevisionId ? { revisionId: config.RevisionId } : {}),
    ...(config.Role ? { role: config.Role } : {}),
    variables: config.Environment?.Variables ?? {},
    ...(config.Environment?.Error ? { environmentError: config.Environment.Error.ErrorCode ?? 'EnvironmentError' } : {}),
    ...(config.KMSKeyArn ? { kmsKeyArn: config.KMSKeyArn } : {}),
    tags: {},
  };
}
