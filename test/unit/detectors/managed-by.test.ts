import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { managedByFromTags, StackLookup } from '../../../detectors/managed-by';

const cloudformation = mockClient(CloudFormationClient);
const lookup = new StackLookup(new CloudFormationClient({ region: 'us-east-1' }));
const TAGS = { 'aws:cloudformation:stack-name': 'orders-prod', 'aws:cloudformation:logical-id': 'OrdersTable6A1E2C1A', team: 'orders' };
const validationError = (message: string) =>
  new CloudFormationServiceException({ name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

beforeEach(() => cloudformation.reset());

describe('which stack manages a resource', () => {
  it("reads the stack and logical id from the resource's CloudFormation tags", () => {
    expect(managedByFromTags(TAGS)).toEqual({ tool: 'cloudformation', stack: 'orders-prod', logicalId: 'OrdersTable6A1E2C1A' });
    expect(managedByFromTags({ team: 'orders' })).toBeUndefined();
  });

  it("says cdk when the stack's resource carries CDK metadata", async () => {
    cloudformation.on(DescribeStackResourceCommand).resolves({
      StackResourceDetail: {
        StackName: 'orders-prod',
        LogicalResourceId: 'OrdersTable6A1E2C1A',
        ResourceType: 'AWS::DynamoDB::Table',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date('2026-11-01T00:00:00Z'),
        Metadata: '{"aws:cdk:path":"OrdersStack/OrdersTable/Resource"}',
      },
    });
    await expect(lookup.managedBy(TAGS, 'orders')).resolves.toEqual({ tool: 'cdk', stack: 'orders-prod', logicalId: 'OrdersTable6A1E2C1A' });
    expect(cloudformation).toHaveReceivedCommandWith(DescribeStackResourceCommand, {
      StackName: 'orders-prod',
      LogicalResourceId: 'OrdersTable6A1E2C1A',
    });
    expect(cloudformation).not.toHaveReceivedCommand(DescribeStackResourcesCommand);
  });

  it('finds the stack by physical id when the tags name none (SQS and DynamoDB never get them), picking its own entry', async () => {
    cloudformation.on(DescribeStackResourcesCommand).resolves({
      StackResources: [
        {
          StackName: 'legacy-queues',
          LogicalResourceId: 'DeadLetters',
          PhysicalResourceId: 'https://sqs.us-east-1.amazonaws.com/111122223333/order-events-dlq',
          ResourceType: 'AWS::SQS::Queue',
          ResourceStatus: 'CREATE_COMPLETE',
          Timestamp: new Date('2026-11-01T00:00:00Z'),
        },
        {
          StackName: 'legacy-queues',
          LogicalResourceId: 'OrderEvents',
          PhysicalResourceId: 'https://sqs.us-east-1.amazonaws.com/111122223333/order-events',
          ResourceType: 'AWS::SQS::Queue',
          ResourceStatus: 'CREATE_COMPLETE',
          Timestamp: new Date('2026-11-01T00:00:00Z'),
        },
      ],
    });
    cloudformation.on(DescribeStackResourceCommand).resolves({
      StackResourceDetail: {
        StackName: 'legacy-queues',
        LogicalResourceId: 'OrderEvents',
        ResourceType: 'AWS::SQS::Queue',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date('2026-11-01T00:00:00Z'),
      },
    });
    await expect(lookup.managedBy({}, 'https://sqs.us-east-1.amazonaws.com/111122223333/order-events')).resolves.toEqual({
      tool: 'cloudformation',
      stack: 'legacy-queues',
      logicalId: 'OrderEvents',
    });
  });

  it('is not managed when no stack has the resource, or the stack the tags name is gone', async () => {
    cloudformation
      .on(DescribeStackResourcesCommand)
      .rejects(validationError('Stack for https://sqs.us-east-1.amazonaws.com/111122223333/jobs does not exist'));
    await expect(lookup.managedBy({}, 'https://sqs.us-east-1.amazonaws.com/111122223333/jobs')).resolves.toBeUndefined();
    cloudformation.on(DescribeStackResourceCommand).rejects(validationError('Stack orders-prod does not exist'));
    await expect(lookup.managedBy(TAGS, undefined)).resolves.toBeUndefined();
    await expect(lookup.managedBy({}, undefined)).resolves.toBeUndefined();
  });

  it('lets any other error through (a missing permission must be seen, not read as "not managed")', async () => {
    cloudformation.on(DescribeStackResourceCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    await expect(lookup.managedBy(TAGS, undefined)).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
