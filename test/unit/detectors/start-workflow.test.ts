import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../cli/local-dynamodb';
import { episodeSeconds, FindingEpisodes } from '../../../detectors/finding-episodes';
import { workflowStarter } from '../../../detectors/start-workflow';
import { workflowInput } from '../../support/workflow-input';

const sfn = mockClient(SFNClient);
const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:warden-remediation';
const NOW = new Date('2026-11-20T10:00:00Z');
let local: LocalDynamoDb;
let tables = 0;

beforeAll(async () => {
  local = await startLocalDynamoDb();
});
afterAll(() => local.stop());

async function starter(now: () => Date) {
  tables += 1;
  await local.client.send(
    new CreateTableCommand({
      TableName: `counters-${tables}`,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }),
  );
  return workflowStarter(new SFNClient({ region: 'us-east-1' }), STATE_MACHINE, new FindingEpisodes(local.client, `counters-${tables}`), now);
}

beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:x`, startDate: NOW });
});

describe('workflowStarter', () => {
  const input = workflowInput({ approvalTimeoutSeconds: 3600 });
  const id = input.finding.findingId;

  it('names the execution after the finding and its episode', async () => {
    const start = await starter(() => NOW);
    await expect(start(input)).resolves.toBe('started');
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: STATE_MACHINE, name: `${id}-1`, input: JSON.stringify(input) });
  });

  it('treats more events for an open episode as duplicates: one remediation', async () => {
    const start = await starter(() => NOW);
    const outcomes = await Promise.all([start(input), start(input), start(input)]);
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'started']);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it('starts a new episode when the same violation comes back after the last one ran its course', async () => {
    let now = NOW;
    const start = await starter(() => now);
    await start(input);
    now = new Date(NOW.getTime() + (episodeSeconds(3600) + 1) * 1000);
    await expect(start(input)).resolves.toBe('started');
    expect(sfn).toHaveReceivedNthCommandWith(2, StartExecutionCommand, { name: `${id}-2` });
  });

  it('reports ExecutionAlreadyExists as a duplicate', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const start = await starter(() => NOW);
    await expect(start(input)).resolves.toBe('duplicate');
  });
});
