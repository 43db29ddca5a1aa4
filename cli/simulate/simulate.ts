import { CHECK_IDS, type CheckId, evidenceItemsOf } from '../../core/catalogue';
import { partitionOf } from '../../core/aws/arns';
import { AuditStore } from '../../core/audit/audit-store';
import { verifyChain } from '../../core/audit/verify-chain';
import { errorMessage } from '../../core/errors';
import { CHECK_RULES, routeEvent } from '../../core/events/event-patterns';
import { extractResources, ownResources } from '../../core/events/extract-resources';
import { SILENT_LOG, NO_COUNTERS } from '../../core/observability';
import type { Policy } from '../../core/policy/schema';
import type { PlanInput, WorkflowStart } from '../../core/workflow-input';
import { findingStatus, type ManagedBy, type ResourceRef } from '../../core/finding';
import type { FetchedState } from '../../detectors/detector';
import { detectResource, QUIET_OUTCOME_STATUS, type QuietStatus } from '../../detectors/detect';
import { DETECTORS } from '../../detectors/index';
import { listAll } from '../../detectors/list-all';
import { discoverRemediationContext, withPlan } from '../../remediators/index';
import type { TerminalState } from '../../core/events/bus-contract';
import type { WorkflowResources } from '../../statemachines/remediation-workflow';
import { createAuditTable, startLocalDynamoDb } from '../local-dynamodb';
import type { InputProblem, LoadedEvent } from './load-events';
import { runDryRun } from './local-workflow';
import { replayClients, SnapshotMissError } from './replay-clients';
import type { Snapshot } from './snapshot';

export type SimulatedStatus = 'NON_COMPLIANT' | 'NOT_EVALUATED' | QuietStatus;

export interface SimulatedFinding {
  readonly check: CheckId;
  readonly resourceArn: string;
  readonly status: SimulatedStatus;
  readonly reason?: string;
  readonly flagged?: readonly string[];
  /** What the flagged names are (the check's evidence label, e.g. `Open methods`). */
  readonly flaggedAs?: string;
  readonly findingId?: string;
  readonly dryRun?: true;
  readonly mode?: string;
  readonly exemptBy?: string;
  /** The exemption that applies: why, and until when. */
  readonly exemption?: { readonly rule: string; readonly reason: string; readonly expires?: string };
  /** Where an approval would be asked, and how long Warden would wait. */
  readonly approval?: { readonly channel: string; readonly approvers: readonly string[]; readonly timeoutSeconds: number };
  /** Where a ticket would be opened. */
  readonly ticket?: { readonly provider: string; readonly where?: string };
  readonly decidedBy?: string;
  /** The CloudFormation or CDK stack that manages the resource: its next deploy reverts a fix made in place. */
  readonly managedBy?: ManagedBy;
  readonly plannedCalls?: PlanInput['calls'];
  readonly notes?: readonly string[];
  readonly outcome?: TerminalState;
  readonly duplicateOf?: string;
}

export interface SimulatedEvent {
  readonly event: string;
  readonly file: string;
  readonly checks: readonly CheckId[];
  readonly findings: readonly SimulatedFinding[];
}

export interface Simulation {
  readonly results: readonly SimulatedEvent[];
  readonly errors: readonly InputProblem[];
  readonly audit: { readonly records: number; readonly chainsVerified: boolean };
}

/**
 * `warden simulate`: each event goes through the synthesized rule patterns, the matching detectors run
 * against the snapshot's recorded responses, the policy decides, and the real workflow definition runs
 * locally in dry run, writing its audit records to a local DynamoDB (dynalite).
 */
export async function simulate(input: {
  events: readonly LoadedEvent[];
  problems: readonly InputProblem[];
  snapshot: Snapshot;
  policy: Policy;
  now: Date;
  /** Also judge every resource the snapshot's list responses name, as the daily sweep would (its label: the snapshot's file). */
  sweep?: string;
}): Promise<Simulation> {
  const { snapshot, policy, now } = input;
  const clients = replayClients(snapshot);
  const partition = partitionOf(snapshot.region);
  // What the snapshot says, else what its recorded responses show (a response it lacks is not known here).
  const discovered = await discoverRemediationContext(clients, CHECK_IDS, (error) => error instanceof SnapshotMissError);
  const baselineWebAclArn = snapshot.baselineWebAclArn ?? discovered.baselineWebAclArn;
  const resources: WorkflowResources = {
    partition,
    eventBusArn: `arn:${partition}:events:${snapshot.region}:${snapshot.account}:event-bus/warden`,
    counterTableName: 'warden-blast-radius',
    remediatorFunctionArns: Object.fromEntries(
      CHECK_RULES.map((rule) => [
        rule.check,
        `arn:${partition}:lambda:${snapshot.region}:${snapshot.account}:function:warden-remediator-${rule.check}`,
      ]),
    ) as Record<CheckId, string>,
  };
  const local = await startLocalDynamoDb();
  const errors: InputProblem[] = [...input.problems];
  const results: SimulatedEvent[] = [];
  const executed = new Map<string, TerminalState>();
  let records = 0;
  try {
    await createAuditTable(local.client, 'warden-audit');
    const store = new AuditStore(local.document, 'warden-audit');
    /** Judges one resource, as its detector would, and runs its workflow in dry run; what it found goes in `findings`. */
    const judge = async (
      check: CheckId,
      ref: ResourceRef & { check: CheckId },
      trigger: { kind: 'cloudtrail' | 'config' | 'sweep' | 'manual'; id: string },
      findings: SimulatedFinding[],
      listed?: FetchedState,
    ): Promise<void> => {
      let started: WorkflowStart | undefined;
      const { outcome, input: workflowInput } = await detectResource(
        ref,
        trigger,
        {
          detector: DETECTORS[check],
          clients,
          policy,
          organizationalUnits: snapshot.organizationalUnits,
          startWorkflow: (workflow) => {
            started = workflow;
            return Promise.resolve(executed.has(workflow.finding.findingId) ? 'duplicate' : 'started');
          },
          log: SILENT_LOG,
          metrics: NO_COUNTERS,
          now: () => now,
          poll: { attempts: 1, delayMs: 0 },
        },
        listed,
      );
      if (!workflowInput || !started) {
        findings.push({ check, resourceArn: ref.resourceArn, status: QUIET_OUTCOME_STATUS[outcome as keyof typeof QUIET_OUTCOME_STATUS] });
        return;
      }
      const { finding, decision, plan } = withPlan(workflowInput, { baselineWebAclArn });
      const items = evidenceItemsOf(finding);
      const flagged = items?.items.map((item) => item.name);
      const asksApproval = !decision.exempt && (decision.mode === 'approval' || decision.flapping !== undefined);
      const slack = policy.approvals?.slack;
      const common = {
        check,
        // As the API names it (a role's event names it without its path).
        resourceArn: finding.resourceArn,
        status: findingStatus(finding),
        reason: finding.reason,
        ...(flagged ? { flagged, flaggedAs: items?.label ?? '' } : {}),
        findingId: finding.findingId,
        dryRun: true as const,
        mode: decision.mode,
        ...(decision.exempt ? { exemptBy: decision.exemption?.rule ?? decision.decidedBy } : {}),
        ...(decision.exemption ? { exemption: decision.exemption } : {}),
        ...(asksApproval && slack
          ? { approval: { channel: slack.channel, approvers: slack.approvers, timeoutSeconds: decision.approvalTimeoutSeconds } }
          : {}),
        ...(!decision.exempt ? ticketOf(policy, decision.mode) : {}),
        decidedBy: decision.decidedBy,
        ...(finding.managedBy ? { managedBy: finding.managedBy } : {}),
        plannedCalls: plan.calls,
        notes: plan.notes,
      };
      const previous = executed.get(finding.findingId);
      if (outcome === 'duplicate' && previous) {
        findings.push({ ...common, outcome: previous, duplicateOf: finding.findingId });
        return;
      }
      const terminal = await runDryRun(workflowInput, {
        store,
        account: snapshot.account,
        region: snapshot.region,
        resources,
        now,
        remediationContext: { baselineWebAclArn },
      });
      executed.set(finding.findingId, terminal);
      findings.push({ ...common, outcome: terminal });
    };
    for (const loaded of input.events) {
      const eventId = String(loaded.event['id']);
      const checks = routeEvent(loaded.event);
      const findings: SimulatedFinding[] = [];
      try {
        for (const check of checks) {
          const extracted = extractResources(loaded.event, check);
          const { kind, eventId: triggerId } = extracted;
          // A foreign event (another account or region than the snapshot's) is an error, never planned.
          for (const ref of ownResources(extracted, snapshot)) {
            try {
              await judge(check, ref, { kind, id: triggerId }, findings);
            } catch (error) {
              // A response the snapshot lacks fails this resource only: the event's other results stand.
              if (!(error instanceof SnapshotMissError)) throw error;
              errors.push({
                file: loaded.file,
                ...(loaded.index !== undefined ? { index: loaded.index } : {}),
                event: eventId,
                check,
                resourceArn: ref.resourceArn,
                error: error.message,
              });
            }
          }
        }
        results.push({ event: eventId, file: loaded.file, checks, findings });
      } catch (error) {
        errors.push({
          file: loaded.file,
          ...(loaded.index !== undefined ? { index: loaded.index } : {}),
          event: eventId,
          error: errorMessage(error),
        });
      }
    }
    if (input.sweep !== undefined) {
      const findings: SimulatedFinding[] = [];
      for (const check of CHECK_IDS) {
        const fail = (error: unknown, resourceArn?: string) =>
          errors.push({ file: input.sweep ?? '', event: 'sweep', check, ...(resourceArn ? { resourceArn } : {}), error: errorMessage(error) });
        try {
          for await (const { ref, state } of listAll(DETECTORS[check], clients, { account: snapshot.account, region: snapshot.region })) {
            // As scan does: one resource that cannot be read is an error, and the rest still stand.
            await judge(check, ref as ResourceRef & { check: CheckId }, { kind: 'sweep', id: 'snapshot-sweep' }, findings, state).catch(
              (error: unknown) => fail(error, ref.resourceArn),
            );
          }
        } catch (error) {
          fail(error);
        }
      }
      results.push({ event: 'sweep', file: input.sweep, checks: CHECK_IDS, findings });
    }
    let chainsVerified = true;
    for (const findingId of executed.keys()) {
      const history = await store.findingHistory(findingId);
      records += history.length;
      if (verifyChain(history, await store.latest(findingId)).length > 0) chainsVerified = false;
    }
    return { results, errors, audit: { records, chainsVerified } };
  } finally {
    await local.stop();
  }
}

/** Where the policy would open a ticket for a finding in this mode (ticket mode; an approval that times out may too). */
function ticketOf(policy: Policy, mode: string): { ticket?: { provider: string; where?: string } } {
  const tickets = policy.tickets;
  if (mode !== 'ticket' || !tickets) return {};
  const where =
    tickets.provider === 'jira'
      ? tickets.jira?.project
      : tickets.provider === 'github'
        ? tickets.github?.repository
        : tickets.provider === 'webhook'
          ? tickets.webhook?.url
          : undefined;
  return { ticket: { provider: tickets.provider, ...(where ? { where } : {}) } };
}
