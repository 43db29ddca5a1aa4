import { type CheckId, type CheckSettings, getCheck, type Mode } from '../catalogue';
import { durationSeconds, parsePolicyDate } from './formats';
import { BUILT_IN_DEFAULTS, type CommonSettings, type Exemption, type Override, type Policy } from './schema';

/** Everything known about a resource when deciding what to do with it. */
export interface ResolutionContext {
  readonly account: string;
  /** Organizational units from the root down to the account's parent, e.g. `['ou-root-a', 'ou-root-prod']`. */
  readonly organizationalUnits: readonly string[];
  readonly region: string;
  readonly check: CheckId;
  readonly resourceArn: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly now: Date;
}

export interface MatchedExemption {
  /** Where it is in the policy, e.g. `exemptions[2]`. */
  readonly rule: string;
  readonly reason: string;
  readonly expires?: string;
}

type CommonField = keyof typeof BUILT_IN_DEFAULTS | 'mode';

export interface ResolvedSettings<Id extends CheckId = CheckId> {
  readonly check: Id;
  readonly enabled: boolean;
  readonly mode: Mode;
  readonly dryRun: boolean;
  readonly approvalTimeoutSeconds: number;
  readonly maxAutoFixesPerHour: number;
  /** What to do with a stack-managed resource: fix it (and say the next deploy reverts it) or ticket the stack's owner. */
  readonly iacManaged: 'fix' | 'ticket';
  /** When to stop auto-fixing a resource that keeps breaking again. */
  readonly flapping: { readonly maxRebreaks: number; readonly windowSeconds: number };
  /** The check's own settings, defaults applied. */
  readonly settings: CheckSettings<Id>;
  /** Set when an exemption applies: the resource is not remediated. */
  readonly exemption?: MatchedExemption;
  /** The rule that decided the outcome: the exemption if one applies, else the one that set the mode. */
  readonly decidedBy: string;
  /** Which rule set each common setting, for the audit trail. */
  readonly sources: Readonly<Record<CommonField, string>>;
  /** Exemptions that would apply but have expired; they are ignored and reported. */
  readonly expiredExemptions: readonly MatchedExemption[];
  /** Who owns the resource: its owner tag (policy owners.tag), else the policy's default assignee. */
  readonly owner?: string;
}

function asList<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** `*` in an ARN pattern matches any run of characters, including none. */
export function arnPatternMatches(pattern: string, arn: string): boolean {
  const expression = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${expression}$`).test(arn);
}

function exemptionApplies(exemption: Exemption, context: ResolutionContext): boolean {
  const checks = asList(exemption.check);
  if (checks.length > 0 && !checks.includes(context.check)) return false;
  if (exemption.resource !== undefined && !arnPatternMatches(exemption.resource, context.resourceArn)) return false;
  if (exemption.tag !== undefined) {
    const value = context.tags[exemption.tag.key];
    if (value === undefined || (exemption.tag.value !== undefined && value !== exemption.tag.value)) return false;
  }
  return true;
}

function exemptionReason(exemption: Exemption, context: ResolutionContext): string {
  if (exemption.reason !== undefined) return exemption.reason;
  const tagValue = exemption.tag ? context.tags[exemption.tag.key] : undefined;
  return tagValue ? `tag ${exemption.tag?.key}: ${tagValue}` : `tag ${exemption.tag?.key ?? ''}`;
}

/** How specific an override is for this context: account beats OU (deeper beats shallower) beats region. */
function overrideRank(override: Override, context: ResolutionContext): number | undefined {
  const { account, organizationalUnit, region } = override.match;
  if (account !== undefined && !asList(account).includes(context.account)) return undefined;
  if (region !== undefined && !asList(region).includes(context.region)) return undefined;
  let rank = 0;
  if (organizationalUnit !== undefined) {
    const depths = asList(organizationalUnit)
      .map((ou) => context.organizationalUnits.indexOf(ou))
      .filter((depth) => depth >= 0);
    if (depths.length === 0) return undefined;
    rank = 1 + Math.max(...depths);
  }
  return account !== undefined ? 1_000 + rank : rank;
}

interface Layer {
  readonly source: string;
  readonly common: Partial<CommonSettings>;
  readonly specific: Readonly<Record<string, unknown>>;
}

function splitSettings(settings: Readonly<Record<string, unknown>> | undefined): Pick<Layer, 'common' | 'specific'> {
  const { enabled, mode, dryRun, approvalTimeout, maxAutoFixesPerHour, iacManaged, flapping, ...specific } = settings ?? {};
  const common = { enabled, mode, dryRun, approvalTimeout, maxAutoFixesPerHour, iacManaged, flapping } as Partial<CommonSettings>;
  return { common, specific };
}

/** Layers from least to most specific: built-ins, catalogue, defaults, check, then matching overrides. */
function layers(policy: Policy, context: ResolutionContext): Layer[] {
  const check = getCheck(context.check);
  const result: Layer[] = [
    { source: 'built-in defaults', common: BUILT_IN_DEFAULTS, specific: {} },
    { source: `catalogue (${check.id})`, common: { mode: check.defaultMode }, specific: {} },
    { source: 'defaults', common: policy.defaults, specific: {} },
    { source: `checks.${check.id}`, ...splitSettings(policy.checks[context.check]) },
  ];
  const matching = policy.overrides
    .map((override, index) => ({ override, index, rank: overrideRank(override, context) }))
    .filter((entry): entry is { override: Override; index: number; rank: number } => entry.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.index - b.index);
  for (const { override, index } of matching) {
    if (override.defaults) result.push({ source: `overrides[${index}].defaults`, common: override.defaults, specific: {} });
    const forCheck = override.checks?.[context.check];
    if (forCheck) result.push({ source: `overrides[${index}].checks.${check.id}`, ...splitSettings(forCheck) });
  }
  return result;
}

/**
 * The effective settings for one resource under the policy, with precedence (most specific first):
 * exemption, account override, OU override, region override, check settings, defaults.
 */
export function resolvePolicy<Id extends CheckId>(policy: Policy, context: ResolutionContext & { check: Id }): ResolvedSettings<Id> {
  const common: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const specific: Record<string, unknown> = {};
  for (const layer of layers(policy, context)) {
    for (const [field, value] of Object.entries(layer.common)) {
      if (value === undefined) continue;
      common[field] = value;
      sources[field] = layer.source;
    }
    for (const [field, value] of Object.entries(layer.specific)) if (value !== undefined) specific[field] = value;
  }

  let exemption: MatchedExemption | undefined;
  const expiredExemptions: MatchedExemption[] = [];
  policy.exemptions.forEach((candidate, index) => {
    if (!exemptionApplies(candidate, context)) return;
    const matched: MatchedExemption = {
      rule: `exemptions[${index}]`,
      reason: exemptionReason(candidate, context),
      ...(candidate.expires ? { expires: candidate.expires } : {}),
    };
    const expires = candidate.expires ? parsePolicyDate(candidate.expires) : undefined;
    if (expires && expires.getTime() < context.now.getTime()) expiredExemptions.push(matched);
    else exemption ??= matched;
  });

  // The layers were validated when the policy was parsed (at synth, for a deployed function): the
  // check's defaults under them are the settings, with no schema run here.
  const settings = { ...getCheck(context.check).defaults, ...specific } as CheckSettings<Id>;
  const owner = context.tags[policy.owners.tag]?.trim() || policy.owners.defaultAssignee;
  return {
    check: context.check,
    enabled: common['enabled'] as boolean,
    mode: common['mode'] as Mode,
    dryRun: common['dryRun'] as boolean,
    approvalTimeoutSeconds: durationSeconds(common['approvalTimeout'] as string),
    maxAutoFixesPerHour: common['maxAutoFixesPerHour'] as number,
    iacManaged: common['iacManaged'] as 'fix' | 'ticket',
    flapping: {
      maxRebreaks: (common['flapping'] as { maxRebreaks: number }).maxRebreaks,
      windowSeconds: durationSeconds((common['flapping'] as { window: string }).window),
    },
    settings,
    ...(exemption ? { exemption } : {}),
    decidedBy: exemption?.rule ?? (sources['mode'] as string),
    sources: sources as Record<CommonField, string>,
    expiredExemptions,
    ...(owner ? { owner } : {}),
  };
}
