import { createCountersTable } from '../../support/counters-table';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../../cli/local-dynamodb';
import { Rebreaks } from '../../../detectors/rebreaks';

let local: LocalDynamoDb;
let rebreaks: Rebreaks;
const ARN = 'arn:aws:sqs:us-east-1:111122223333:order-events';
const DAY = 86_400;
const at = (hour: number) => new Date(Date.UTC(2026, 10, 20, hour)).toISOString();

beforeAll(async () => {
  local = await startLocalDynamoDb();
  await createCountersTable(local.client, 'counters');
  rebreaks = new Rebreaks(local.client, 'counters');
});
afterAll(() => local.stop());

describe('Rebreaks (against dynalite)', () => {
  it('keeps the automatic fixes of a resource, and reads back those within the window', async () => {
    await rebreaks.record('sqs-queue-encryption', ARN, { at: at(1), by: 'arn:aws:sts::111122223333:assumed-role/deploy/pipeline' }, DAY, false);
    await rebreaks.record('sqs-queue-encryption', ARN, { at: at(5), by: 'config' }, DAY, false);
    const { breaks, ticketed } = await rebreaks.recent('sqs-queue-encryption', ARN, new Date(at(6)), DAY);
    expect(breaks).toEqual([
      { at: at(1), by: 'arn:aws:sts::111122223333:assumed-role/deploy/pipeline' },
      { at: at(5), by: 'config' },
    ]);
    expect(ticketed).toBe(false);
    // Outside the window, they no longer count.
    expect((await rebreaks.recent('sqs-queue-encryption', ARN, new Date(at(26)), DAY)).breaks).toEqual([{ at: at(5), by: 'config' }]);
    expect((await rebreaks.recent('dynamodb-table-encryption', ARN, new Date(at(6)), DAY)).breaks).toEqual([]);
  });

  it('remembers that a flapping spell has its ticket until the window ends', async () => {
    await rebreaks.record('sqs-queue-encryption', ARN, { at: at(7), by: 'sweep' }, DAY, true);
    expect((await rebreaks.recent('sqs-queue-encryption', ARN, new Date(at(8)), DAY)).ticketed).toBe(true);
    expect((await rebreaks.recent('sqs-queue-encryption', ARN, new Date(at(7 + 25)), DAY)).ticketed).toBe(false);
  });

  it('keeps a bounded list for a resource that flaps all day', async () => {
    const other = `${ARN}-busy`;
    for (let minute = 0; minute < 55; minute += 1)
      await rebreaks.record(
        'sqs-queue-encryption',
        other,
        { at: new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString(), by: 'sweep' },
        DAY,
        false,
      );
    const { breaks } = await rebreaks.recent('sqs-queue-encryption', other, new Date(Date.UTC(2026, 10, 20, 11)), DAY);
    expect(breaks).toHaveLength(50);
    expect(breaks[0]?.at).toBe(new Date(Date.UTC(2026, 10, 20, 10, 5)).toISOString());
  });
});
