import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isCheckId } from '../../core/catalogue';
import { createAwsClients } from '../../core/aws/clients';
import { UndoRefusedError } from '../../remediators/errors';
import type { UndoReview } from '../../remediators/remediator';
import { auditStoreFor } from '../audit-table';
import { type Command, EXIT_FINDINGS, EXIT_OK, InputError, UsageError } from '../io';
import { parseFlags } from '../parse-flags';
import { remediatorFor } from '../../remediators/index';

function describeReview(review: UndoReview, dryRun: boolean): string {
  const lines = [
    ...review.calls.map((call) => `  ${dryRun ? 'would call' : 'calls'}: ${call.client}.${call.operation} ${JSON.stringify(call.input)}`),
    ...review.notes.map((note) => `  note: ${note}`),
    ...review.drift.map((drift) => `  changed since the fix: ${drift.field}: Warden left ${drift.warden}, now ${drift.now}`),
  ];
  return `${lines.join('\n')}\n`;
}

export const undoCommand: Command = {
  name: 'undo',
  summary: 'roll back a remediation from its audit record, only if the resource is as Warden left it',
  help: `Usage: warden undo <finding-id> [--dry-run] [--yes] [--force] [--table t] [--region r] [--profile p]

Reads the finding's REMEDIATED record from the audit trail and the resource as it is now, with your
credentials in the finding's account and region. If the resource is still as Warden left it, undo
restores the state before the fix (the SSE specification, the throttling limits, the web ACL Warden
associated, the moved variables, the queue's encryption) and appends an UNDONE record naming you.
If someone changed it since, undo refuses and shows what changed (names only for secrets).

  --dry-run   print the calls undo would make, and what changed since the fix; call nothing
  --yes       undo without asking (needed when no terminal can answer the question)
  --force     undo even though the resource changed since the fix

Examples:
  warden undo 5ef4b29f0c1f6197fe80f4ccff68f24a5b3da58a --dry-run --table warden-audit --region eu-west-1
  warden undo 5ef4b29f0c1f6197fe80f4ccff68f24a5b3da58a --yes --table warden-audit --region eu-west-1

Exit codes: 0 undone (or dry run), 1 nothing to undo, refused, declined or an AWS error, 2 usage error.`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      table: { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean' },
      force: { type: 'boolean' },
    });
    const [findingId, ...extra] = positionals;
    if (!findingId || extra.length > 0) throw new UsageError('undo takes exactly one finding id');
    const store = await auditStoreFor(values.table, values.region, io);
    const history = await store.findingHistory(findingId);
    if (history.length === 0) throw new InputError(`no audit records for finding ${findingId}`);
    if (history.some((record) => record.state === 'UNDONE')) throw new InputError(`finding ${findingId} was already undone`);
    const remediated = history.find((record) => record.state === 'REMEDIATED' && record.details['dryRun'] !== true);
    const result = remediated?.details['undo'] as { changed?: boolean; undo?: unknown } | undefined;
    if (!remediated || !result?.changed || result.undo === undefined) throw new InputError(`finding ${findingId} has no applied remediation to undo`);
    if (!isCheckId(remediated.check)) throw new InputError(`unknown check ${remediated.check}`);
    const options = { region: remediated.region, ...(values.profile ? { profile: values.profile } : {}) };
    const remediator = remediatorFor(remediated.check);
    const clients = createAwsClients(options);
    const review = await remediator.reviewUndo(result.undo, clients);
    const dryRun = values['dry-run'] === true;
    io.stdout.write(`${dryRun ? 'dry run: ' : ''}undo ${remediated.check} ${remediated.resourceArn}\n${describeReview(review, dryRun)}`);
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
    const { Arn: actor } = await new STSClient(options).send(new GetCallerIdentityCommand({}));
    let done: UndoReview;
    try {
      done = await remediator.undo(result.undo, clients, { force: values.force === true });
    } catch (error) {
      // Changed between the review and the undo: refused, as above.
      if (error instanceof UndoRefusedError) throw new InputError(`${error.message}. Pass --force to undo anyway`, { cause: error });
      throw error;
    }
    const record = await store.append({
      findingId,
      account: remediated.account,
      region: remediated.region,
      check: remediated.check,
      resourceArn: remediated.resourceArn,
      state: 'UNDONE',
      actor: actor ?? 'unknown',
      time: new Date().toISOString(),
      details: {
        undid: `${findingId}#${remediated.seq}`,
        calls: done.calls,
        notes: done.notes,
        ...(done.drift.length > 0 ? { forced: true, changedSinceFix: done.drift } : {}),
      },
    });
    io.stdout.write(`undone: ${remediated.check} ${remediated.resourceArn} (recorded as ${findingId}#${record.seq} by ${record.actor})\n`);
    return EXIT_OK;
  },
};
