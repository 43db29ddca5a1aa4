import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dynamodbTableEncryption } from '../../../core/catalogue';
import { sqsQueueEncryption } from '../../../core/catalogue/sqs-queue-encryption';
import { dynamodbTableEncryptionDetector } from '../../../detectors/dynamodb-table-encryption';
import { sqsQueueEncryptionDetector } from '../../../detectors/sqs-queue-encryption';
import { cloudAssemblyDir, resourcesOfType, synthesizedTemplates } from '../../support/cloud-assembly';

/*
 * What `cdk synth` deploys for a policy of defaults only (test/fixtures/policy/defaults.yaml): the
 * member template every account and region gets when a team changes nothing, priced by the bench.
 */

const TEMPLATES = synthesizedTemplates('defaults');
const MEMBER = Object.entries(TEMPLATES).find(([file]) => file.endsWith('.stackset.template.json'))![1];

describe('the member template of a policy of defaults', () => {
  it('has no customer managed key: nothing in it is billed by the month', () => {
    expect(resourcesOfType(MEMBER, 'AWS::KMS::Key')).toEqual([]);
    expect(resourcesOfType(MEMBER, 'AWS::KMS::Alias')).toEqual([]);
    // What remains of KMS is the table check's kms:DescribeKey on the tables' keys: no role uses a key of Warden's.
    const granted = JSON.stringify(resourcesOfType(MEMBER, 'AWS::IAM::Policy'));
    expect(granted).not.toMatch(/kms:(Decrypt|Encrypt|GenerateDataKey)/);
  });

  it("keeps the counters table under the AWS managed key, which Warden's own table check accepts by default", async () => {
    const tables = resourcesOfType(MEMBER, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    for (const [id, table] of tables) {
      const sse = table.Properties?.['SSESpecification'] as { SSEEnabled?: boolean; SSEType?: string; KMSMasterKeyId?: unknown };
      // CloudFormation: "If enabled (true), server-side encryption type is set to KMS and an AWS managed key is used".
      expect(sse).toEqual({ SSEEnabled: true });
      const state = {
        tableName: id,
        tableStatus: 'ACTIVE',
        tags: {},
        keyManager: 'AWS',
        sse: { status: 'ENABLED', type: 'KMS', kmsKeyArn: 'aws/dynamodb' },
      };
      await expect(dynamodbTableEncryptionDetector.evaluate(state, dynamodbTableEncryption.settings.parse({}))).resolves.toMatchObject({
        status: 'COMPLIANT',
      });
    }
  });

  it("encrypts the dead-letter queue with SSE-SQS, which Warden's own queue check accepts", async () => {
    const queues = resourcesOfType(MEMBER, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(1);
    for (const [id, queue] of queues) {
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true });
      expect(queue.Properties?.['KmsMasterKeyId']).toBeUndefined();
      const state = { queueName: id, queueUrl: id, sqsManagedSse: true, servicePublishers: ['events.amazonaws.com'], tags: {} };
      await expect(sqsQueueEncryptionDetector.evaluate(state, sqsQueueEncryption.settings.parse({}))).resolves.toMatchObject({
        status: 'COMPLIANT',
      });
    }
  });

  it('creates no web ACL: the baseline is opt-in (webAcl: baseline), and stages without one are ticketed', () => {
    expect(resourcesOfType(MEMBER, 'AWS::WAFv2::WebACL')).toEqual([]);
  });

  it('has no alarm and no dashboard: the hub watches the organization', () => {
    expect(resourcesOfType(MEMBER, 'AWS::CloudWatch::Alarm')).toEqual([]);
    expect(resourcesOfType(MEMBER, 'AWS::CloudWatch::Dashboard')).toEqual([]);
  });

  it('passes cdk-nag with zero unacknowledged AwsSolutions findings', () => {
    const report = JSON.parse(readFileSync(join(cloudAssemblyDir('defaults'), 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
  });
});
