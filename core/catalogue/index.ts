import type * as z from 'zod';
import type { EvidenceItems } from './types';
import { apigatewayMethodAuthorization } from './apigateway-method-authorization';
import { apigatewayStageAccessLogging } from './apigateway-stage-access-logging';
import { apigatewayStageThrottling } from './apigateway-stage-throttling';
import { apigatewayStageWaf } from './apigateway-stage-waf';
import { dynamodbTableEncryption } from './dynamodb-table-encryption';
import { lambdaFunctionEnvSecrets } from './lambda-function-env-secrets';
import { lambdaFunctionPublicAccess } from './lambda-function-public-access';
import { lambdaExecutionRoleWildcards } from './lambda-execution-role-wildcards';
import { lambdaFunctionUrlAuth } from './lambda-function-url-auth';
import { lambdaLogGroupRetention } from './lambda-log-group-retention';
import { snsTopicEncryption } from './sns-topic-encryption';
import { sqsQueueEncryption } from './sqs-queue-encryption';

/** Every check Warden knows, in the order docs and reports list them. */
export const CATALOGUE = [
  dynamodbTableEncryption,
  apigatewayStageThrottling,
  apigatewayStageWaf,
  lambdaFunctionEnvSecrets,
  sqsQueueEncryption,
  lambdaLogGroupRetention,
  snsTopicEncryption,
  lambdaFunctionUrlAuth,
  apigatewayMethodAuthorization,
  lambdaFunctionPublicAccess,
  apigatewayStageAccessLogging,
  lambdaExecutionRoleWildcards,
] as const;

export type Check = (typeof CATALOGUE)[number];
export type CheckId = Check['id'];
export const CHECK_IDS = CATALOGUE.map((check) => check.id) as readonly CheckId[];

export function isCheckId(value: string): value is CheckId {
  return (CHECK_IDS as readonly string[]).includes(value);
}

export function getCheck(id: CheckId): Check {
  const check = CATALOGUE.find((entry) => entry.id === id);
  if (!check) throw new Error(`unknown check ${id}`);
  return check;
}

export { apigatewayStageThrottling, apigatewayStageWaf, dynamodbTableEncryption, lambdaFunctionEnvSecrets };
export * from './types';

/** The check-specific settings of one check, with defaults applied. */
export type CheckSettings<Id extends CheckId = CheckId> = z.output<Extract<Check, { id: Id }>['settings']>;

/** The evidence items of a finding its check shows people (none if the check declares none). */
export function evidenceItemsOf(finding: {
  readonly check: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}): EvidenceItems | undefined {
  const check = isCheckId(finding.check) ? getCheck(finding.check) : undefined;
  return check && 'evidenceItems' in check ? check.evidenceItems(finding.evidence) : undefined;
}
