import { resolve } from 'node:path';
import { defineCommand, EXIT_FINDINGS, EXIT_OK, painter, UsageError } from '../io';
import { loadPolicyForCommand } from '../load-policy';
import { formatSimulation } from '../simulate/format';
import { loadEvents } from '../simulate/load-events';
import { simulate } from '../simulate/simulate';
import { loadSnapshot } from '../simulate/snapshot';
import { DEFAULT_POLICY_FILE } from './policy-validate';
import { simulationReport } from '../reports/from-results';
import { parseFormats, REPORT_FLAGS, writeReports } from '../reports/write-reports';

export const simulateCommand = defineCommand({
  name: 'simulate',
  summary: 'run events through Warden offline against recorded API responses (dry run)',
  usage: '(--events <dir|file> | --sweep) --snapshot <file> [--policy <file>] [--json] [--output-dir d [--formats f,g]]',
  description: `Offline, no AWS account needed. Each EventBridge event (one per file, or an array per file) is routed
through the synthesized rule patterns; the matching detectors run against the snapshot's recorded API
responses; the policy decides; and the real workflow definition runs locally in dry run, writing its
audit records to a local DynamoDB (dynalite on loopback, started and stopped by the command).

Unusable inputs (not JSON, not an EventBridge envelope, over 256 KB, wrong field types) are listed in
"errors" and the valid inputs beside them are still processed.`,
  flags: {
    events: { type: 'string', value: '<dir|file>', description: 'EventBridge events: a .json file, or a directory of them' },
    snapshot: {
      type: 'string',
      value: '<file>',
      description: 'recorded API responses: { account, region, responses: { "<Client>.<Operation>": [...] } }',
    },
    sweep: {
      type: 'boolean',
      description:
        "also judge every resource the snapshot's list responses name, as the daily sweep does (a snapshot from 'warden snapshot record' has them)",
    },
    policy: { type: 'string', value: '<file>', description: `policy (default ${DEFAULT_POLICY_FILE})` },
    json: { type: 'boolean', description: 'machine-readable output' },
    'exit-zero': { type: 'boolean', description: 'exit 0 even when there are findings (unusable inputs still exit 1)' },
    ...REPORT_FLAGS,
  },
  examples: [
    'warden simulate --events examples/events --snapshot examples/snapshot.json --policy examples/policy.yaml',
    "warden simulate --events my-event.json --snapshot account.json --json | jq '.results[].findings[]'",
  ],
  exitCodes: '0 no findings (or --exit-zero), 1 findings, an unusable input or an invalid policy, 2 usage error.',
  async run({ values }, io) {
    const formats = parseFormats(values['output-dir'], values.formats);
    if (!values.events && !values.sweep) throw new UsageError('--events <dir|file> is required (or --sweep)');
    if (!values.snapshot) throw new UsageError('--snapshot <file> is required');
    const policy = loadPolicyForCommand(resolve(io.cwd, values.policy ?? DEFAULT_POLICY_FILE), values.policy ?? DEFAULT_POLICY_FILE, io);
    const snapshot = loadSnapshot(resolve(io.cwd, values.snapshot));
    const { events, problems } = values.events ? loadEvents(resolve(io.cwd, values.events), io.cwd) : { events: [], problems: [] };
    const now = new Date();
    const simulation = await simulate({ events, problems, snapshot, policy, now, ...(values.sweep ? { sweep: values.snapshot } : {}) });
    if (values['output-dir']) {
      const report = simulationReport(
        simulation,
        { account: snapshot.account, region: snapshot.region, events: values.events ?? 'none (sweep)' },
        now,
      );
      for (const file of writeReports(report, values['output-dir'], formats, io.cwd)) io.stderr.write(`wrote ${file}\n`);
    }
    if (values.json)
      io.stdout.write(`${JSON.stringify({ results: simulation.results, errors: simulation.errors, audit: simulation.audit }, null, 2)}\n`);
    else io.stdout.write(formatSimulation(simulation, painter(io.stdout, io.env)));
    const findings = simulation.results.some((result) =>
      result.findings.some((finding) => finding.status === 'NON_COMPLIANT' || finding.status === 'NOT_EVALUATED'),
    );
    return simulation.errors.length > 0 || (findings && !values['exit-zero']) ? EXIT_FINDINGS : EXIT_OK;
  },
});
