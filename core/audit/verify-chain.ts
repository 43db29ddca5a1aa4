import { type AuditRecord, hashRecord } from './audit-record';

export interface ChainProblem {
  readonly findingId: string;
  readonly seq: number;
  readonly problem: 'edited' | 'missing' | 'broken-link' | 'truncated';
  readonly detail: string;
}

/**
 * Walks one finding's records in order: each hash must match its content, sequence numbers must have no
 * gap, each record must name its predecessor's hash, and the last must be the one the projection names.
 */
export function verifyChain(records: readonly AuditRecord[], latest?: { lastSeq: number; lastHash: string }): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let previous: AuditRecord | undefined;
  for (const record of records) {
    const { hash, ...unsealed } = record;
    if (hashRecord(unsealed) !== hash) {
      problems.push({ findingId: record.findingId, seq: record.seq, problem: 'edited', detail: `record ${record.seq} does not match its hash` });
    }
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (record.seq !== expectedSeq) {
      problems.push({
        findingId: record.findingId,
        seq: expectedSeq,
        problem: 'missing',
        detail: `records ${expectedSeq}..${record.seq - 1} are missing`,
      });
    } else if (record.prevHash !== (previous?.hash ?? null)) {
      problems.push({
        findingId: record.findingId,
        seq: record.seq,
        problem: 'broken-link',
        detail: `record ${record.seq} does not follow record ${expectedSeq - 1}`,
      });
    }
    previous = record;
  }
  if (latest && previous && (latest.lastSeq !== previous.seq || latest.lastHash !== previous.hash)) {
    const detail =
      latest.lastSeq === previous.seq
        ? `the last record ${previous.seq} is not the one the projection names (its hash differs)`
        : `the last record should be ${latest.lastSeq}, found ${previous.seq}`;
    problems.push({ findingId: previous.findingId, seq: latest.lastSeq, problem: 'truncated', detail });
  }
  return problems;
}
