import { apiGatewayStages, wafv2Stages } from '../events/cloudtrail-resources';
import { formats } from '../policy/formats';
import { STAGE_ARN_TEMPLATE, STAGE_LISTING_TEMPLATES } from './arn-templates';
import type { CheckDefinition, CheckPolicyProblem, CheckSettingsLayer } from './types';
import { lazy } from '../policy/zod';

const WEB_ACL = 'arn:{partition}:wafv2:{region}:{account}:regional/webacl/*/*';
/** The name of the web ACL the member stack creates in every region: what `webAcl: baseline` means. */
export const BASELINE_WEB_ACL_NAME = 'warden-baseline';
/**
 * Rules of AWS's Common Rule Set that break ordinary APIs (bodies over 8 KB, clients without a User-Agent):
 * counted, not blocked, unless the policy enforces them.
 */
export const COUNTED_COMMON_RULES = ['SizeRestrictions_BODY', 'NoUserAgent_HEADER'] as const;

/** No web ACL by default: the baseline is opt-in, since it costs every member account and region it is in. */
const DEFAULTS = { baselineRateLimit: 2000, baselineEnforceSizeAndUserAgentRules: false };

/** What the baseline web ACL costs each member account and region it is created in (us-east-1 list prices, 2025-11). */
export const BASELINE_WEB_ACL_PRICE = '$5 a month for the web ACL, $1 a month for each of its 4 rules, and $0.60 per million requests it inspects';

/** A `webAcl` setting: 'baseline', one web ACL ARN, or a map of region to either. */
type WebAclSetting = string | Readonly<Record<string, string>> | undefined;

/**
 * The regions where a section's `webAcl` asks for the baseline web ACL: 'all' for `webAcl: baseline`,
 * the map's regions whose value is 'baseline', else none.
 */
export function baselineRegionsOf(webAcl: unknown): 'all' | string[] {
  if (webAcl === 'baseline') return 'all';
  if (typeof webAcl !== 'object' || webAcl === null) return [];
  return Object.entries(webAcl as Record<string, unknown>)
    .filter(([, value]) => value === 'baseline')
    .map(([region]) => region);
}

/** The setting for one region: 'baseline', a web ACL ARN (of any region: the caller checks), or none. */
export function webAclSettingFor(webAcl: WebAclSetting, region: string): string | undefined {
  return typeof webAcl === 'object' ? webAcl[region] : webAcl;
}

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) => {
  const { regionName, webAclArn } = formats();
  return z
    .strictObject({
      webAcl: z
        .union([z.literal('baseline'), webAclArn, z.record(regionName, z.union([z.literal('baseline'), webAclArn]))])
        .optional()
        .describe(
          `Web ACL to associate: 'baseline' (the warden-baseline ACL of AWS managed rule groups, which the member stack then creates in every account and region: ${BASELINE_WEB_ACL_PRICE}), one regional web ACL ARN (used only for stages of its own region), or a map of region to ARN or 'baseline'. Unset (the default), stages without a web ACL are found and ticketed, not fixed.`,
        ),
      baselineRateLimit: z
        .number()
        .int()
        .min(100)
        .max(2_000_000_000)
        .default(DEFAULTS.baselineRateLimit)
        .describe(
          'Requests per 5 minutes from one IP address above which the baseline web ACL blocks (read from checks only: one ACL per member template).',
        ),
      baselineEnforceSizeAndUserAgentRules: z
        .boolean()
        .default(DEFAULTS.baselineEnforceSizeAndUserAgentRules)
        .describe(
          "When false (the default, as AWS advises for a new web ACL), the Common Rule Set's SizeRestrictions_BODY (bodies over 8 KB) and NoUserAgent_HEADER (no User-Agent) only count; true makes them block (read from checks only).",
        ),
    })
    .describe('API Gateway stage WAF settings');
});

export const apigatewayStageWaf = {
  id: 'apigateway-stage-waf',
  title: 'API Gateway REST API stages are protected by a WAF web ACL',
  noncompliantWhen: 'the REST API stage has no AWS WAFv2 web ACL associated (GetWebACLForResource is empty)',
  fix: "AssociateWebACL with the policy's web ACL for the region (an ARN, or 'baseline' for the member stack's web ACL of AWS managed rules); with none set, a ticket; undo disassociates only the web ACL Warden associated",
  resourceType: 'AWS::ApiGateway::Stage',
  cloudTrail: [
    { eventSource: 'apigateway.amazonaws.com', eventNames: ['CreateStage', 'UpdateStage', 'CreateDeployment'], resources: apiGatewayStages },
    { eventSource: 'wafv2.amazonaws.com', eventNames: ['DisassociateWebACL'], resources: wafv2Stages },
  ],
  configResourceType: 'AWS::ApiGateway::Stage',
  clients: { detect: ['apigateway', 'wafv2'], remediate: ['apigateway', 'wafv2'] },
  permissions: {
    detect: [
      {
        actions: ['apigateway:GET'],
        resources: [...STAGE_LISTING_TEMPLATES],
      },
      { actions: ['wafv2:GetWebACLForResource'], resources: [WEB_ACL, STAGE_ARN_TEMPLATE] },
      // GetWebACLForResource also needs wafv2:GetWebACL on the web ACL a stage already has.
      { actions: ['wafv2:GetWebACL'], resources: [WEB_ACL] },
    ],
    remediate: [
      { actions: ['apigateway:GET'], resources: [STAGE_ARN_TEMPLATE] },
      // Associating a web ACL with a REST API stage needs apigateway:SetWebACL on the stage as well.
      { actions: ['apigateway:SetWebACL'], resources: [STAGE_ARN_TEMPLATE] },
      {
        actions: ['wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'wafv2:GetWebACLForResource'],
        resources: [WEB_ACL, STAGE_ARN_TEMPLATE],
      },
    ],
  },
  memberWebAcl: (settings: Record<string, unknown>) => ({
    name: BASELINE_WEB_ACL_NAME,
    rateLimitPer5Minutes: Number(settings['baselineRateLimit']),
    countCommonRules: settings['baselineEnforceSizeAndUserAgentRules'] === true ? [] : COUNTED_COMMON_RULES,
    regionsOf: (own: Readonly<Record<string, unknown>>) => baselineRegionsOf(own['webAcl']),
  }),
  policyChecks: (layer: CheckSettingsLayer): CheckPolicyProblem[] => {
    const webAcl = layer.own['webAcl'];
    const path = [...layer.path, 'webAcl'];
    const regionOf = (arn: string) => arn.split(':')[3] ?? '';
    if (typeof webAcl === 'string' && webAcl !== 'baseline') {
      // One ARN names one region's ACL: applied to a stage elsewhere, AssociateWebACL fails.
      const elsewhere = layer.regions.filter((region) => region !== regionOf(webAcl));
      return elsewhere.length > 0
        ? [
            {
              path,
              severity: 'error',
              message: `this web ACL is in ${regionOf(webAcl)} and cannot protect stages in ${elsewhere.join(', ')}: use a map of region to web ACL ARN`,
            },
          ]
        : [];
    }
    if (typeof webAcl !== 'object' || webAcl === null) return [];
    const map = webAcl as Record<string, string>;
    return [
      ...Object.entries(map)
        .filter(([region, arn]) => arn !== 'baseline' && regionOf(arn) !== region)
        .map(([region]): CheckPolicyProblem => ({
          path: [...path, region],
          severity: 'error',
          message: `a web ACL must be in the region of the stages it protects (${region})`,
        })),
      ...(layer.atChecksLevel ? layer.regions : [])
        .filter((region) => !(region in map))
        .map((region): CheckPolicyProblem => ({
          path,
          severity: 'warning',
          message: `no web ACL for deployment region ${region}: stages there are ticketed, not fixed (add it, as an ARN or 'baseline')`,
        })),
    ];
  },
  iacHint: {
    cloudFormation: 'AWS::WAFv2::WebACLAssociation { ResourceArn: <the stage ARN>, WebACLArn }',
    cdk: 'new wafv2.CfnWebACLAssociation(this, id, { resourceArn: api.deploymentStage.stageArn, webAclArn })',
  },
  defaultMode: 'approval',
  severity: 'medium',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
