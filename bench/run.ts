import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchBundles, synthesize } from './bundles';
import { benchChaos } from './chaos';
import { costModel, PRICES, WORKLOAD } from './cost-model';
import { deployedCounts } from './deployed-counts';
import { benchDetectors } from './detectors';
import { benchSecretScanner } from './secret-scanner';
import { benchSweep } from './sweep';
import { benchStageSweep } from './stage-sweep';
import { benchSweepTransitions, benchWorkflow } from './workflow';

const out = (text = '') => process.stdout.write(`${text}\n`);
const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) => {
  out(`| ${header.join(' | ')} |`);
  out(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) out(`| ${row.join(' | ')} |`);
  out();
};

/** `npm run bench`: measures Warden and writes bench/results.json. Not part of `npm test`. */
async function main(): Promise<void> {
  const results: Record<string, unknown> = { measuredAt: new Date().toISOString(), node: process.version };

  out('## Lambda functions as `cdk synth` deploys them: zip size and cold init against a fair baseline');
  out('Baseline: a bundle that constructs the same AWS SDK clients (traced) plus Powertools logger, tracer and metrics, built the same way.');
  out('Interleaved in one run, median of 21 fresh processes each. Goals: zip <= 250 KB, ratio <= 1.05.');
  out();
  const functions = benchBundles();
  results['functions'] = functions;
  table(
    ['function', 'zip KB', 'index.js KB', 'init ms', 'baseline init ms', 'ratio to baseline'],
    functions.map((fn) => [
      fn.name,
      (fn.zipBytes / 1024).toFixed(0),
      (fn.bundleBytes / 1024).toFixed(0),
      fn.initMs.toFixed(1),
      fn.baselineInitMs.toFixed(1),
      fn.initRatioToPowertoolsBaseline.toFixed(2),
    ]),
  );

  out('## Detector throughput, warm, recorded SDK responses (events evaluated per second)');
  const detectors = await benchDetectors();
  results['detectors'] = detectors;
  table(
    ['check', 'events/s'],
    Object.entries(detectors).map(([check, rate]) => [check, Math.round(rate)]),
  );

  out('## Secret scanner: precision and recall by corpus, and values/s (one core, warm, whole scanner)');
  const scanner = benchSecretScanner();
  results['secretScanner'] = scanner;
  const corpora = [
    ['independent, held-back half (never tuned on)', scanner.heldBack],
    ['independent, development half', scanner.development],
    ['test/fixtures/secret-corpus (written with the first rules)', scanner.regression],
  ] as const;
  table(
    ['corpus', 'values', 'secrets', 'precision', 'recall'],
    corpora.map(([label, score]) => [
      label,
      score.values,
      score.truePositives + score.falseNegatives,
      score.precision.toFixed(3),
      score.recall.toFixed(3),
    ]),
  );
  out(`${Math.round(scanner.valuesPerSecond)} values/s`);
  out();
  for (const miss of scanner.development.misses) out(`- development half, missed: ${miss}`);
  for (const alarm of scanner.development.falseAlarms) out(`- development half, false alarm: ${alarm}`);
  out();

  out('## Workflow per finding, from local executions of the real definition');
  const workflow = await benchWorkflow();
  results['workflow'] = workflow;
  table(
    ['path', 'state transitions', 'remediator invocations', 'audit records', 'events', 'counter writes'],
    Object.entries(workflow).map(([mode, c]) => [mode, c.transitions, c.remediatorInvocations, c.auditRecords, c.events, c.counterWrites]),
  );
  const sweepTransitions = await benchSweepTransitions();
  results['sweepWorkflow'] = { transitionsPerDailySweep: sweepTransitions };
  out(`The daily sweep workflow (every check's list in one step): ${sweepTransitions} state transitions.`);
  out();

  out("## Sweep: 5,000 Lambda functions against the Lambda control plane's documented limit, shared with the account's tooling");
  const sweep = await benchSweep();
  const lambdaLimit = sweep.modelledLimits['lambda'];
  out(
    `Modelled: ${lambdaLimit?.perSecond}/s, burst ${lambdaLimit?.burst}, ${lambdaLimit?.latencyMs} ms per call (${lambdaLimit?.source}); Warden's share ${sweep.allowedPerSecond}/s; the account's own tooling ${sweep.otherToolingPerSecond}/s.`,
  );
  out();
  table(
    ['functions', 'seconds', 'Warden calls', 'fraction of its share', 'throttled calls', 'failed resources', 'seconds for 5,000 functions'],
    [
      [
        sweep.functions,
        sweep.seconds.toFixed(1),
        sweep.wardenCalls,
        sweep.fractionOfLimit.toFixed(2),
        sweep.throttledCalls,
        sweep.failedResources,
        sweep.secondsFor5000Functions.toFixed(0),
      ],
    ],
  );

  const stageSweep = await benchStageSweep();
  results['sweep'] = {
    ...sweep,
    modelledLimits: { ...sweep.modelledLimits, apigateway: stageSweep.limit },
    stages: stageSweep,
    secondsFor2000Stages: Math.max(...stageSweep.checks.map((check) => check.secondsFor2000Stages)),
  };
  out(
    `## Sweep: REST API stages (${stageSweep.stages} measured, two per API) against API Gateway's management limit, shared with the account's tooling`,
  );
  out(
    `Modelled: ${stageSweep.limit.perSecond}/s, burst ${stageSweep.limit.burst}, ${stageSweep.limit.latencyMs} ms per call (${stageSweep.limit.source}); Warden's share ${stageSweep.allowedPerSecond}/s; the account's own tooling ${stageSweep.otherToolingPerSecond}/s. The sweep workflow runs the checks one after another; each reads GetRestApis pages and one GetStages per API, and the WAF check asks WAF only about stages that name no web ACL. 2,000 stages are priced at the sustained rate (burst spent).`,
  );
  out();
  table(
    [
      'check',
      'seconds',
      'API Gateway calls',
      'WAF calls',
      'sustained fraction of its share',
      'throttled calls',
      'failed resources',
      'seconds for 2,000 stages',
    ],
    stageSweep.checks.map((check) => [
      check.check,
      check.seconds.toFixed(1),
      check.apiGatewayCalls,
      check.wafCalls,
      check.fractionOfLimit.toFixed(2),
      check.throttledCalls,
      check.failedResources,
      check.secondsFor2000Stages.toFixed(0),
    ]),
  );

  out('## Chaos: 200 findings end to end with 20% of AWS calls failing (test/chaos, against moto)');
  const chaos = await benchChaos();
  results['chaos'] = chaos ?? 'skipped: moto_server not found';
  if (chaos) {
    const httpFaults = Object.values(chaos.httpFaults).reduce((sum, count) => sum + count, 0);
    table(
      ['findings', 'AWS calls', 'HTTP faults', 'workflow faults', 'terminal records', 'changed twice', 'REMEDIATED without undo', 'seconds'],
      [
        [
          chaos.findings,
          chaos.awsCalls,
          `${httpFaults} ${JSON.stringify(chaos.httpFaults)}`,
          chaos.workflowFaults,
          JSON.stringify(chaos.terminal),
          chaos.changedTwice.length,
          chaos.remediatedWithoutUndo.length,
          chaos.seconds.toFixed(1),
        ],
      ],
    );
  } else out('skipped: moto_server not found (pip install "moto[server]")\n');

  out(`## Cost per member account and region per month, and the hub's (prices: ${PRICES.asOf})`);
  out(
    `Workload: ${WORKLOAD.cloudTrailEvents} relevant API calls, ${WORKLOAD.configItemChanges} Config item changes, a daily sweep of ${WORKLOAD.checks} checks, findings ${JSON.stringify(WORKLOAD.findings)}; counts of functions, keys, alarms, dashboards and WAF rules from the templates synthesized for a policy of defaults (test/fixtures/policy/defaults.yaml), and config/policy.yaml's choices priced as conditional.`,
  );
  out();
  const cost = costModel(workflow, sweepTransitions, deployedCounts(synthesize('defaults')), deployedCounts(synthesize('config')));
  results['cost'] = { prices: PRICES, workload: WORKLOAD, ...cost };
  table(
    ['scope', 'item', 'quantity', 'USD', 'charged when', 'price source'],
    cost.items.map((item) => [item.scope, item.item, Number(item.quantity.toFixed(3)), item.usd.toFixed(4), item.when ?? 'always', item.source]),
  );
  out(
    `Member account-region: $${cost.memberAccountRegionMonthUsd.toFixed(2)} a month, plus up to $${cost.memberConditionalMonthUsd.toFixed(2)} where the conditions apply. Hub, for the organisation: $${cost.hubMonthUsd.toFixed(2)}.`,
  );

  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  out('\nwrote bench/results.json');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error)}\n`);
  process.exitCode = 1;
});
