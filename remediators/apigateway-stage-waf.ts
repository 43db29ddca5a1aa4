import {
  AssociateWebACLCommand,
  DisassociateWebACLCommand,
  GetWebACLForResourceCommand,
  ListWebACLsCommand,
  WAFNonexistentItemException,
  WAFUnavailableEntityException,
  type WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { BASELINE_WEB_ACL_NAME, BASELINE_WEB_ACL_PRICE, COUNTED_COMMON_RULES, webAclSettingFor } from '../core/catalogue/apigateway-stage-waf';
import type { CheckSettings } from '../core/catalogue';
import { apigatewayStageWafDetector as detector } from '../detectors/apigateway-stage-waf';
import { FatalRemediationError, RetryableRemediationError } from './errors';
import type { RemediationContext, Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

export interface StageWafUndo {
  readonly stageArn: string;
  readonly webAclArn: string;
}

/**
 * The web ACL for a stage's region, as the policy names it: its ARN there, or the member stack's
 * baseline when the policy says 'baseline' for the region and the stack created it. `undefined` when
 * the policy names none for the region: the stage is then ticketed, never given a web ACL it did not ask for.
 */
export function resolveWebAcl(settings: CheckSettings<'apigateway-stage-waf'>, region: string, context: RemediationContext): string | undefined {
  const chosen = webAclSettingFor(settings.webAcl, region);
  if (chosen === 'baseline') return context.baselineWebAclArn || undefined;
  // An ARN names one region's ACL: never applied to a stage of another region (policy validation refuses
  // such a policy where it knows the regions).
  return chosen?.split(':')[3] === region ? chosen : undefined;
}

/** What the baseline web ACL will block, for the approval, the ticket and `simulate`. */
export function baselineBlocks(settings: CheckSettings<'apigateway-stage-waf'>): string {
  const counted = settings.baselineEnforceSizeAndUserAgentRules
    ? ''
    : ` (${COUNTED_COMMON_RULES.join(' and ')}, which block bodies over 8 KB and requests without a User-Agent, only count until the policy enforces them)`;
  return (
    `The ${BASELINE_WEB_ACL_NAME} web ACL will answer 403 Forbidden to requests that AWS's Common Rule Set${counted}, Known Bad Inputs or Amazon IP reputation rules match, ` +
    `and to more than ${settings.baselineRateLimit} requests in 5 minutes from one IP address. Check its sampled requests after the change; the stage owner must ask for an exception if legitimate clients are blocked.`
  );
}

/** Why a stage of `region` has no web ACL to get, and what would give it one. */
function missingWebAcl(settings: CheckSettings<'apigateway-stage-waf'>, region: string): string {
  if (webAclSettingFor(settings.webAcl, region) === 'baseline')
    return `the ${BASELINE_WEB_ACL_NAME} web ACL is not in ${region}: deploy Warden's member stack there (it creates the web ACL where the policy asks for it), or name a web ACL ARN of that region in checks.apigateway-stage-waf.webAcl`;
  return `the policy names no web ACL for ${region}: set checks.apigateway-stage-waf.webAcl to a web ACL ARN of that region, or to baseline (Warden's ${BASELINE_WEB_ACL_NAME} web ACL of AWS managed rules, created in every member account of the region: ${BASELINE_WEB_ACL_PRICE})`;
}

export function webAclFor(settings: CheckSettings<'apigateway-stage-waf'>, region: string, context: RemediationContext): string {
  const chosen = resolveWebAcl(settings, region, context);
  if (!chosen) throw new FatalRemediationError(missingWebAcl(settings, region));
  return chosen;
}

/**
 * The account's baseline web ACL in the clients' region, found by name (`warden scan` and `warden
 * simulate` have no stack outputs to read). `undefined` when there is none, or it cannot be listed.
 */
export async function findBaselineWebAcl(wafv2: WAFV2Client): Promise<string | undefined> {
  let marker: string | undefined;
  do {
    const page = await wafv2.send(new ListWebACLsCommand({ Scope: 'REGIONAL', Limit: 100, ...(marker ? { NextMarker: marker } : {}) }));
    const found = page.WebACLs?.find((acl) => acl.Name === BASELINE_WEB_ACL_NAME);
    if (found?.ARN) return found.ARN;
    marker = page.NextMarker && (page.WebACLs?.length ?? 0) > 0 ? page.NextMarker : undefined;
  } while (marker);
  return undefined;
}

export const apigatewayStageWafRemediator: Remediator<'apigateway-stage-waf', 'apigateway' | 'wafv2', StageWafUndo> = defineRemediator({
  check: 'apigateway-stage-waf',
  detector,

  plan(finding, settings, context) {
    const webAclArn = resolveWebAcl(settings, finding.region, context);
    // A missing web ACL is a fact about the account, not an error of the detection: the finding stands,
    // and the plan says what must exist before it can be fixed.
    if (!webAclArn) return { calls: [], notes: [`Cannot be fixed yet: ${missingWebAcl(settings, finding.region)}.`] };
    const baseline = webAclArn === context.baselineWebAclArn;
    return {
      calls: [{ client: 'WAFV2', operation: 'AssociateWebACL', input: { WebACLArn: webAclArn, ResourceArn: finding.resourceArn } }],
      notes: [
        baseline
          ? baselineBlocks(settings)
          : 'Requests the web ACL blocks will get 403 Forbidden. Review its rules for APIs with unusual traffic; the stage owner must ask for exceptions there.',
      ],
    };
  },

  async fix(_now, finding, settings, clients, context) {
    const webAclArn = webAclFor(settings, finding.region, context);
    try {
      await clients.wafv2.send(new AssociateWebACLCommand({ WebACLArn: webAclArn, ResourceArn: finding.resourceArn }));
    } catch (error) {
      // WAF does not see a stage for a short while after it is created.
      if (error instanceof WAFUnavailableEntityException)
        throw new RetryableRemediationError(`WAF cannot see ${finding.resourceArn} yet`, { cause: error });
      if (error instanceof WAFNonexistentItemException) throw new FatalRemediationError(`web ACL ${webAclArn} does not exist`, { cause: error });
      throw error;
    }
    return { changed: true, undo: { stageArn: finding.resourceArn, webAclArn } };
  },

  async discoverContext(clients) {
    const baselineWebAclArn = await findBaselineWebAcl(clients.wafv2);
    return baselineWebAclArn ? { baselineWebAclArn } : {};
  },

  async prepareUndo(record, clients) {
    // Disassociating removes whatever ACL is there: only the one Warden associated may be taken off.
    const { WebACL } = await clients.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: record.stageArn }));
    const now = WebACL?.ARN ?? '(none)';
    const drift = now === record.webAclArn ? [] : [{ field: 'web ACL', warden: record.webAclArn, now }];
    const input = { ResourceArn: record.stageArn };
    return {
      drift,
      calls: [{ client: 'WAFV2', operation: 'DisassociateWebACL', input }],
      notes: ['The stage is left without a web ACL: requests reach it unfiltered again.'],
      run: async () => void (await clients.wafv2.send(new DisassociateWebACLCommand(input))),
    };
  },
});
