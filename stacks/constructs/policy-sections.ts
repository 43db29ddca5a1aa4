import type { Check, PermissionStatement } from '../../core/catalogue';
import type { Policy } from '../../core/policy/schema';

/*
 * What a check's settings are across the policy's sections (the checks level, and each override laid
 * over it), for what a member must deploy ahead of any one resource: permissions, a web ACL's regions.
 */

/** A section's own settings of `check`, without the common ones (mode, dryRun, ...). */
function ownSettings(check: Check, section: object | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(section ?? {}).filter(([key]) => key in check.settings.shape));
}

/** The check's settings at checks level, defaults applied. */
export function checksLevelSettings(check: Check, policy: Policy): Record<string, unknown> {
  return check.settings.parse(ownSettings(check, policy.checks[check.id]));
}

/**
 * The union of a check's policy-dependent permissions over every settings the policy can resolve to:
 * the check's section, and each override's section laid over it.
 */
export function policyPermissionsOf(check: Check, policy: Policy): PermissionStatement[] {
  const permissions: ((settings: Record<string, unknown>) => readonly PermissionStatement[]) | undefined =
    'policyPermissions' in check ? check.policyPermissions : undefined;
  if (!permissions) return [];
  const own = (section: object | undefined) => ownSettings(check, section);
  const base = own(policy.checks[check.id]);
  const layers = [base, ...policy.overrides.map((override) => ({ ...base, ...own(override.checks?.[check.id]) }))];
  const statements = layers.flatMap((layer) => permissions(check.settings.parse(layer) as Record<string, unknown>));
  return [...new Map(statements.map((statement) => [JSON.stringify(statement), statement])).values()];
}

/**
 * The regions where some section of the policy asks for something of `check` (`regionsOf` each
 * section's own settings), within the regions the section applies to (an override's `match.region`).
 */
export function regionsAskedFor(
  check: Check,
  policy: Policy,
  regionsOf: (own: Readonly<Record<string, unknown>>) => 'all' | readonly string[],
): 'all' | string[] {
  const sections: { own: Record<string, unknown>; regions: 'all' | readonly string[] }[] = [
    { own: ownSettings(check, policy.checks[check.id]), regions: 'all' },
    ...policy.overrides.map((override) => {
      const matched = override.match.region;
      return { own: ownSettings(check, override.checks?.[check.id]), regions: matched === undefined ? ('all' as const) : [matched].flat() };
    }),
  ];
  const wanted = new Set<string>();
  for (const section of sections) {
    const asked = regionsOf(section.own);
    if (asked === 'all' && section.regions === 'all') return 'all';
    const within = asked === 'all' ? section.regions : section.regions === 'all' ? asked : asked.filter((region) => section.regions.includes(region));
    for (const region of within) wanted.add(region);
  }
  return [...wanted].sort();
}
