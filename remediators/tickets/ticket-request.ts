import { evidenceItemsOf } from '../../core/catalogue';
import { MalformedEventError } from '../../core/events/errors';
import { parseEnvelope } from '../../core/events/extract-resources';
import { redact } from '../../core/redact';
import type { WorkflowInput } from '../../core/workflow-input';
import type { HealthReport } from '../remediator';
import { healthOf, type StagedRequest, stagedOf } from '../staged-request';

/** A ticket request from a member workflow, as the hub's ticket opener receives it. */
export interface TicketRequest {
  readonly account: string;
  readonly region: string;
  readonly reason: string;
  readonly executionArn: string;
  /** Present when the workflow waits for the ticket key (mode ticket); absent after EXPIRED or FAILED. */
  readonly taskToken?: string;
  readonly input: WorkflowInput;
  /** A staged fix's first phase: what the owner must change, and the copies the fix cannot reach. */
  readonly staged?: StagedRequest;
  /** Set when errors rose after a phase of a staged fix (the escalation ticket). */
  readonly health?: HealthReport;
}

export function parseTicketRequest(event: unknown): TicketRequest {
  const envelope = parseEnvelope(event);
  const detail = envelope.detail;
  const input = { finding: detail['finding'], decision: detail['decision'], plan: detail['plan'] } as WorkflowInput;
  if (!input.finding?.findingId || !input.decision || !input.plan || typeof detail['executionArn'] !== 'string') {
    throw new MalformedEventError('ticket request lacks finding, decision, plan or executionArn');
  }
  return {
    account: envelope.account,
    region: envelope.region,
    reason: typeof detail['reason'] === 'string' ? detail['reason'] : 'not fixed automatically',
    executionArn: detail['executionArn'],
    ...(typeof detail['taskToken'] === 'string' ? { taskToken: detail['taskToken'] } : {}),
    input: redact(input),
    staged: redact(stagedOf(detail['applied'])),
    ...(healthOf(detail['health']) ? { health: redact(healthOf(detail['health']) as HealthReport) } : {}),
  };
}

export interface TicketContent {
  readonly title: string;
  /** Sections in order: heading and lines (plain text; each provider renders its own markup). */
  readonly sections: readonly { readonly heading: string; readonly lines: readonly string[] }[];
  readonly labels: readonly string[];
}

/** What is wrong, where, why it was not auto-fixed, the planned fix, and how to exempt. Never a secret value. */
export function ticketContent(request: TicketRequest): TicketContent {
  const { finding, decision, plan } = request.input;
  const flagged = evidenceItemsOf(finding)?.items ?? [];
  const staged = request.staged?.staged;
  const leftBehind = request.staged?.leftBehind ?? [];
  return {
    title: `[Warden] ${finding.check}: ${finding.resourceArn}`.slice(0, 250),
    sections: [
      {
        heading: 'What is wrong',
        lines: [
          finding.reason,
          ...flagged.map((item) => `${item.name}: ${item.detail}${item.fingerprint ? ` (fingerprint ${item.fingerprint})` : ''}`),
        ],
      },
      {
        heading: 'Where',
        lines: [
          `Resource: ${finding.resourceArn}`,
          `Account: ${request.account}`,
          `Region: ${request.region}`,
          `Finding: ${finding.findingId}`,
          `Workflow execution: ${request.executionArn}`,
        ],
      },
      {
        heading: 'Why it was not fixed automatically',
        lines: [`${request.reason} (mode ${decision.mode}${decision.dryRun ? ', dry run' : ''}, decided by ${decision.decidedBy})`],
      },
      ...(decision.flapping
        ? [
            {
              heading: 'Who re-broke it',
              lines: [
                `Broken again ${decision.flapping.rebreaks.length} times within ${Math.round(decision.flapping.windowSeconds / 3600)}h after automatic fixes; Warden no longer fixes it automatically and asks for a decision instead.`,
                ...decision.flapping.rebreaks.map((rebreak) => `${rebreak.at}: ${rebreak.by}`),
                'Change whatever keeps reverting the fix (a deploy pipeline, a script, a template), or exempt the resource.',
              ],
            },
          ]
        : []),
      {
        heading: 'Who must act',
        lines: [
          decision.owner
            ? `Owner: ${decision.owner} (the resource's owner tag, or the policy's default assignee)`
            : "Owner: nobody named: the resource has no owner tag and the policy's owners section names no default assignee",
        ],
      },
      ...(staged
        ? [
            {
              heading: 'What the owner must change before the second phase',
              lines: [
                ...staged.ownerSteps,
                `Until then nothing the code reads is removed. Deadline: ${new Date(Date.parse(staged.startedAt) + staged.confirmWithinSeconds * 1000).toISOString()}.`,
              ],
            },
          ]
        : []),
      ...(leftBehind.length > 0 ? [{ heading: 'Copies the fix cannot reach', lines: leftBehind }] : []),
      ...(request.health
        ? [
            {
              heading: 'Why Warden stopped',
              lines: [
                request.health.reason,
                `Before: ${request.health.before.errors} errors in ${request.health.before.invocations} invocations (${request.health.before.from} to ${request.health.before.to}).`,
                `After: ${request.health.after.errors} errors in ${request.health.after.invocations} invocations (${request.health.after.from} to ${request.health.after.to}).`,
                `Nothing more is changed. To put the resource back as it was: warden undo ${finding.findingId} --reason "<why>".`,
              ],
            },
          ]
        : []),
      {
        heading: 'Planned fix',
        lines: [...plan.calls.map((call) => `${call.client}.${call.operation} ${JSON.stringify(call.input)}`), ...plan.notes],
      },
      {
        heading: 'How to exempt',
        lines: [
          'Add to the policy (exemptions), with a reason and an expiry:',
          `- { check: ${finding.check}, resource: "${finding.resourceArn}", reason: "<why>", expires: <YYYY-MM-DD> }`,
          'or tag the resource warden:exempt=<reason>.',
        ],
      },
    ],
    labels: ['warden', finding.check],
  };
}

/** Plain-text rendering (GitHub markdown, webhook). */
export function renderMarkdown(content: TicketContent): string {
  return content.sections.map((section) => `### ${section.heading}\n\n${section.lines.map((line) => `- ${line}`).join('\n')}`).join('\n\n');
}
