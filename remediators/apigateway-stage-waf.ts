import { AssociateWebACLCommand, DisassociateWebACLCommand, WAFNonexistentItemException, WAFUnavailableEntityException } from '@aws-sdk/client-wafv2';
import type { CheckSettings } from '../core/catalogue';
import { apigatewayStageWafDetector as detector } from '../detectors/apigateway-stage-waf';
import { FatalRemediationError, RetryableRemediationError } from './errors';
import type { RemediationContext, Remediator } from './remediator';
import { fetchSettled, verifyWithDetector } from '../detectors/fetch-settled';

export interface StageWafUndo {
  readonly stageArn: string;
  readonly webAclArn: string;
}

/** The web ACL for a stage's region: the policy's ARN (or map entry), else the member stack's baseline. */
export function webAclFor(settings: CheckSettings<'apigateway-stage-waf'>, region: string, context: RemediationContext): string {
  const configured = settings.webAcl;
  const arn = configured === 'baseline' ? undefined : typeof configured === 'string' ? configured : configured[region];
  const chosen = arn ?? context.baselineWebAclArn;
  if (!chosen) throw new FatalRemediationError(`no web ACL for ${region}: set checks.apigateway-stage-waf.webAcl or deploy the baseline web ACL`);
  return chosen;
}

export const apigatewayStageWafRemediator: Remediator<'apigateway-stage-waf', 'apigateway' | 'wafv2', StageWafUndo> = {
  check: 'apigateway-stage-waf',

  plan(finding, settings, context) {
    return {
      calls: [{ client: 'WAFV2', operation: 'AssociateWebACL', input: { WebACLArn: webAclFor(settings, finding.region, context), ResourceArn: finding.resourceArn } }],
      notes: ['Requests the web ACL blocks will get 403 Forbidden. Review the ACL rules (count mode first) for APIs with unusual traffic.'],
    };
  },

  async apply(finding, settings, clients, context) {
    const webAclArn = webAclFor(settings, finding.region, context);
    const state = await fetchSettled(detector, finding, settings, clients);
    if (!state) throw new FatalRemediationError(`stage ${finding.resourceArn} no longer exists`);
    if ((await detector.evaluate(state, settings)).status !== 'NON_COMPLIANT') return { changed: false };
    try {
      await clients.wafv2.send(new AssociateWebACLCommand({ WebACLArn: webAclArn, ResourceArn: finding.resourceArn }));
    } catch (error) {
      // WAF does not see a stage for a short while after it is created.
      if (error instanceof WAFUnavailableEntityException) throw new RetryableRemediationError(`WAF cannot see ${finding.resourceArn} yet`, { cause: error });
      if (error instanceof WAFNonexistentItemException) throw new FatalRemediationError(`web ACL ${webAclArn} does not exist`, { cause: error });
      throw error;
    }
    return { changed: true, undo: { stageArn: finding.resourceArn, webAclArn } };
  },

  verify: (finding, settings, clients, poll) => verifyWithDetector(detector, finding, settings, clients, poll),

  async undo(record, clients) {
    await clients.wafv2.send(new DisassociateWebACLCommand({ ResourceArn: record.stageArn }));
  },
};
