import { CATALOGUE, type Check, type CheckId } from '../catalogue';
import type { EventPattern } from './pattern-matcher';
import { matchesPattern } from './pattern-matcher';

/**
 * Every Warden remediator role's name starts with this, so each rule can drop the CloudTrail events of
 * Warden's own fixes (the detector would find them compliant anyway; dropping them saves invocations
 * and rules out remediation loops).
 */
export const REMEDIATOR_ROLE_PREFIX = 'warden-remediator-';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
export const CONFIG_DETAIL_TYPE = 'Config Configuration Item Change';

/** Config statuses that mean the resource is gone or no longer recorded: no finding. */
const GONE = ['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded'];

/** The rule for a check's CloudTrail triggers: exact event names, successful calls, not Warden's own. */
export function cloudTrailPattern(check: Check): EventPattern {
  const sources = [...new Set(check.cloudTrail.map((trigger) => `aws.${trigger.eventSource.split('.')[0] ?? ''}`))];
  return {
    source: sources,
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: [...new Set(check.cloudTrail.map((trigger) => trigger.eventSource))],
      eventName: [...new Set(check.cloudTrail.flatMap((trigger) => trigger.eventNames))],
      errorCode: [{ exists: false }],
      $or: [
        { userIdentity: { sessionContext: { sessionIssuer: { userName: [{ exists: false }] } } } },
        { userIdentity: { sessionContext: { sessionIssuer: { userName: [{ 'anything-but': { prefix: REMEDIATOR_ROLE_PREFIX } }] } } } },
      ],
    },
  };
}

/** The rule for a check's AWS Config item changes, the oversized variant included (it carries no configuration). */
export function configPattern(check: Check): EventPattern {
  return {
    source: ['aws.config'],
    'detail-type': [CONFIG_DETAIL_TYPE],
    detail: {
      $or: [
        {
          messageType: ['ConfigurationItemChangeNotification'],
          configurationItem: { resourceType: [check.configResourceType], configurationItemStatus: [{ 'anything-but': GONE }] },
        },
        {
          messageType: ['OversizedConfigurationItemChangeNotification'],
          configurationItemSummary: { resourceType: [check.configResourceType], configurationItemStatus: [{ 'anything-but': GONE }] },
        },
      ],
    },
  };
}

export interface CheckRules {
  readonly check: CheckId;
  readonly cloudTrail: EventPattern;
  readonly config: EventPattern;
}

/** The rule patterns of every check, as the member stack synthesizes them. */
export const CHECK_RULES: readonly CheckRules[] = CATALOGUE.map((check) => ({
  check: check.id,
  cloudTrail: cloudTrailPattern(check),
  config: configPattern(check),
}));

/** The checks whose rules EventBridge would deliver this event to. */
export function routeEvent(event: unknown, rules: readonly CheckRules[] = CHECK_RULES): CheckId[] {
  return rules.filter((rule) => matchesPattern(rule.cloudTrail, event) || matchesPattern(rule.config, event)).map((rule) => rule.check);
}
