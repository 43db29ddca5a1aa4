import { CATALOGUE } from '../../core/catalogue';
import { defineCommand, EXIT_OK, painter } from '../io';

/** What `warden checks` says of one check: what it judges, how bad, what it does by default, what it is triggered by and needs. */
function describeCheck(check: (typeof CATALOGUE)[number]) {
  return {
    id: check.id,
    title: check.title,
    severity: check.severity,
    defaultMode: check.defaultMode,
    resourceType: check.resourceType,
    noncompliantWhen: check.noncompliantWhen,
    fix: check.fix,
    triggers: {
      cloudTrail: check.cloudTrail.map(({ eventSource, eventNames }) => ({ eventSource, eventNames: [...eventNames] })),
      config: check.configResourceType,
      sweep: 'daily',
    },
    permissions: {
      detect: check.permissions.detect.map(({ actions, resources }) => ({ actions: [...actions], resources: [...resources] })),
      remediate: check.permissions.remediate.map(({ actions, resources }) => ({ actions: [...actions], resources: [...resources] })),
    },
  };
}

export const checksCommand = defineCommand({
  name: 'checks',
  summary: 'list every check: severity, default mode, triggers and the IAM permissions it needs',
  usage: '[--json]',
  description: `Lists every check Warden knows, from its catalogue: its severity, its default mode (auto, approval,
ticket or report), the CloudTrail calls and AWS Config type that trigger it, and the IAM actions its
detector and remediator are granted (on the resources named, with {partition}, {region} and {account}).`,
  flags: { json: { type: 'boolean', description: 'one JSON array, an object per check' } },
  examples: ['warden checks', `warden checks --json | jq '.[] | select(.severity == "critical") | .id'`],
  exitCodes: '0 ok, 2 usage error.',
  run({ values }, io) {
    const checks = CATALOGUE.map(describeCheck);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
      return Promise.resolve(EXIT_OK);
    }
    const paint = painter(io.stdout, io.env);
    for (const check of checks) {
      const events = check.triggers.cloudTrail.flatMap(({ eventNames }) => eventNames);
      const actions = (statements: readonly { readonly actions: readonly string[] }[]) =>
        [...new Set(statements.flatMap(({ actions }) => actions))].join(', ');
      io.stdout.write(
        `${paint.bold(check.id)}  ${check.severity}, ${check.defaultMode} by default, ${check.resourceType}\n` +
          `    ${check.title}: noncompliant when ${check.noncompliantWhen}\n` +
          `    triggers: ${events.join(', ')}; Config ${check.triggers.config}; the daily sweep\n` +
          `    detector may: ${actions(check.permissions.detect)}\n` +
          `    remediator may: ${actions(check.permissions.remediate)}\n`,
      );
    }
    io.stdout.write(`${checks.length} checks\n`);
    return Promise.resolve(EXIT_OK);
  },
});
