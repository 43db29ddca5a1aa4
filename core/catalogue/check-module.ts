/**
 * The one value a check's module exports for the check: its detector (detectors/<check-id>) or its
 * remediator (remediators/<check-id>), known by its `check` field. The registries and the generated
 * Lambda entries find it this way, so neither names a check.
 */
export function checkExport<Module extends Record<string, unknown>>(
  module: Module,
  check: string,
): Extract<Module[keyof Module], { readonly check: string }> {
  const found = Object.values(module).filter(
    (value) => typeof value === 'object' && value !== null && (value as { check?: unknown }).check === check,
  );
  if (found.length !== 1) throw new Error(`the module of ${check} must export exactly one value for it, found ${found.length}`);
  return found[0] as Extract<Module[keyof Module], { readonly check: string }>;
}
