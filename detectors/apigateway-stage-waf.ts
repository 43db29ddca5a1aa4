import { GetWebACLForResourceCommand, WAFNonexistentItemException } from '@aws-sdk/client-wafv2';
import type { Evaluation } from '../core/finding';
import { fetchStage, listStages, type StageState } from './apigateway-stage';
import type { Detector } from './detector';

export interface StageWafState extends StageState {
  /** The web ACL WAF reports for the stage, if any. */
  readonly associatedWebAclArn?: string;
}

export const apigatewayStageWafDetector: Detector<'apigateway-stage-waf', StageWafState, 'apigateway' | 'wafv2'> = {
  check: 'apigateway-stage-waf',

  async fetch(ref, clients) {
    const stage = await fetchStage(clients.apigateway, ref.resourceArn);
    if (!stage || stage.apiType === 'HTTP') return stage;
    try {
      const { WebACL } = await clients.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: ref.resourceArn }));
      return { ...stage, ...(WebACL?.ARN ? { associatedWebAclArn: WebACL.ARN } : {}) };
    } catch (error) {
      // WAF does not know the stage: it was deleted between the two reads.
      if (error instanceof WAFNonexistentItemException) return undefined;
      throw error;
    }
  },

  transitioning: () => false,

  async evaluate(state): Promise<Evaluation> {
    const stage = `${state.restApiId}/${state.stageName}`;
    if (state.apiType === 'HTTP') {
      return {
        status: 'NOT_APPLICABLE',
        reason: `stage ${stage} belongs to an HTTP API, which AWS WAF cannot protect directly`,
        evidence: { stage },
      };
    }
    if (!state.associatedWebAclArn) {
      return { status: 'NON_COMPLIANT', reason: `stage ${stage} has no AWS WAF web ACL`, evidence: { stage, webAclArn: null } };
    }
    return { status: 'COMPLIANT', reason: `stage ${stage} is protected by a web ACL`, evidence: { stage, webAclArn: state.associatedWebAclArn } };
  },

  list: (clients, scope) => listStages(clients.apigateway, 'apigateway-stage-waf', scope),
};
