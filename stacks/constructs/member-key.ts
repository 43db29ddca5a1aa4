import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { CATALOGUE } from '../../core/catalogue';
import { filledConditions } from './catalogue-policy';

/**
 * Warden's own key in a member account and region, when the policy asks for one, with what the checks
 * declare they need of it: an alias the policy can name, and a statement for the account's principals
 * ("*" limited by kms:CallerAccount, as in AWS managed keys).
 */
export function memberKey(scope: Construct): kms.Key {
  const key = new kms.Key(scope, 'Key', {
    description: 'Warden member data: blast-radius counters, dead letters and the secrets Warden moves out of Lambda environments',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const check of CATALOGUE) {
    const use = 'memberKey' in check ? check.memberKey : undefined;
    if (!use) continue;
    key.addAlias(use.alias);
    if (!use.accountPrincipals) continue;
    const conditions = filledConditions(use.accountPrincipals.conditions);
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: use.accountPrincipals.sid,
        principals: [new iam.AnyPrincipal()],
        actions: [...use.accountPrincipals.actions],
        resources: ['*'],
        conditions: { ...conditions, StringEquals: { ...conditions['StringEquals'], 'kms:CallerAccount': Aws.ACCOUNT_ID } },
      }),
    );
  }
  return key;
}
