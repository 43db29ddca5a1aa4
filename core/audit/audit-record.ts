import { createHash } from 'node:crypto';
import { canonicalJson } from '../finding';

/** One append-only audit record. `hash` covers every other field, `prevHash` links it to the record before. */
export interface AuditRecord {
  readonly findingId: string;
  /** 1, 2, 3 … within the finding: a gap means a deleted record. */
  readonly seq: number;
  readonly account: string;
  readonly region: string;
  readonly check: string;
  readonly resourceArn: string;
  readonly state: string;
  /** `warden`, `slack:U…`, or a principal ARN. */
  readonly actor: string;
  readonly time: string;
  readonly executionArn?: string;
  /** Redacted state before and after (evidence of the detector and of verify). */
  readonly before?: unknown;
  readonly after?: unknown;
  /** Everything else the workflow said: decision, reason, planned calls, ticket, error, undo record. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string | null;
  readonly hash: string;
}

export type UnsealedRecord = Omit<AuditRecord, 'hash'>;

export function hashRecord(record: UnsealedRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

export function seal(record: UnsealedRecord): AuditRecord {
  return { ...record, hash: hashRecord(record) };
}
