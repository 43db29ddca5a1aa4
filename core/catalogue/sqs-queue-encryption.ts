import { partitionOf } from '../aws/arns';
import { isAwsManagedKey, keyGrant } from '../aws/kms-keys';
import type { CloudTrailResources } from '../events/cloudtrail-resources';
import { formats } from '../policy/formats';
import type { CheckDefinition, PermissionStatement } from './types';
import { lazy } from '../policy/zod';

const QUEUE = 'arn:{partition}:sqs:{region}:{account}:*';

/** SSE with keys SQS owns and manages: no KMS key, no KMS charges, nothing for publishers to be granted. */
export const SQS_OWNED = 'sqs-owned';

/**
 * `https://sqs.us-east-1.amazonaws.com/111122223333/orders` (and the legacy `queue.amazonaws.com` forms)
 * → `arn:aws:sqs:us-east-1:111122223333:orders`. The account is the URL's: a queue of another account stays
 * another account's, and the detector refuses it.
 */
export function queueArnOfUrl(queueUrl: string, region: string): string | undefined {
  const match = /^https?:\/\/[^/]+\/(\d{12})\/([A-Za-z0-9_-]{1,80}(\.fifo)?)\/?$/.exec(queueUrl);
  return match ? `arn:${partitionOf(region)}:sqs:${region}:${match[1]}:${match[2]}` : undefined;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** SQS: the queue a call created (its URL is in the response) or changed (its URL is in the request). */
const sqsQueues: CloudTrailResources = ({ request, response, region }) => {
  const url = str(response['queueUrl']) ?? str(request['queueUrl']);
  const arn = url ? queueArnOfUrl(url, region) : undefined;
  return arn ? [arn] : [];
};

const DEFAULTS = { kmsKey: SQS_OWNED };

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) => {
  const { kmsKeyReference } = formats();
  return z
    .strictObject({
      kmsKey: z
        .union([z.literal(SQS_OWNED), kmsKeyReference])
        .default(DEFAULTS.kmsKey)
        .describe(
          'How the fix encrypts: sqs-owned (SSE-SQS, keys SQS manages), or a KMS key (alias/<name>, a key id or a key ARN) for SSE-KMS. ' +
            'alias/aws/sqs cannot be used by AWS services that send to the queue (SNS, EventBridge, S3): the fix refuses it for such a queue.',
        ),
    })
    .describe('SQS queue encryption settings');
});

export const sqsQueueEncryption = {
  id: 'sqs-queue-encryption',
  title: 'SQS queues are encrypted at rest',
  noncompliantWhen: 'the queue has neither SSE-SQS (SqsManagedSseEnabled) nor a KMS key (KmsMasterKeyId)',
  fix: 'SetQueueAttributes SqsManagedSseEnabled=true, or KmsMasterKeyId=<the policy key>; undo turns it off again if the queue is still as Warden left it',
  resourceType: 'AWS::SQS::Queue',
  cloudTrail: [{ eventSource: 'sqs.amazonaws.com', eventNames: ['CreateQueue', 'SetQueueAttributes'], resources: sqsQueues }],
  configResourceType: 'AWS::SQS::Queue',
  clients: { detect: ['sqs'], remediate: ['sqs', 'kms'] },
  permissions: {
    detect: [
      { actions: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:ListQueueTags'], resources: [QUEUE] },
      { actions: ['sqs:ListQueues'], resources: ['*'] },
    ],
    remediate: [{ actions: ['sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'], resources: [QUEUE] }],
  },
  policyPermissions: (settings: Record<string, unknown>): PermissionStatement[] => {
    const kmsKey = String(settings['kmsKey']);
    // SSE-SQS and the AWS managed key need no KMS permission of Warden's; a key the policy names is checked to exist.
    if (kmsKey === SQS_OWNED || isAwsManagedKey(kmsKey)) return [];
    return [{ actions: ['kms:DescribeKey'], ...keyGrant(kmsKey) }];
  },
  iacHint: {
    cloudFormation: 'AWS::SQS::Queue SqsManagedSseEnabled: true (or KmsMasterKeyId)',
    cdk: 'sqs.Queue encryption: QueueEncryption.SQS_MANAGED (or KMS with encryptionMasterKey)',
  },
  physicalId: (_resourceArn: string, evidence: Readonly<Record<string, unknown>>) =>
    typeof evidence['queueUrl'] === 'string' ? evidence['queueUrl'] : undefined,
  defaultMode: 'auto',
  severity: 'medium',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
