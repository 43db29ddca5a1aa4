import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { StackLookup } from '../../detectors/managed-by';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { resolve } from 'node:path';
import { CHECK_IDS, type CheckId, isCheckId } from '../../core/catalogue';
import { createAwsClients } from '../../core/aws/clients';
import { clientConfig } from '../../core/aws/client-config';
import { checkProfile, tracingCalls } from '../aws-errors';
import { ratesFor } from '../../core/aws/rate-limit';
import { type Command, EXIT_FINDINGS, EXIT_OK, painter, UsageError } from '../io';
import { loadPolicyForCommand } from '../load-policy';
import { parseFlags } from '../parse-flags';
import { scanAccount } from '../scan/scan-account';
import { DEFAULT_POLICY_FILE } from './policy-validate';
import { scanReport } from '../reports/from-results';
import { parseFormats, REPORT_FLAGS, REPORT_HELP, writeReports } from '../reports/write-reports';

export const scanCommand: Command = {
  name: 'scan',
  summary: 'read-only sweep of a real account: what is noncompliant and what the policy would do',
  help: `Usage: warden scan [--region r] [--profile p] [--checks id,id] [--policy file] [--json]

Lists every resource of each check in the account and region of your credentials (the standard AWS
credential chain, or --profile), judges it with the same detectors Warden runs in Lambda, and prints
what is noncompliant and what the policy would do. Read-only: it never changes anything and starts no
workflow.

Flags:
  --region <r>      region to scan (default: AWS_REGION, else your profile's region)
  --profile <p>     named profile from ~/.aws/config
  --checks <ids>    comma-separated subset of: ${CHECK_IDS.join(', ')}
  --policy <file>   policy (default ${DEFAULT_POLICY_FILE})
  --request-timeout <ms>  per-attempt limit on an AWS call that never answers (default 10000; 3 attempts)
  --connect-timeout <ms>  limit on opening a connection (default 3000)
  --json            machine-readable output, like simulate
  --exit-zero       exit 0 even when there are findings (AWS errors still exit 2 or 3)
${REPORT_HELP}

Examples:
  warden scan --region eu-west-1
  AWS_PROFILE=audit warden scan --checks ${CHECK_IDS.at(-1) ?? ''} --json

Exit codes: 0 nothing noncompliant, 1 noncompliant resources found (or invalid input), 2 usage or AWS
configuration error (no such profile, no credentials, no region), 3 AWS access error (an endpoint that
does not answer, refused credentials, access denied).`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      region: { type: 'string' },
      profile: { type: 'string' },
      checks: { type: 'string' },
      policy: { type: 'string' },
      json: { type: 'boolean', default: false },
      'request-timeout': { type: 'string' },
      'connect-timeout': { type: 'string' },
      'exit-zero': { type: 'boolean', default: false },
      ...REPORT_FLAGS,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);
    const formats = parseFormats(values['output-dir'], values.formats);
    const requestTimeoutMs = milliseconds('request-timeout', values['request-timeout'], 10_000);
    const connectTimeoutMs = milliseconds('connect-timeout', values['connect-timeout'], 3_000);
    const checks = values.checks ? values.checks.split(',').map((check) => check.trim()) : [...CHECK_IDS];
    const unknown = checks.filter((check) => !isCheckId(check));
    if (unknown.length > 0) throw new UsageError(`unknown check ${unknown.join(', ')}; expected: ${CHECK_IDS.join(', ')}`);
    const region = values.region ?? io.env['AWS_REGION'] ?? io.env['AWS_DEFAULT_REGION'];
    if (!region) throw new UsageError('no region: pass --region or set AWS_REGION');
    const policy = loadPolicyForCommand(resolve(io.cwd, values.policy ?? DEFAULT_POLICY_FILE), values.policy ?? DEFAULT_POLICY_FILE, io);
    checkProfile(values.profile, io.env);
    // A person waits on the CLI: fewer attempts than a Lambda makes, each bounded.
    const options = { region, requestTimeoutMs, connectTimeoutMs, maxAttempts: 3, ...(values.profile ? { profile: values.profile } : {}) };
    const sts = tracingCalls(new STSClient(clientConfig(options)));
    const { Account: account } = await sts.send(new GetCallerIdentityCommand({}));
    // As the deployed sweep does: the policy's share (half by default) of each API family's rate in this
    // account (core/aws/rate-limit.ts).
    const rateLimits = ratesFor(policy.member.apiRates, account ?? '');
    const clients = createAwsClients({ ...options, rateLimits }, tracingCalls);
    const progress = io.stderr.isTTY === true && !values.json;
    const now = new Date();
    const results = await scanAccount({
      clients,
      account: account ?? 'unknown',
      region,
      policy,
      checks: checks as CheckId[],
      now,
      stacks: new StackLookup(tracingCalls(new CloudFormationClient(clientConfig(options)))),
      ...(progress ? { onProgress: (done: number, check: CheckId) => io.stderr.write(`\r\u001b[2Kscanned ${done} resources (${check})`) } : {}),
    });
    if (progress) io.stderr.write('\r\u001b[2K');
    if (values['output-dir'])
      for (const file of writeReports(scanReport(results, { account: account ?? 'unknown', region }, now), values['output-dir'], formats, io.cwd))
        io.stderr.write(`wrote ${file}\n`);
    const noncompliant = results.filter((result) => result.status === 'NON_COMPLIANT');
    const notEvaluated = results.filter((result) => result.status === 'NOT_EVALUATED');
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ account, region, results }, null, 2)}\n`);
    } else {
      const paint = painter(io.stdout, io.env);
      for (const result of results) {
        if (result.status === 'NON_COMPLIANT') {
          io.stdout.write(
            `${paint.red('✗')} ${result.check}  ${result.resourceArn}\n    ${result.reason ?? ''}\n    would: ${paint.cyan(result.wouldDo ?? '')} ${paint.dim(`(${result.decidedBy ?? ''})`)}\n`,
          );
        } else if (result.status === 'NOT_EVALUATED') {
          io.stdout.write(`${paint.yellow('?')} ${result.check}  ${result.resourceArn}\n    ${result.reason ?? ''}\n`);
        } else if (result.status === 'ERROR') {
          io.stdout.write(`${paint.yellow('!')} ${result.check}  ${result.resourceArn}  ${result.error ?? ''}\n`);
        }
      }
      io.stdout.write(
        `${results.length} resources scanned in ${account ?? '?'}/${region}: ${noncompliant.length} noncompliant, ${notEvaluated.length} not evaluated, ${results.filter((result) => result.status === 'ERROR').length} errors\n`,
      );
    }
    return noncompliant.length + notEvaluated.length > 0 && !values['exit-zero'] ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** A positive whole number of milliseconds from a flag, or its default. */
function milliseconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new UsageError(`--${flag} '${value}' is not a positive number of milliseconds`);
  return parsed;
}
