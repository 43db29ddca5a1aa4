import { Aws, CfnCondition, Fn, type ICfnConditionExpression } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CATALOGUE } from '../../core/catalogue';
import type { Policy } from '../../core/policy/schema';
import { BaselineWebAcl } from './baseline-web-acl';
import { checksLevelSettings, regionsAskedFor } from './policy-sections';

/** A condition that holds in the regions given (Fn::Or takes 2 to 10 conditions: larger lists nest). */
function inRegions(regions: readonly string[]): ICfnConditionExpression {
  const equals = regions.map((region) => Fn.conditionEquals(Aws.REGION, region));
  const or = (conditions: ICfnConditionExpression[]): ICfnConditionExpression => {
    if (conditions.length === 1) return conditions[0]!;
    if (conditions.length <= 10) return Fn.conditionOr(...conditions);
    const groups: ICfnConditionExpression[] = [];
    for (let index = 0; index < conditions.length; index += 10) groups.push(or(conditions.slice(index, index + 10)));
    return or(groups);
  };
  return or(equals);
}

/**
 * The web ACL a check declares (the baseline), from its checks-level settings, created only in the
 * regions where the policy asks for it: unconditionally when a section that applies everywhere says
 * `baseline`, else under a condition on AWS::Region. With its ARN for the remediators ('' in a region
 * without it); `undefined` when no section asks for it at all.
 */
export function memberBaselineWebAcl(scope: Construct, policy: Policy): { acl: BaselineWebAcl; arn: string } | undefined {
  const aclCheck = CATALOGUE.find((check) => 'memberWebAcl' in check);
  const acl = aclCheck && 'memberWebAcl' in aclCheck ? aclCheck.memberWebAcl(checksLevelSettings(aclCheck, policy)) : undefined;
  if (!aclCheck || !acl) throw new Error('no check declares the member web ACL');
  const regions = regionsAskedFor(aclCheck, policy, acl.regionsOf);
  if (regions !== 'all' && regions.length === 0) return undefined;
  const baseline = new BaselineWebAcl(scope, 'Baseline', acl);
  if (regions === 'all') return { acl: baseline, arn: baseline.webAcl.attrArn };
  const condition = new CfnCondition(scope, 'BaselineWebAclRegions', { expression: inRegions(regions) });
  baseline.webAcl.cfnOptions.condition = condition;
  return { acl: baseline, arn: Fn.conditionIf(condition.logicalId, baseline.webAcl.attrArn, '').toString() };
}
