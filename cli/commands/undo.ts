import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isCheckId } from '../../core/catalogue';
import { createAwsClients } from '../../core/aws/clients';
import { auditStoreFor } from '../audit-table';
import { type Command, EXIT_OK, InputError, UsageError } from '../io';
import { parseFlags } from '../parse-flags';
import { remediatorFor } from '../../remediators/index';

export const undoCommand: Command = {
  name: 'undo',
  summary: 'roll back a remediation from its audit record, and record the rollback',
  help: `Usage: warden undo <finding-id> [--table t] [--region r] [--profile p]

Reads the finding's REMEDIATED record from the audit trail, runs the remediator's undo with your
credentials in the finding's account and region (restore the SSE specification, the throttling limits,
disassociate the web ACL, or put the moved variables back), and appends an UNDONE record naming you.

Examples:
  warden undo 5ef4b29f0c1f6197fe80f4ccff68f24a5b3da58a --table warden-audit --region eu-west-1

Exit codes: 0 undone, 1 no remediation to undo or an AWS error, 2 usage error.`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { table: { type: 'string' }, region: { type: 'string' }, profile: { type: 'string' } });
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
    const { Arn: actor } = await new STSClient(options).send(new GetCallerIdentityCommand({}));
    await remediatorFor(remediated.check).undo(result.undo, createAwsClients(options));
    const record = await store.append({
      findingId,
      account: remediated.account,
      region: remediated.region,
      check: remediated.check,
      resourceArn: remediated.resourceArn,
      state: 'UNDONE',
      actor: actor ?? 'unknown',
      time: new Date().toISOString(),
      details: { undid: `${findingId}#${remediated.seq}` },
    });
    io.stdout.write(`undone: ${remediated.check} ${remediated.resourceArn} (recorded as ${findingId}#${record.seq} by ${record.actor})\n`);
    return EXIT_OK;
  },
};
