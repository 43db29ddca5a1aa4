import { CloudFormationClient, paginateListExports } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AcceptedRisks, COUNTER_TABLE_EXPORT } from '../../detectors/accepted-risks';
import { isCheckId } from '../../core/catalogue';
import { createAwsClients } from '../../core/aws/clients';
import { clientConfig } from '../../core/aws/client-config';
import { tracingCalls } from '../aws-errors';
import { UndoRefusedError } from '../../remediators/errors';
import type { UndoReview } from '../../remediators/remediator';
import { auditStoreFor } from '../audit-table';
import { defineCommand, EXIT_FINDINGS, EXIT_OK, InputError, UsageError } from '../io';
import { remediatorFor } from '../../remediators/index';

function describeReview(review: UndoReview, dryRun: boolean): string {
  const lines = [
    ...review.calls.map((call) => `  ${dryRun ? 'would call' : 'calls'}: ${call.client}.${call.operation} ${JSON.stringify(call.input)}`),
    ...review.notes.map((note) => `  note: ${note}`),
    ...review.drift.map((drift) => `  changed since the fix: ${drift.field}: Warden left ${drift.warden}, now ${drift.now}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The member's counters table: --counters-table, WARDEN_COUNTER_TABLE, or the member stack's export in the region. */
async function counterTableFor(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  options: { region: string; profile?: string },
) {
  const named = flag ?? env['WARDEN_COUNTER_TABLE'];
  if (named) return named;
  for await (const page of paginateListExports({ client: tracingCalls(new CloudFormationClient(options)) }, {})) {
    const found = page.Exports?.find((entry) => entry.Name === COUNTER_TABLE_EXPORT)?.Value;
    if (found) return found;
  }
  throw new InputError(
    `no Warden member stack in ${options.region} (no ${COUNTER_TABLE_EXPORT} export) to record the accepted risk in: pass --counters-table`,
  );
}

const DAY_MS = 86_400_000;

const UNDOABLE_STATES: readonly string[] = ['REMEDIATED', 'MIGRATION_STARTED', 'ESCALATED', 'REJECTED'];

export const undoCommand = defineCommand({
  name: 'undo',
  summary: 'roll back a remediation from its audit record, only if the resource is as Warden left it',
  usage: `<finding-id> --reason <why> [--accept-days n] [--dry-run] [--yes] [--force] [--json]
                   [--table t] [--counters-table t] [--region r] [--profile p]`,
  arguments: ['<finding-id>'],
  description: `Reads the finding's REMEDIATED record from the audit trail and the resource as it is now, with your
credentials in the finding's account and region. If the resource is still as Warden left it, undo
restores the state before the fix (the SSE specification, the throttling limits, the web ACL Warden
associated, the moved variables, the queue's encryption) and appends an UNDONE record naming you.
If someone changed it since, undo refuses and shows what changed (names only for secrets).

An undone finding is an accepted risk: undo records who accepted it, why (--reason) and until when
(--accept-days, default 30) in the member's counters table, and Warden treats the resource as exempt
until then (recorded as EXEMPTED), so it is not fixed again by the undo's own event or the next sweep.`,
  flags: {
    reason: { type: 'string', value: '<why>', description: 'why the owner keeps the resource as it was (recorded with the acceptance)' },
    'accept-days': { type: 'string', value: '<n>', description: 'how long the acceptance lasts (1 to 365, default 30)' },
    'dry-run': { type: 'boolean', description: 'print the calls undo would make, and what changed since the fix; call nothing' },
    yes: { type: 'boolean', description: 'undo without asking (needed when no terminal can answer the question)' },
    force: { type: 'boolean', description: 'undo even though the resource changed since the fix' },
    json: { type: 'boolean', description: 'answer { dryRun, undone, check, resourceArn, calls, drift, notes, ... }' },
    table: { type: 'string', value: '<name>', description: "the audit table (default: WARDEN_AUDIT_TABLE, else the deployed stack's output)" },
    'counters-table': {
      type: 'string',
      value: '<name>',
      description: "the member's counters table, where the acceptance is recorded (default: WARDEN_COUNTER_TABLE, else the member stack's export)",
    },
    region: { type: 'string', value: '<r>', description: "the audit table's region (default: AWS_REGION)" },
    profile: { type: 'string', value: '<p>', description: 'named profile from ~/.aws/config' },
  },
  examples: [
    'warden undo 5ef4b29f0c1f6197fe80f4ccff68f24a5b3da58a --dry-run --table warden-audit --region eu-west-1',
    'warden undo 5ef4b29f0c1f6197fe80f4ccff68f24a5b3da58a --yes --reason "batch jobs need the old limits until Q3" --table warden-audit --region eu-west-1',
  ],
  exitCodes: `0 undone (or dry run), 1 nothing to undo, refused or declined, 2 usage or AWS configuration
error, 3 AWS access error.`,
  async run({ values, positionals }, io) {
    const [findingId, ...extra] = positionals;
    if (!findingId || extra.length > 0) throw new UsageError('undo takes exactly one finding id');
    const dryRun = values['dry-run'] === true;
    const reason = values.reason?.trim();
    if (!dryRun && !reason) throw new UsageError('an undone fix is an accepted risk: pass --reason "<why the resource stays as it was>"');
    const acceptDays = Number(values['accept-days'] ?? '30');
    if (!Number.isInteger(acceptDays) || acceptDays < 1 || acceptDays > 365)
      throw new UsageError('--accept-days takes a whole number of days, 1 to 365');
    const store = await auditStoreFor(values.table, values.region, io);
    const history = await store.findingHistory(findingId);
    if (history.length === 0) throw new InputError(`no audit records for finding ${findingId}`);
    if (history.some((record) => record.state === 'UNDONE')) throw new InputError(`finding ${findingId} was already undone`);
    // The latest record that carries an applied fix's undo: REMEDIATED, or a staged fix's first phase
    // (MIGRATION_STARTED, a stopped REJECTED) or its ESCALATED end, whichever phase was made last.
    const remediated = history.findLast(
      (record) => UNDOABLE_STATES.includes(record.state) && record.details['dryRun'] !== true && record.details['undo'] !== undefined,
    );
    const result = remediated?.details['undo'] as { changed?: boolean; undo?: unknown } | undefined;
    if (!remediated || !result?.changed || result.undo === undefined) throw new InputError(`finding ${findingId} has no applied remediation to undo`);
    if (!isCheckId(remediated.check)) throw new InputError(`unknown check ${remediated.check}`);
    // Bounded calls, and errors that name their call (a person waits on this).
    const options = clientConfig({ region: remediated.region, maxAttempts: 3, ...(values.profile ? { profile: values.profile } : {}) });
    const remediator = remediatorFor(remediated.check);
    const clients = createAwsClients(
      { region: remediated.region, maxAttempts: 3, ...(values.profile ? { profile: values.profile } : {}) },
      tracingCalls,
    );
    const review = await remediator.reviewUndo(result.undo, clients);
    const json = values.json === true;
    const reviewed = { check: remediated.check, resourceArn: remediated.resourceArn, calls: review.calls, drift: review.drift, notes: review.notes };
    if (json && dryRun) {
      io.stdout.write(`${JSON.stringify({ dryRun: true, undone: false, ...reviewed }, null, 2)}\n`);
      return EXIT_OK;
    }
    if (!json) io.stdout.write(`${dryRun ? 'dry run: ' : ''}undo ${remediated.check} ${remediated.resourceArn}\n${describeReview(review, dryRun)}`);
    if (dryRun) return EXIT_OK;
    if (review.drift.length > 0 && values.force !== true) {
      io.stderr.write(`warden undo: ${remediated.resourceArn} changed since Warden's fix (above); nothing was undone. Pass --force to undo anyway\n`);
      return EXIT_FINDINGS;
    }
    if (values.yes !== true) {
      if (!io.ask) throw new UsageError('undo changes the resource: pass --yes to go ahead without a prompt, or --dry-run to see the calls');
      const answer = await io.ask(`Undo Warden's fix of ${remediated.resourceArn}? [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) {
        io.stderr.write('warden undo: declined; nothing was changed\n');
        return EXIT_FINDINGS;
      }
    }
    // Found before anything changes, so an undo is never left without its acceptance for want of a table.
    const acceptedRisks = new AcceptedRisks(
      tracingCalls(new DynamoDBClient(options)),
      await counterTableFor(values['counters-table'], io.env, options),
    );
    const { Arn: actor } = await tracingCalls(new STSClient(options)).send(new GetCallerIdentityCommand({}));
    let done: UndoReview;
    try {
      done = await remediator.undo(result.undo, clients, { force: values.force === true });
    } catch (error) {
      // Changed between the review and the undo: refused, as above.
      if (error instanceof UndoRefusedError) throw new InputError(`${error.message}. Pass --force to undo anyway`, { cause: error });
      throw error;
    }
    const now = new Date();
    const acceptance = {
      check: remediated.check,
      resourceArn: remediated.resourceArn,
      findingId,
      by: actor ?? 'unknown',
      reason: reason ?? '',
      until: new Date(now.getTime() + acceptDays * DAY_MS).toISOString(),
    };
    let acceptanceNotKept: string | undefined;
    try {
      await acceptedRisks.accept(acceptance);
    } catch (error) {
      // The undo is done: it is recorded either way, with why the acceptance is missing.
      acceptanceNotKept = (error as { name?: string }).name ?? 'Error';
    }
    const record = await store.append({
      findingId,
      account: remediated.account,
      region: remediated.region,
      check: remediated.check,
      resourceArn: remediated.resourceArn,
      state: 'UNDONE',
      actor: actor ?? 'unknown',
      time: now.toISOString(),
      details: {
        undid: `${findingId}#${remediated.seq}`,
        ...(acceptanceNotKept ? { acceptanceNotKept } : { acceptedRisk: { by: acceptance.by, reason: acceptance.reason, until: acceptance.until } }),
        calls: done.calls,
        notes: done.notes,
        ...(done.drift.length > 0 ? { forced: true, changedSinceFix: done.drift } : {}),
      },
    });
    if (json) {
      const answer = {
        dryRun: false,
        undone: true,
        ...reviewed,
        calls: done.calls,
        record: `${findingId}#${record.seq}`,
        actor: record.actor,
        ...(acceptanceNotKept ? { acceptanceNotKept } : { acceptedRiskUntil: acceptance.until }),
      };
      io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      return acceptanceNotKept ? EXIT_FINDINGS : EXIT_OK;
    }
    io.stdout.write(`undone: ${remediated.check} ${remediated.resourceArn} (recorded as ${findingId}#${record.seq} by ${record.actor})\n`);
    if (acceptanceNotKept) {
      io.stderr.write(`warden undo: undone, but the accepted risk could not be kept (${acceptanceNotKept}): Warden may fix the resource again\n`);
      return EXIT_FINDINGS;
    }
    io.stdout.write(`accepted risk until ${acceptance.until.slice(0, 10)}: Warden records the resource as exempt until then\n`);
    return EXIT_OK;
  },
});
