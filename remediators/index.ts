import type { CheckId } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import { apigatewayStageThrottlingRemediator } from './apigateway-stage-throttling';
import { apigatewayStageWafRemediator } from './apigateway-stage-waf';
import { dynamodbTableEncryptionRemediator } from './dynamodb-table-encryption';
import { lambdaFunctionEnvSecretsRemediator } from './lambda-function-env-secrets';
import type { RemediationContext, Remediator } from './remediator';

export type AnyRemediator = Remediator<CheckId, keyof AwsClients, unknown>;

/** Every remediator by check id (for the CLI; a Lambda imports only its own). */
export const REMEDIATORS = {
  'dynamodb-table-encryption': dynamodbTableEncryptionRemediator,
  'apigateway-stage-throttling': apigatewayStageThrottlingRemediator,
  'apigateway-stage-waf': apigatewayStageWafRemediator,
  'lambda-function-env-secrets': lambdaFunctionEnvSecretsRemediator,
} as const satisfies Record<CheckId, unknown>;

export function remediatorFor(check: CheckId): AnyRemediator {
  return REMEDIATORS[check] as unknown as AnyRemediator;
}

/**
 * What the checks' remediators read from the account in place of a deployment's outputs (see
 * `Remediator.discoverContext`). An error `notKnownHere` accepts (no permission, not recorded) leaves
 * that part out: the plans then say what is missing.
 */
export async function discoverRemediationContext(clients: AwsClients, checks: readonly CheckId[], notKnownHere: (error: unknown) => boolean): Promise<RemediationContext> {
  let context: RemediationContext = {};
  for (const check of checks) {
    try {
      context = { ...context, ...(await remediatorFor(check).discoverContext?.(clients)) };
    } catch (error) {
      if (!notKnownHere(error)) throw error;
    }
  }
  return context;
}
