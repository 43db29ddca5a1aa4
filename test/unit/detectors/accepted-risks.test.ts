import { createCountersTable } from '../../support/counters-table';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../cli/local-dynamodb';
import { AcceptedRisks } from '../../../detectors/accepted-risks';

let local: LocalDynamoDb;
let risks: AcceptedRisks;
const ARN = 'arn:aws:sqs:us-east-1:111122223333:order-events';
const risk = {
  check: 'sqs-queue-encryption',
  resourceArn: ARN,
  findingId: 'f1',
  by: 'arn:aws:sts::111122223333:assumed-role/SecOps/alice',
  reason: 'the consumer cannot decrypt yet',
  until: '2026-12-20T10:00:00.000Z',
};

beforeAll(async () => {
  local = await startLocalDynamoDb();
  await createCountersTable(local.client, 'counters');
  risks = new AcceptedRisks(local.client, 'counters');
});
afterAll(() => local.stop());

describe('AcceptedRisks (against dynalite)', () => {
  it('keeps an acceptance per check and resource, in force until it lapses', async () => {
    await risks.accept(risk);
    await expect(risks.find('sqs-queue-encryption', ARN, new Date('2026-12-01T00:00:00Z'))).resolves.toEqual(risk);
    await expect(risks.find('sqs-queue-encryption', ARN, new Date('2026-12-20T10:00:00Z'))).resolves.toBeUndefined();
    await expect(risks.find('dynamodb-table-encryption', ARN, new Date('2026-12-01T00:00:00Z'))).resolves.toBeUndefined();
    await expect(risks.find('sqs-queue-encryption', `${ARN}-other`, new Date('2026-12-01T00:00:00Z'))).resolves.toBeUndefined();
  });
});
