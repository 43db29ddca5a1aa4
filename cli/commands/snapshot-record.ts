import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CHECK_IDS, type CheckId, isCheckId } from '../../core/catalogue';
import { clientConfig } from '../../core/aws/client-config';
import { createAwsClients } from '../../core/aws/clients';
import { checkProfile, tracingCalls } from '../aws-errors';
import { defineCommand, EXIT_OK, InputError, UsageError } from '../io';
import { loadPolicyForCommand } from '../load-policy';
import { scanAccount } from '../scan/scan-account';
import { SnapshotRecorder } from '../snapshot/recorder';
import { DEFAULT_POLICY_FILE } from './policy-validate';

export const snapshotRecordCommand = defineCommand({
  name: 'snapshot record',
  summary: 'record the API responses the detectors need from a real account (or the emulator), secrets replaced, for simulate',
  usage: '--output <file> [--region r] [--profile p] [--checks id,id] [--policy file]',
  description: `Read-only. Lists and reads every resource of each check, as 'warden scan' does, and records each answer
into the snapshot format 'warden simulate --snapshot' replays. As it records, every Lambda environment
value is replaced by a stand-in of the same shape class (letters for letters, digits for digits, a
credential's prefix and punctuation kept), so the secret scanner judges it as it judged the original and
no secret value is written; the snapshot lists each replaced variable with the original's fingerprint.

Then: edit the policy, 'warden simulate --sweep --snapshot <file> --policy <file>', and deploy.`,
  flags: {
    output: { type: 'string', value: '<file>', description: 'where to write the snapshot (JSON)' },
    region: { type: 'string', value: '<r>', description: 'region to record (default: AWS_REGION)' },
    profile: { type: 'string', value: '<p>', description: 'named profile from ~/.aws/config' },
    checks: { type: 'string', value: '<ids>', description: `comma-separated subset of: ${CHECK_IDS.join(', ')}` },
    policy: { type: 'string', value: '<file>', description: `policy (default ${DEFAULT_POLICY_FILE}); only its API rate share is used` },
    json: { type: 'boolean', description: 'one JSON object: the file written, what it holds, the replaced variables' },
  },
  examples: [
    'warden snapshot record --region eu-west-1 --output eu-west-1.json',
    'warden simulate --sweep --snapshot eu-west-1.json --policy config/policy.yaml',
  ],
  exitCodes: '0 recorded, 1 invalid input, 2 usage or AWS configuration error, 3 AWS access error.',
  async run({ values }, io) {
    if (!values.output) throw new UsageError('--output <file> is required');
    const checks = values.checks ? values.checks.split(',').map((check) => check.trim()) : [...CHECK_IDS];
    const unknown = checks.filter((check) => !isCheckId(check));
    if (unknown.length > 0) throw new UsageError(`unknown check ${unknown.join(', ')}; expected: ${CHECK_IDS.join(', ')}`);
    const region = values.region ?? io.env['AWS_REGION'] ?? io.env['AWS_DEFAULT_REGION'];
    if (!region) throw new UsageError('no region: pass --region or set AWS_REGION');
    const policy = loadPolicyForCommand(resolve(io.cwd, values.policy ?? DEFAULT_POLICY_FILE), values.policy ?? DEFAULT_POLICY_FILE, io);
    checkProfile(values.profile, io.env);
    const options = { region, maxAttempts: 3, ...(values.profile ? { profile: values.profile } : {}) };
    const { Account: account = 'unknown' } = await tracingCalls(new STSClient(clientConfig(options))).send(new GetCallerIdentityCommand({}));
    const recorder = new SnapshotRecorder();
    const clients = createAwsClients(options, (client) => recorder.attach(tracingCalls(client)));
    const results = await scanAccount({ clients, account, region, policy, checks: checks as CheckId[], now: new Date() });
    const text = `${JSON.stringify({ account, region, responses: recorder.responses, redacted: recorder.redactions }, null, 2)}\n`;
    if (recorder.leaks(text)) throw new InputError('a secret value reached the recording: nothing was written');
    writeFileSync(resolve(io.cwd, values.output), text);
    const calls = Object.values(recorder.responses).reduce((total, entries) => total + entries.length, 0);
    const lost = recorder.redactions.filter((redaction) => !redaction.verdictKept).length;
    const summary = {
      file: values.output,
      account,
      region,
      resources: results.length,
      responses: calls,
      replacedValues: recorder.redactions.length,
      verdictsLost: lost,
    };
    io.stdout.write(
      values.json
        ? `${JSON.stringify(summary, null, 2)}\n`
        : `recorded ${calls} responses for ${results.length} resources of ${account}/${region} into ${values.output}; ${recorder.redactions.length} environment values replaced by stand-ins${lost > 0 ? `, ${lost} of them no longer judged secrets` : ''}\n`,
    );
    return EXIT_OK;
  },
});
