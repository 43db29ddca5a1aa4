import { CATALOGUE, type CheckId, type CheckSettingsLayer } from '../catalogue';
import { durationSeconds, parsePolicyDate } from './formats';
import type { Exemption, Policy } from './schema';
import type { PolicyPath } from './source-locator';

export interface SemanticProblem {
  readonly path: PolicyPath;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

const MIN_APPROVAL_TIMEOUT = 5 * 60;
const MAX_APPROVAL_TIMEOUT = 30 * 86400;

interface SettingsLayer {
  readonly path: PolicyPath;
  readonly settings: { mode?: string | undefined; approvalTimeout?: string | undefined };
}

/** Every place in the policy that sets common settings: defaults, checks, and both inside overrides. */
function settingsLayers(policy: Policy): SettingsLayer[] {
  const layers: SettingsLayer[] = [{ path: ['defaults'], settings: policy.defaults }];
  const fromChecks = (checks: Policy['checks'], path: PolicyPath) =>
    Object.entries(checks).flatMap(([id, settings]) => (settings ? [{ path: [...path, id], settings }] : []));
  layers.push(...fromChecks(policy.checks, ['checks']));
  policy.overrides.forEach((override, index) => {
    if (override.defaults) layers.push({ path: ['overrides', index, 'defaults'], settings: override.defaults });
    if (override.checks) layers.push(...fromChecks(override.checks, ['overrides', index, 'checks']));
  });
  return layers;
}

function checkModes(policy: Policy): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const ticketsConfigured = policy.tickets !== undefined && policy.tickets.provider !== 'none';
  for (const { path, settings } of settingsLayers(policy)) {
    if (settings.mode === 'approval' && !policy.approvals) {
      problems.push({ path: [...path, 'mode'], severity: 'error', message: 'mode approval needs approvals.slack (channel, approvers and secrets)' });
    }
    if (settings.mode === 'ticket' && !ticketsConfigured) {
      problems.push({ path: [...path, 'mode'], severity: 'error', message: 'mode ticket needs a tickets provider (jira, github or webhook)' });
    }
    if (settings.approvalTimeout !== undefined) {
      const seconds = durationSeconds(settings.approvalTimeout);
      if (seconds < MIN_APPROVAL_TIMEOUT || seconds > MAX_APPROVAL_TIMEOUT) {
        problems.push({ path: [...path, 'approvalTimeout'], severity: 'error', message: 'expected an approval timeout between 5m and 30d' });
      }
    }
  }
  if (!ticketsConfigured) {
    problems.push({
      path: policy.tickets ? ['tickets', 'provider'] : [],
      severity: 'warning',
      message: 'no ticket provider: failed and expired remediations are recorded in the audit trail only',
    });
  }
  return problems;
}

function checkTickets(policy: Policy): SemanticProblem[] {
  const tickets = policy.tickets;
  if (!tickets || tickets.provider === 'none' || tickets[tickets.provider]) return [];
  return [{ path: ['tickets', 'provider'], severity: 'error', message: `provider ${tickets.provider} needs a tickets.${tickets.provider} section` }];
}

function asList<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function checkOverrides(policy: Policy): SemanticProblem[] {
  const regions = policy.deployment?.regions;
  if (!regions) return [];
  return policy.overrides.flatMap((override, index) =>
    asList(override.match.region)
      .filter((region) => !regions.includes(region))
      .map((region) => ({
        path: ['overrides', index, 'match', 'region'],
        severity: 'error' as const,
        message: `this override matches nothing: region ${region} is not in deployment.regions (${regions.join(', ')})`,
      })),
  );
}

/** The ARN service each check's resources live in, e.g. `dynamodb`. */
function resourceService(check: CheckId): string {
  const entry = CATALOGUE.find((candidate) => candidate.id === check);
  return entry ? (entry.resourceType.split('::')[1] ?? '').toLowerCase() : '';
}

function exemptionKey(exemption: Exemption): string {
  return JSON.stringify([asList(exemption.check).toSorted(), exemption.resource ?? null, exemption.tag?.key ?? null, exemption.tag?.value ?? null]);
}

function checkExemptions(policy: Policy, now: Date): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const seen = new Map<string, number>();
  policy.exemptions.forEach((exemption, index) => {
    const key = exemptionKey(exemption);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else problems.push({ path: ['exemptions', index], severity: 'error', message: `duplicate of exemptions[${first}]` });

    const service = exemption.resource?.split(':')[2];
    if (service && service !== '*') {
      for (const check of asList(exemption.check)) {
        const expected = resourceService(check);
        if (expected && service !== expected) {
          problems.push({
            path: ['exemptions', index, 'resource'],
            severity: 'error',
            message: `this exemption matches nothing: ${check} judges ${expected} resources, not ${service}`,
          });
        }
      }
    }
    const expires = exemption.expires ? parsePolicyDate(exemption.expires) : undefined;
    if (expires && expires.getTime() < now.getTime()) {
      problems.push({ path: ['exemptions', index, 'expires'], severity: 'warning', message: `expired on ${exemption.expires}; it is ignored` });
    }
  });
  return problems;
}

/** The checks level and every override section that sets `check`'s own settings, with the regions each can apply to. */
function settingsLayersOf(policy: Policy, check: CheckId): CheckSettingsLayer[] {
  const deployed = policy.deployment?.regions ?? [];
  const section = (checks: Policy['checks'] | undefined) => checks?.[check] ?? undefined;
  const base = section(policy.checks);
  return [
    // The checks level is judged even when the policy leaves it out: its defaults apply everywhere.
    { path: ['checks', check], own: base ?? {}, base: {}, regions: deployed, atChecksLevel: true },
    ...policy.overrides.flatMap((override, index) => {
      const own = section(override.checks);
      if (!own) return [];
      const matched = override.match.region;
      const regions = matched === undefined ? deployed : Array.isArray(matched) ? matched : [matched];
      return [{ path: ['overrides', index, 'checks', check], own, base: base ?? {}, regions, atChecksLevel: false }];
    }),
  ];
}

/** Each check's own policy checks (core/catalogue/<check>.ts), over every section that sets its settings. */
function checkPolicyChecks(policy: Policy): SemanticProblem[] {
  return CATALOGUE.flatMap((check) => {
    const policyChecks = 'policyChecks' in check ? check.policyChecks : undefined;
    return policyChecks ? settingsLayersOf(policy, check.id).flatMap((layer) => policyChecks(layer)) : [];
  });
}

/** A check naming the member stack's key (its alias) where the policy deploys no such key. */
function checkMemberKey(policy: Policy): SemanticProblem[] {
  if (policy.member.encryption === 'customer-managed') return [];
  return CATALOGUE.flatMap((check) => {
    const alias = 'memberKey' in check ? check.memberKey.alias : undefined;
    if (!alias) return [];
    return settingsLayersOf(policy, check.id)
      .filter((layer) => layer.own['kmsKey'] === alias)
      .map((layer): SemanticProblem => ({
        path: [...layer.path, 'kmsKey'],
        severity: 'error',
        message: `${alias} is the member stack's own key, which it creates only with member.encryption: customer-managed: set that, or name another key`,
      }));
  });
}

/** Problems a schema cannot see: references between sections, duplicates, and rules that can never apply. */
export function semanticProblems(policy: Policy, now: Date): SemanticProblem[] {
  return [
    ...checkModes(policy),
    ...checkTickets(policy),
    ...checkOverrides(policy),
    ...checkExemptions(policy, now),
    ...checkPolicyChecks(policy),
    ...checkMemberKey(policy),
  ];
}
