import { partitionOf } from '../aws/arns';
import { isAwsManagedKey, keyGrant } from '../aws/kms-keys';
import type { CloudTrailResources } from '../events/cloudtrail-resources';
import { formats } from '../policy/formats';
import type { CheckDefinition, PermissionStatement } from './types';
import { lazy } from '../policy/zod';

const TOPIC = 'arn:{partition}:sns:{region}:{account}:*';

/** The AWS managed key of SNS: its key policy cannot be changed, so no AWS service can publish to a topic under it. */
export const SNS_AWS_MANAGED_KEY = 'alias/aws/sns';

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** SNS: the topic a call created (its ARN is in the response, else built from its name) or changed (in the request). */
const snsTopics: CloudTrailResources = ({ request, response, region, account }) => {
  const arn = str(response['topicArn']) ?? str(request['topicArn']);
  if (arn) return [arn];
  const name = str(request['name']);
  return name ? [`arn:${partitionOf(region)}:sns:${region}:${account}:${name}`] : [];
};

const DEFAULTS = { kmsKey: SNS_AWS_MANAGED_KEY };

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) => {
  const { kmsKeyReference } = formats();
  return z
    .strictObject({
      kmsKey: kmsKeyReference
        .default(DEFAULTS.kmsKey)
        .describe(
          'The KMS key the fix encrypts topics with (alias/<name>, a key id or a key ARN). alias/aws/sns, the default, cannot be granted to AWS services: ' +
            'the fix refuses it for a topic an AWS service can publish to (CloudWatch alarms, EventBridge, S3 and others), and names a customer managed key as what is needed.',
        ),
    })
    .describe('SNS topic encryption settings');
});

export const snsTopicEncryption = {
  id: 'sns-topic-encryption',
  title: 'SNS topics are encrypted at rest',
  noncompliantWhen: 'the topic has no KMS key (KmsMasterKeyId)',
  fix:
    "SetTopicAttributes KmsMasterKeyId=<the policy's key>, refused (with the reason) when the key would stop AWS services publishing to the topic; " +
    'undo removes the key if the topic is still as Warden left it',
  resourceType: 'AWS::SNS::Topic',
  cloudTrail: [{ eventSource: 'sns.amazonaws.com', eventNames: ['CreateTopic', 'SetTopicAttributes'], resources: snsTopics }],
  configResourceType: 'AWS::SNS::Topic',
  clients: { detect: ['sns'], remediate: ['sns', 'kms'] },
  permissions: {
    detect: [
      { actions: ['sns:GetTopicAttributes', 'sns:ListTagsForResource'], resources: [TOPIC] },
      { actions: ['sns:ListTopics'], resources: ['*'] },
    ],
    remediate: [{ actions: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes'], resources: [TOPIC] }],
  },
  policyPermissions: (settings: Record<string, unknown>): PermissionStatement[] => {
    const kmsKey = String(settings['kmsKey']);
    // The AWS managed key needs no permission of Warden's; a key the policy names is checked to exist, and its policy read.
    if (isAwsManagedKey(kmsKey)) return [];
    return [{ actions: ['kms:DescribeKey', 'kms:GetKeyPolicy'], ...keyGrant(kmsKey) }];
  },
  iacHint: {
    cloudFormation: 'AWS::SNS::Topic KmsMasterKeyId',
    cdk: 'sns.Topic masterKey: <a kms.Key whose policy allows the publishing services>',
  },
  physicalId: (resourceArn: string) => resourceArn,
  defaultMode: 'approval',
  severity: 'medium',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
