import type { AuditRecord } from '../../core/audit/audit-record';
import { digestedFindings, verifyDigests } from '../../core/audit/audit-digest';
import { type ChainProblem, verifyChain } from '../../core/audit/verify-chain';
import { auditStoreFor, auditStoresFor } from '../audit-table';
import { type CommandIo, defineCommand, EXIT_FINDINGS, EXIT_OK, painter, UsageError } from '../io';
import { auditReport } from '../reports/from-results';
import { parseFormats, REPORT_FLAGS, writeReports } from '../reports/write-reports';
import { isCheckId, CHECK_IDS } from '../../core/catalogue';
import { AUDIT_STATES } from '../../core/events/bus-contract';
import { didYouMean } from '../../core/text/did-you-mean';

const suggest = (value: string, candidates: readonly string[]) => {
  const guess = didYouMean(value, candidates);
  return guess ? ` (did you mean '${guess}'?)` : '';
};

/** An ISO-8601 date or date-time (2026-11-01, 2026-11-01T10:00:00Z), as the audit trail's times are written. */
function isoTime(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const shaped = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value);
  if (!shaped || Number.isNaN(Date.parse(value)))
    throw new UsageError(`--${flag} '${value}' is not an ISO-8601 date or time, e.g. 2026-11-01 or 2026-11-01T10:00:00Z`);
  return value;
}

/** Every flag's value checked before any AWS call: a typo must not answer "0 records". */
function validateQuery(values: {
  finding?: string | undefined;
  account?: string | undefined;
  check?: string | undefined;
  state?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  resource?: string | undefined;
}): void {
  if (values.finding !== undefined && !/^[0-9a-f]{40}$/.test(values.finding))
    throw new UsageError(`--finding '${values.finding}' is not a finding id (40 hex characters, as reports and Slack show it)`);
  if (values.account !== undefined && !/^\d{12}$/.test(values.account))
    throw new UsageError(`--account '${values.account}' is not an AWS account id (12 digits)`);
  if (values.resource !== undefined && !values.resource.startsWith('arn:')) throw new UsageError(`--resource '${values.resource}' is not an ARN`);
  if (values.check !== undefined && !isCheckId(values.check))
    throw new UsageError(`--check '${values.check}' is not a check${suggest(values.check, CHECK_IDS)}: 'warden checks' lists them`);
  if (values.state !== undefined && !(AUDIT_STATES as readonly string[]).includes(values.state))
    throw new UsageError(`--state '${values.state}' is not an audit state${suggest(values.state, AUDIT_STATES)}: one of ${AUDIT_STATES.join(', ')}`);
  const from = isoTime('from', values.from);
  const to = isoTime('to', values.to);
  if (
    (from !== undefined || to !== undefined) &&
    (values.finding !== undefined || (values.check === undefined && values.account === undefined && values.resource === undefined))
  )
    throw new UsageError('--from and --to apply to --resource, --account or --check with --state');
  if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) throw new UsageError(`--from ${from} is after --to ${to}`);
}

function printRecords(records: readonly AuditRecord[], json: boolean, io: CommandIo): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
    return;
  }
  const paint = painter(io.stdout, io.env);
  for (const record of records) {
    // A dry run's records say what would have happened: never shown as if it had.
    const state = record.details['dryRun'] === true ? `${record.state} (dry run)` : record.state;
    io.stdout.write(
      `${record.time}  ${paint.bold(state.padEnd(20))} ${record.check}  ${record.resourceArn}  ${paint.dim(`${record.account} ${record.actor} ${record.findingId}#${record.seq}`)}\n`,
    );
  }
  io.stdout.write(`${records.length} records\n`);
}

const WHERE = {
  type: 'string',
  value: '<name>',
  description: "the audit table (default: WARDEN_AUDIT_TABLE, else the deployed stack's AuditTableName output)",
} as const;
const REGION = { type: 'string', value: '<r>', description: "the table's region (default: AWS_REGION)" } as const;

export const auditQueryCommand = defineCommand({
  name: 'audit query',
  summary: 'read the audit trail: a finding, a resource, an account in a time range, pending approvals, a check in a state',
  usage: `[--table t] [--region r] <one of:>
    --finding <id>                       a finding's history, in order
    --resource <arn>                     a resource's history across findings
    --account <id> [--from t] [--to t]   an account's records in a time range (ISO-8601)
    --pending                            findings waiting for an approval decision
    --check <id> --state <STATE>         records of one check in one state (e.g. FAILED)
  [--json] [--output-dir d [--formats f,g]]`,
  description: `The table is --table, else WARDEN_AUDIT_TABLE, else the AuditTableName output of the deployed Warden-Hub
or Warden-Standalone stack.
Each pattern is one DynamoDB query.`,
  flags: {
    table: WHERE,
    region: REGION,
    finding: { type: 'string', value: '<id>', description: "a finding's history, in order" },
    resource: { type: 'string', value: '<arn>', description: "a resource's history across findings" },
    account: { type: 'string', value: '<id>', description: "an account's records (with --from and --to)" },
    from: { type: 'string', value: '<time>', description: 'ISO-8601 start of the range (--account, --resource, --check)' },
    to: { type: 'string', value: '<time>', description: 'ISO-8601 end of the range' },
    pending: { type: 'boolean', description: 'findings waiting for an approval decision' },
    check: { type: 'string', value: '<id>', description: `with --state: one of ${CHECK_IDS.join(', ')}` },
    state: { type: 'string', value: '<STATE>', description: `with --check: one of ${AUDIT_STATES.join(', ')}` },
    json: { type: 'boolean', description: 'the records as JSON' },
    ...REPORT_FLAGS,
  },
  examples: [
    'warden audit query --table warden-audit --finding 5ef4b29f0c1f6197fe80f4ccff68f24a5b3da58a',
    'warden audit query --account 111122223333 --from 2026-11-01 --to 2026-11-30 --json',
  ],
  exitCodes: '0 ok, 1 AWS or input error, 2 usage error.',
  async run({ values }, io) {
    const chosen = [values.finding, values.resource, values.account, values.pending ? 'pending' : undefined, values.check ?? values.state].filter(
      (value) => value !== undefined,
    );
    if (chosen.length !== 1) throw new UsageError('choose exactly one of --finding, --resource, --account, --pending, --check with --state');
    if ((values.check === undefined) !== (values.state === undefined)) throw new UsageError('--check and --state go together');
    validateQuery(values);
    const formats = parseFormats(values['output-dir'], values.formats);
    const store = await auditStoreFor(values.table, values.region, io);
    const range = { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) };
    if (values.pending) {
      const pending = await store.pendingApprovals();
      io.stdout.write(
        values.json
          ? `${JSON.stringify(pending, null, 2)}\n`
          : `${pending.map((entry) => `${entry.pendingSince}  ${entry.check}  ${entry.resourceArn}  ${entry.account} ${entry.findingId}`).join('\n')}\n${pending.length} pending approvals\n`,
      );
      return EXIT_OK;
    }
    const records = values.finding
      ? await store.findingHistory(values.finding)
      : values.resource
        ? await store.resourceHistory(values.resource, range)
        : values.account
          ? await store.accountRecords(values.account, range)
          : await store.byCheckAndState(values.check ?? '', values.state ?? '', range);
    printRecords(records, values.json, io);
    if (values['output-dir']) {
      const query = (['finding', 'resource', 'account', 'check', 'state', 'from', 'to'] as const)
        .flatMap((flag) => (values[flag] === undefined ? [] : [`--${flag} ${values[flag]}`]))
        .join(' ');
      for (const file of writeReports(auditReport(records, `audit query ${query}`, new Date()), values['output-dir'], formats, io.cwd))
        io.stderr.write(`wrote ${file}\n`);
    }
    return EXIT_OK;
  },
});

export const auditVerifyCommand = defineCommand({
  name: 'audit verify',
  summary: "walk the audit trail's hash chains and report edited, missing or truncated records",
  usage: '[--table t] [--region r] [--finding id] [--json]',
  description: `Checks every finding's chain (or one finding's): each record's hash matches its content, sequence
numbers have no gap, each record names its predecessor's hash, and the last record is the one the
finding's projection names. Then the hourly digests: each matches its hash and follows the one before,
no hour is missing, and every finding a digest lists is still in the table with the record it lists,
so a finding deleted whole, projection and all, is reported.`,
  flags: {
    table: WHERE,
    region: REGION,
    finding: { type: 'string', value: '<id>', description: "one finding's chain only (no digests)" },
    json: { type: 'boolean', description: 'the counts and problems as JSON' },
  },
  examples: ['warden audit verify --table warden-audit', 'warden audit verify --finding 5ef4b29f0c1f6197fe80f4ccff68f24a5b3da58a --json'],
  exitCodes: '0 every chain intact, 1 tampering found (or an AWS error), 2 usage error.',
  async run({ values }, io) {
    const { store, digests: digestStore } = await auditStoresFor(values.table, values.region, io);
    const digests = values.finding ? [] : await digestStore.all();
    // The findings the table still holds, and those the digests say it held: a finding deleted whole shows.
    const findings = values.finding ? [values.finding] : [...new Set([...(await store.findingIds()), ...digestedFindings(digests)])].sort();
    const histories = new Map<string, AuditRecord[]>();
    const problems: ChainProblem[] = [];
    let records = 0;
    for (const findingId of findings) {
      const history = await store.findingHistory(findingId);
      histories.set(findingId, history);
      records += history.length;
      problems.push(...verifyChain(history, await store.latest(findingId)));
    }
    const digestProblems = verifyDigests(digests, (findingId) => histories.get(findingId) ?? [], new Date());
    const total = problems.length + digestProblems.length;
    if (values.json)
      io.stdout.write(`${JSON.stringify({ findings: findings.length, records, digests: digests.length, problems, digestProblems }, null, 2)}\n`);
    else {
      for (const problem of problems) io.stdout.write(`TAMPERED ${problem.findingId} #${problem.seq} ${problem.problem}: ${problem.detail}\n`);
      for (const problem of digestProblems) io.stdout.write(`TAMPERED ${problem.subject} ${problem.problem}: ${problem.detail}\n`);
      io.stdout.write(
        `${findings.length} findings, ${records} records, ${digests.length} digests: ${total === 0 ? 'every chain intact' : `${total} problems`}\n`,
      );
    }
    return total === 0 ? EXIT_OK : EXIT_FINDINGS;
  },
});
