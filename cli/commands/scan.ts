import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { StackLookup } from '../../detectors/managed-by';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { resolve } from 'node:path';
import { CHECK_IDS, type CheckId, isCheckId } from '../../core/catalogue';
import { createAwsClients } from '../../core/aws/clients';
import { clientConfig } from '../../core/aws/client-config';
import { checkProfile, explainAwsError, tracingCalls } from '../aws-errors';
import { ratesFor } from '../../core/aws/rate-limit';
import { defineCommand, EXIT_AWS, EXIT_FINDINGS, EXIT_OK, painter, UsageError } from '../io';
import { loadPolicyForCommand } from '../load-policy';
import { scanAccount } from '../scan/scan-account';
import { boundedMap, regionsToScan } from '../scan/regions';
import { accountsToScan, assumeIn } from '../scan/accounts';
import { partitionOf } from '../../core/aws/arns';
import { errorMessage } from '../../core/errors';
import { EC2Client } from '@aws-sdk/client-ec2';
import { DEFAULT_POLICY_FILE } from './policy-validate';
import { scanReport } from '../reports/from-results';
import { parseFormats, REPORT_FLAGS, writeReports } from '../reports/write-reports';

export const scanCommand = defineCommand({
  name: 'scan',
  summary: 'read-only sweep of a real account: what is noncompliant and what the policy would do',
  usage: '[--region r | --regions all|a,b] [--profile p] [--checks id,id] [--policy file] [--json]',
  description: `Lists every resource of each check in the account and region of your credentials (the standard AWS
credential chain, or --profile), judges it with the same detectors Warden runs in Lambda, and prints
what is noncompliant and what the policy would do. Read-only: it never changes anything and starts no
workflow.`,
  flags: {
    region: { type: 'string', value: '<r>', description: "region to scan (default: AWS_REGION, else your profile's region)" },
    regions: {
      type: 'string',
      value: '<list>',
      description: 'several regions, a,b, or all (every region enabled in the account), two at a time (each within its own API rate limits)',
    },
    profile: { type: 'string', value: '<p>', description: 'named profile from ~/.aws/config' },
    accounts: { type: 'string', value: '<ids>', description: 'scan these accounts of the organization, through --role-name assumed in each' },
    'role-name': { type: 'string', value: '<r>', description: 'the role to assume in each account (it needs the read permissions the README lists)' },
    checks: { type: 'string', value: '<ids>', description: `comma-separated subset of: ${CHECK_IDS.join(', ')}` },
    policy: { type: 'string', value: '<file>', description: `policy (default ${DEFAULT_POLICY_FILE})` },
    'request-timeout': {
      type: 'string',
      value: '<ms>',
      description: 'per-attempt limit on an AWS call that never answers (default 10000; 3 attempts)',
    },
    'connect-timeout': { type: 'string', value: '<ms>', description: 'limit on opening a connection (default 3000)' },
    json: { type: 'boolean', description: 'machine-readable output, like simulate' },
    'exit-zero': { type: 'boolean', description: 'exit 0 even when there are findings (AWS errors still exit 2 or 3)' },
    ...REPORT_FLAGS,
  },
  examples: [
    'warden scan --region eu-west-1',
    'warden scan --regions all --output-dir reports',
    'warden scan --accounts 111122223333,444455556666 --role-name WardenScan --regions eu-west-1,us-east-1',
    `AWS_PROFILE=audit warden scan --checks ${CHECK_IDS.at(-1) ?? ''} --json`,
  ],
  exitCodes: `0 nothing noncompliant, 1 noncompliant resources found (or invalid input), 2 usage or AWS
configuration error (no such profile, no credentials, no region), 3 AWS access error (an endpoint that
does not answer, refused credentials, access denied).`,
  async run({ values }, io) {
    const formats = parseFormats(values['output-dir'], values.formats);
    const requestTimeoutMs = milliseconds('request-timeout', values['request-timeout'], 10_000);
    const connectTimeoutMs = milliseconds('connect-timeout', values['connect-timeout'], 3_000);
    const checks = values.checks ? values.checks.split(',').map((check) => check.trim()) : [...CHECK_IDS];
    const unknown = checks.filter((check) => !isCheckId(check));
    if (unknown.length > 0) throw new UsageError(`unknown check ${unknown.join(', ')}; expected: ${CHECK_IDS.join(', ')}`);
    const targets = accountsToScan(values.accounts, values['role-name']);
    const home = values.region ?? io.env['AWS_REGION'] ?? io.env['AWS_DEFAULT_REGION'];
    const policy = loadPolicyForCommand(resolve(io.cwd, values.policy ?? DEFAULT_POLICY_FILE), values.policy ?? DEFAULT_POLICY_FILE, io);
    checkProfile(values.profile, io.env);
    // A person waits on the CLI: fewer attempts than a Lambda makes, each bounded.
    const optionsIn = (region: string, credentials?: Awaited<ReturnType<typeof assumeIn>>) => ({
      region,
      requestTimeoutMs,
      connectTimeoutMs,
      maxAttempts: 3,
      ...(values.profile ? { profile: values.profile } : {}),
      ...(credentials ? { credentials } : {}),
    });
    const regions = await regionsToScan(
      { regions: values.regions, region: values.region ?? (values.regions === undefined ? home : undefined) },
      home,
      (region) => tracingCalls(new EC2Client(clientConfig(optionsIn(region)))),
    );
    const first = regions[0] ?? '';
    const sts = tracingCalls(new STSClient(clientConfig(optionsIn(first))));
    const { Account: caller = 'unknown' } = await sts.send(new GetCallerIdentityCommand({}));
    // Each account's role, assumed once; an account whose role cannot be assumed is reported, and the others scanned.
    const unreadable: { account: string; error: string }[] = [];
    const credentialsOf = new Map<string, Awaited<ReturnType<typeof assumeIn>> | undefined>();
    for (const target of targets ?? []) {
      try {
        credentialsOf.set(target, await assumeIn(sts, partitionOf(first), target, values['role-name'] ?? ''));
      } catch (error) {
        // AWS's refusal (no trust, no such role, denied) leaves that account out; a fault of Warden's own does not.
        const explained = explainAwsError(error);
        if (!explained && !(typeof error === 'object' && error !== null && '$metadata' in error)) throw error;
        unreadable.push({ account: target, error: errorMessage(explained ?? error) });
      }
    }
    const accounts = targets ? targets.filter((target) => credentialsOf.has(target)) : [caller];
    const tty = io.stderr.isTTY === true && !values.json;
    const now = new Date();
    let scanned = 0;
    const pairs = accounts.flatMap((account) => regions.map((region) => ({ account, region })));
    const perRegion = await boundedMap(pairs, 2, ({ account, region }) =>
      scanAccount({
        // As the deployed sweep does: the policy's share (half by default) of each API family's rate in
        // this account (core/aws/rate-limit.ts).
        clients: createAwsClients(
          { ...optionsIn(region, credentialsOf.get(account)), rateLimits: ratesFor(policy.member.apiRates, account) },
          tracingCalls,
        ),
        account,
        region,
        policy,
        checks: checks as CheckId[],
        now,
        stacks: new StackLookup(tracingCalls(new CloudFormationClient(clientConfig(optionsIn(region, credentialsOf.get(account)))))),
        ...(tty
          ? { onProgress: (_done: number, check: CheckId) => io.stderr.write(`\r\u001b[2Kscanned ${(scanned += 1)} resources (${region} ${check})`) }
          : {}),
        // Without a terminal, a line per check, so a CI log shows where a long scan is.
        ...(!tty
          ? {
              onCheckDone: (check: CheckId, tally: { resources: number; findings: number; errors: number }) =>
                io.stderr.write(
                  `scanned ${check} in ${accounts.length > 1 ? `${account}/` : ''}${region}: ${tally.resources} resources, ${tally.findings} findings, ${tally.errors} errors\n`,
                ),
            }
          : {}),
      }),
    );
    const results = perRegion.flat();
    if (tty) io.stderr.write('\r\u001b[2K');
    const scope = `${accounts.length === 1 ? (accounts[0] ?? caller) : `${accounts.length} accounts`}/${regions.length === 1 ? first : `${regions.length} regions`}`;
    if (values['output-dir'])
      for (const file of writeReports(scanReport(results, scope, now), values['output-dir'], formats, io.cwd)) io.stderr.write(`wrote ${file}\n`);
    const noncompliant = results.filter((result) => result.status === 'NON_COMPLIANT');
    const notEvaluated = results.filter((result) => result.status === 'NOT_EVALUATED');
    const errors = results.filter((result) => result.status === 'ERROR');
    if (values.json) {
      const single = accounts.length === 1 && !targets;
      io.stdout.write(
        `${JSON.stringify(
          {
            account: single ? caller : undefined,
            ...(targets ? { accounts, unreadable } : {}),
            ...(regions.length === 1 ? { region: first } : {}),
            regions,
            results,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      const paint = painter(io.stdout, io.env);
      const where = (result: (typeof results)[number]) =>
        `${targets ? `${result.account ?? ''}  ` : ''}${regions.length > 1 ? `${result.region ?? ''}  ` : ''}`;
      for (const result of results) {
        if (result.status === 'NON_COMPLIANT') {
          io.stdout.write(
            `${paint.red('✗')} ${where(result)}${result.check}  ${result.resourceArn}\n    ${result.reason ?? ''}\n    would: ${paint.cyan(result.wouldDo ?? '')} ${paint.dim(`(${result.decidedBy ?? ''})`)}\n`,
          );
        } else if (result.status === 'NOT_EVALUATED') {
          io.stdout.write(`${paint.yellow('?')} ${where(result)}${result.check}  ${result.resourceArn}\n    ${result.reason ?? ''}\n`);
        } else if (result.status === 'ERROR') {
          io.stdout.write(`${paint.yellow('!')} ${where(result)}${result.check}  ${result.resourceArn}  ${result.error ?? ''}\n`);
        }
      }
      for (const { account, error } of unreadable) io.stdout.write(`${paint.yellow('!')} ${account}  not scanned: ${error}\n`);
      io.stdout.write(
        `${results.length} resources scanned in ${accounts.join(',') || 'no account'}/${regions.join(',')}: ${noncompliant.length} noncompliant, ${notEvaluated.length} not evaluated, ${errors.length} errors` +
          `${errors.length + unreadable.length > 0 ? ' (what could not be read is listed above; the rest stands)' : ''}\n`,
      );
    }
    if (noncompliant.length + notEvaluated.length > 0 && !values['exit-zero']) return EXIT_FINDINGS;
    // An account left unscanned is never a clean result.
    return unreadable.length > 0 ? EXIT_AWS : EXIT_OK;
  },
});

/** A positive whole number of milliseconds from a flag, or its default. */
function milliseconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new UsageError(`--${flag} '${value}' is not a positive number of milliseconds`);
  return parsed;
}
