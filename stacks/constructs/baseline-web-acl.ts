import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

const MANAGED_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];

/** A regional web ACL of AWS managed rule groups: what Warden associates with unprotected REST API stages. */
export class BaselineWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(
    scope: Construct,
    id: string,
    props: {
      name: string;
      rateLimitPer5Minutes?: number;
      maxBodyBytes?: number;
      /** Rules of the Common Rule Set that only count (AWS advises count mode first for a new ACL). */
      countCommonRules?: readonly string[];
    },
  ) {
    super(scope, id);
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      // Inspect API Gateway bodies up to 16 KB, so the size rule below sees whole Slack payloads.
      ...(props.maxBodyBytes ? { associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_16' } } } } : {}),
      rules: [
        ...MANAGED_GROUPS.map((name, priority) => ({
          name,
          priority,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name,
              ...(name === 'AWSManagedRulesCommonRuleSet' && props.countCommonRules?.length
                ? { ruleActionOverrides: props.countCommonRules.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
                : {}),
            },
          },
          visibilityConfig: visibility(name),
        })),
        {
          name: 'RateLimitPerIp',
          priority: MANAGED_GROUPS.length,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.rateLimitPer5Minutes ?? 2000, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        ...(props.maxBodyBytes
          ? [
              {
                name: 'MaxBodySize',
                priority: MANAGED_GROUPS.length + 1,
                action: { block: {} },
                statement: {
                  sizeConstraintStatement: {
                    fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
                    comparisonOperator: 'GT',
                    size: props.maxBodyBytes,
                    textTransformations: [{ priority: 0, type: 'NONE' }],
                  },
                },
                visibilityConfig: visibility('MaxBodySize'),
              },
            ]
          : []),
      ],
    });
  }
}
