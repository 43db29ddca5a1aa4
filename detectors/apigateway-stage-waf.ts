import { GetWebACLForResourceCommand, WAFNonexistentItemException, type WAFV2Client } from '@aws-sdk/client-wafv2';
import type { Evaluation } from '../core/finding';
import { fetchStage, listStagePage, type StageState } from './apigateway-stage';
import type { Detector } from './detector';

export interface StageWafState extends StageState {
  /** The web ACL WAF reports for the stage, if any. */
  readonly associatedWebAclArn?: string;
}

/** The stage with the web ACL WAF reports for it (WAF is the authority on associations); `undefined` when WAF no longer knows it. */
async function withAssociation(stage: StageState, resourceArn: string, wafv2: WAFV2Client): Promise<StageWafState | undefined> {
  try {
    const { WebACL } = await wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: resourceArn }));
    return { ...stage, ...(WebACL?.ARN ? { associatedWebAclArn: WebACL.ARN } : {}) };
  } catch (error) {
    // WAF does not know the stage: it was deleted between the two reads.
    if (error instanceof WAFNonexistentItemException) return undefined;
    throw error;
  }
}

export const apigatewayStageWafDetector: Detector<'apigateway-stage-waf', StageWafState, 'apigateway' | 'wafv2'> = {
  check: 'apigateway-stage-waf',

  async fetch(ref, clients) {
    const stage = await fetchStage(clients.apigateway, ref.resourceArn);
    if (!stage || stage.apiType === 'HTTP') return stage;
    return withAssociation(stage, ref.resourceArn, clients.wafv2);
  },

  /**
   * The sweep judges each stage from `GetStages`, whose stages name their web ACL (`webAclArn`): a stage
   * that names one is protected, with no WAF call. Only a stage that names none is asked of WAF
   * (`complete`), which decides, so a finding never rests on API Gateway's view alone.
   */
  async listPage(clients, scope, cursor) {
    const page = await listStagePage(clients.apigateway, 'apigateway-stage-waf', scope, cursor);
    const items = page.items.map(({ ref, state }) => ({ ref, state: state.webAclArn ? { ...state, associatedWebAclArn: state.webAclArn } : state }));
    return { ...page, items };
  },

  complete: (listed, ref, clients) =>
    listed.associatedWebAclArn ? Promise.resolve(listed) : withAssociation(listed, ref.resourceArn, clients.wafv2),

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
};
