import type { AwsClients } from '../../core/aws/clients';
import { type CheckId, evidenceItemsOf } from '../../core/catalogue';
import { awsErrorName, errorMessage } from '../../core/errors';
import { NO_COUNTERS, SILENT_LOG } from '../../core/observability';
import type { Policy } from '../../core/policy/schema';
import type { PlanInput, WorkflowStart } from '../../core/workflow-input';
import { findingStatus, type ManagedBy } from '../../core/finding';
import { detectResource, QUIET_OUTCOME_STATUS, type QuietStatus } from '../../detectors/detect';
import { DETECTORS } from '../../detectors/index';
import { listAll } from '../../detectors/list-all';
import { discoverRemediationContext, withPlan } from '../../remediators/index';
import type { StackLookup } from '../../detectors/managed-by';

export interface ScannedResource {
  readonly check: CheckId;
  /** The account and region it was scanned in (roles, being global, are scanned in IAM's home region). */
  readonly account?: string;
  readonly region?: string;
  readonly resourceArn: string;
  readonly status: 'NON_COMPLIANT' | 'NOT_EVALUATED' | QuietStatus | 'ERROR';
  readonly reason?: string;
  readonly flagged?: readonly string[];
  readonly findingId?: string;
  /** The policy's mode for this resource (as in `warden simulate`). */
  readonly mode?: string;
  /** The exemption that applies, if any. */
  readonly exemptBy?: string;
  readonly exemption?: { readonly rule: string; readonly reason: string; readonly expires?: string };
  /** What the policy would do: its mode, `exempt`, or the mode in dry run. Nothing is done: scan is read-only. */
  readonly wouldDo?: string;
  readonly decidedBy?: string;
  /** The CloudFormation or CDK stack that manages the resource: its next deploy reverts a fix made in place. */
  readonly managedBy?: ManagedBy;
  readonly plannedCalls?: PlanInput['calls'];
  readonly error?: string;
}

/** Errors that mean the caller may not read a piece of context: the plans then say what is missing. */
const accessDenied = (error: unknown) => ['AccessDeniedException', 'WAFAccessDeniedException', 'AccessDenied'].includes(awsErrorName(error) ?? '');

/**
 * `warden scan`: a read-only sweep with the caller's credentials. The same detectors and policy
 * resolution as in Lambda; instead of starting a workflow, it reports what the policy would do.
 */
export async function scanAccount(input: {
  clients: AwsClients;
  account: string;
  region: string;
  policy: Policy;
  checks: readonly CheckId[];
  now: Date;
  /** Finds the stack that manages a finding's resource; without it, the resource's tags alone say. */
  stacks?: Pick<StackLookup, 'managedBy'>;
  onProgress?: (done: number, check: CheckId) => void;
  /** Called once a check's list is done (or failed), with what it found. */
  onCheckDone?: (check: CheckId, tally: { readonly resources: number; readonly findings: number; readonly errors: number }) => void;
}): Promise<ScannedResource[]> {
  const results: ScannedResource[] = [];
  const context = await discoverRemediationContext(input.clients, input.checks, accessDenied);
  for (const check of input.checks) {
    const first = results.length;
    try {
      await scanCheck(check);
    } catch (error) {
      // The list itself failed (no permission, an unreachable endpoint): said for this check, and the others go on.
      results.push({
        check,
        account: input.account,
        region: input.region,
        resourceArn: `(every ${check} resource)`,
        status: 'ERROR',
        error: `${awsErrorName(error) ?? 'Error'}: ${errorMessage(error)}`,
      });
    }
    const mine = results.slice(first);
    input.onCheckDone?.(check, {
      resources: mine.length,
      findings: mine.filter((result) => result.status === 'NON_COMPLIANT' || result.status === 'NOT_EVALUATED').length,
      errors: mine.filter((result) => result.status === 'ERROR').length,
    });
  }
  return results;

  async function scanCheck(check: CheckId): Promise<void> {
    const detector = DETECTORS[check];
    // Judged from the list's state where it carries one, as the sweep judges: no read per resource.
    for await (const { ref, state } of listAll(detector, input.clients, { account: input.account, region: input.region })) {
      try {
        let captured: WorkflowStart | undefined;
        const { outcome } = await detectResource(
          ref,
          { kind: 'manual' },
          {
            detector,
            clients: input.clients,
            policy: input.policy,
            organizationalUnits: [],
            startWorkflow: (workflow) => {
              captured = workflow;
              return Promise.resolve('started');
            },
            log: SILENT_LOG,
            metrics: NO_COUNTERS,
            now: () => input.now,
            poll: { attempts: 3, delayMs: 2_000 },
            ...(input.stacks ? { stacks: input.stacks } : {}),
          },
          state,
        );
        if (captured) {
          const { finding, decision, plan } = withPlan(captured, context);
          const flagged = evidenceItemsOf(finding)?.items.map((item) => item.name);
          results.push({
            check,
            account: input.account,
            region: input.region,
            // As the API names it (a role's listing and its event may differ in path).
            resourceArn: finding.resourceArn,
            status: findingStatus(finding),
            reason: finding.reason,
            ...(flagged ? { flagged } : {}),
            findingId: finding.findingId,
            mode: decision.mode,
            ...(decision.exempt ? { exemptBy: decision.exemption?.rule ?? decision.decidedBy } : {}),
            ...(decision.exemption ? { exemption: decision.exemption } : {}),
            wouldDo: decision.exempt ? 'exempt' : decision.dryRun ? `${decision.mode} (dry run)` : decision.mode,
            decidedBy: decision.decidedBy,
            ...(finding.managedBy ? { managedBy: finding.managedBy } : {}),
            plannedCalls: plan.calls,
          });
        } else {
          results.push({
            check,
            account: input.account,
            region: input.region,
            resourceArn: ref.resourceArn,
            status: QUIET_OUTCOME_STATUS[outcome as keyof typeof QUIET_OUTCOME_STATUS],
          });
        }
      } catch (error) {
        results.push({
          check,
          account: input.account,
          region: input.region,
          resourceArn: ref.resourceArn,
          status: 'ERROR',
          error: `${awsErrorName(error) ?? 'Error'}: ${errorMessage(error)}`,
        });
      }
      input.onProgress?.(results.length, check);
    }
  }
}
