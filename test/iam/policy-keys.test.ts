import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parsePolicy } from '../../core/policy/parse-policy';
import { defineWardenStacks } from '../../stacks/warden-app';
import type { CfnTemplate } from '../support/cloud-assembly';
import type { PolicyDocument } from '../support/policy-statements';
import { functionRole, simulate } from '../support/iam-simulation';
import type { DeploymentTarget } from '../support/resolve-intrinsics';

/*
 * Permissions that depend on the policy: a DynamoDB fix to a customer managed key needs that key, through
 * DynamoDB, and no other. The stacks are synthesized (without bundling) for a policy that names one.
 */

const TARGET: DeploymentTarget = { partition: 'aws', region: 'eu-west-1', account: '111122223333' };
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** The user's key with the default key policy, which lets IAM policies of the account decide. */
const KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
  ],
};

function standaloneFor(policyText: string): CfnTemplate {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true } });
  const stacks = defineWardenStacks(app, parsePolicy(policyText, 'policy.yaml').policy);
  return Template.fromStack(stacks.standalone).toJSON() as CfnTemplate;
}

describe('a DynamoDB fix to the customer managed key the policy names', () => {
  let template: CfnTemplate;
  beforeAll(() => {
    template = standaloneFor(
      'version: 1\nchecks:\n  dynamodb-table-encryption: { mode: auto, kmsKey: alias/orders-data, requireCustomerManagedKey: true }\n',
    );
  }, 120_000);

  const remediator = () => functionRole('Warden-Standalone', template, '/Remediator-dynamodb-table-encryption/Function/Resource', TARGET);
  const viaDynamoDB = (aliases: string[]) => ({
    'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com',
    'kms:ResourceAliases': aliases,
    'kms:GrantIsForAWSResource': 'true',
  });

  it.each(['kms:CreateGrant', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:DescribeKey'])(
    'allows %s on that key through DynamoDB',
    async (action) => {
      const role = remediator();
      const decision = await simulate({
        principal: role.arn,
        action,
        resource: KEY,
        resourceAccount: TARGET.account,
        identityPolicies: role.identityPolicies,
        resourcePolicy: KEY_POLICY,
        context: viaDynamoDB(['alias/orders-data']),
      });
      expect(decision.result).toBe('Allowed');
    },
  );

  it('refuses the key outside DynamoDB', async () => {
    const role = remediator();
    const decision = await simulate({
      principal: role.arn,
      action: 'kms:Decrypt',
      resource: KEY,
      resourceAccount: TARGET.account,
      identityPolicies: role.identityPolicies,
      resourcePolicy: KEY_POLICY,
      context: { 'kms:ResourceAliases': ['alias/orders-data'] },
    });
    expect(decision.result).not.toBe('Allowed');
  });

  it('refuses any other key, even through DynamoDB', async () => {
    const role = remediator();
    const decision = await simulate({
      principal: role.arn,
      action: 'kms:CreateGrant',
      resource: KEY,
      resourceAccount: TARGET.account,
      identityPolicies: role.identityPolicies,
      resourcePolicy: KEY_POLICY,
      context: viaDynamoDB(['alias/payments']),
    });
    expect(decision.result).not.toBe('Allowed');
  });
});
