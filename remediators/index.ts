import { CATALOGUE, type CheckId } from '../core/catalogue';
import { checkExport } from '../core/catalogue/check-module';
import type { AwsClients } from '../core/aws/clients';
import type { WorkflowInput, WorkflowStart } from '../core/workflow-input';
import type { RemediationContext, Remediator } from './remediator';

export type AnyRemediator = Remediator<CheckId, keyof AwsClients, unknown>;

/** The remediator of a check: the one value its module, remediators/<check-id>, exports for it. */
function remediatorOf(check: CheckId): AnyRemediator {
  // The module is named by the catalogue's id, so no registry lists the checks a second time; checkExport
  // finds the one value in it for the check, whatever else the module exports.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-assignment -- loaded by the id, checked by checkExport
  const module: Record<string, AnyRemediator> = require(`./${check}`);
  return checkExport(module, check);
}

/** Every remediator by check id, from the catalogue (for the CLI; a Lambda's generated entry imports only its own). */
const REMEDIATORS = new Map<CheckId, AnyRemediator>(CATALOGUE.map((check) => [check.id, remediatorOf(check.id)]));

export function remediatorFor(check: CheckId): AnyRemediator {
  const remediator = REMEDIATORS.get(check);
  if (!remediator) throw new Error(`no remediator for ${check}`);
  return remediator;
}

/**
 * What the checks' remediators read from the account in place of a deployment's outputs (see
 * `Remediator.discoverContext`). An error `notKnownHere` accepts (no permission, not recorded) leaves
 * that part out: the plans then say what is missing.
 */
export async function discoverRemediationContext(
  clients: AwsClients,
  checks: readonly CheckId[],
  notKnownHere: (error: unknown) => boolean,
): Promise<RemediationContext> {
  let context: RemediationContext = {};
  for (const check of checks) {
    try {
      context = { ...context, ...(await remediatorFor(check).discoverContext?.(clients)) };
    } catch (error) {
      if (!notKnownHere(error)) throw error;
    }
  }
  return context;
}

/**
 * A started workflow's input with its plan, as the workflow's Plan state makes it: the CLI shows the plan
 * before anything runs, so it asks the remediator the same way. A plan the detector brought is kept.
 */
export function withPlan(start: WorkflowStart, context: RemediationContext): WorkflowInput {
  if (start.plan) return { ...start, plan: start.plan };
  const { finding, decision } = start;
  return { ...start, plan: remediatorFor(finding.check).plan(finding, decision.settings as never, context) };
}
