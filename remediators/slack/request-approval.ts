import { randomBytes } from 'node:crypto';
import { WardenError } from '../../core/errors';
import { MalformedEventError } from '../../core/events/errors';
import { parseEnvelope } from '../../core/events/extract-resources';
import type { Counters, Log } from '../../core/observability';
import type { Policy } from '../../core/policy/schema';
import type { WorkflowInput } from '../../core/workflow-input';
import type { ApprovalStore } from './approval-store';
import { approvalMessage } from './approval-message';
import { stagedOf } from '../staged-request';
import { confirmationMessage, SLACK_USER } from './confirmation-message';

/** The part of @slack/web-api's WebClient the notifier uses. */
export interface SlackPoster {
  chat: {
    postMessage(args: {
      channel: string;
      text: string;
      blocks: unknown[];
    }): Promise<{ ok?: boolean; ts?: string; channel?: string; message?: { team?: string } }>;
  };
  auth: { test(): Promise<{ team_id?: string }> };
}

export interface RequestApprovalDeps {
  readonly store: ApprovalStore;
  readonly slack: () => Promise<SlackPoster>;
  readonly config: NonNullable<Policy['approvals']>['slack'];
  readonly log: Log;
  readonly metrics: Counters;
  readonly now: () => Date;
}

export class SlackPostError extends WardenError {
  override name = 'SlackPostError';
}

/** An approval id: 256 random bits, URL-safe. Unguessable, and meaningless outside the hub table. */
export function newApprovalId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The hub's Slack notifier: stores the approval with its task token (PENDING), posts the request to the
 * policy's channel, then binds the approval to the team, channel and message Slack answered with. The
 * token stays in the table; Slack sees only the approval id.
 */
export async function requestApproval(event: unknown, deps: RequestApprovalDeps): Promise<'posted' | 'duplicate'> {
  const envelope = parseEnvelope(event);
  const detail = envelope.detail as Record<string, unknown> & { taskToken?: unknown; executionArn?: unknown; finding?: WorkflowInput['finding'] };
  const input = { finding: detail.finding, decision: detail['decision'], plan: detail['plan'] } as WorkflowInput;
  if (
    typeof detail.taskToken !== 'string' ||
    typeof detail.executionArn !== 'string' ||
    !input.finding?.findingId ||
    !input.plan ||
    !input.decision
  ) {
    throw new MalformedEventError('approval request lacks taskToken, executionArn, finding, decision or plan');
  }
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + Number(detail['expiresInSeconds'] ?? input.decision.approvalTimeoutSeconds) * 1000);
  const confirm = detail['purpose'] === 'confirm';
  const owner = input.decision.owner;
  const created = await deps.store.create({
    ...(confirm ? { purpose: 'confirm' as const } : {}),
    ...(confirm && owner && SLACK_USER.test(owner) ? { owner } : {}),
    approvalId: newApprovalId(),
    taskToken: detail.taskToken,
    account: envelope.account,
    region: envelope.region,
    executionArn: detail.executionArn,
    findingId: input.finding.findingId,
    check: input.finding.check,
    resourceArn: input.finding.resourceArn,
    expiresAt: Math.floor(expiresAt.getTime() / 1000),
    state: 'PENDING',
  });
  const { approvalId } = created.approval;
  if (!created.first && created.approval.slackTs) {
    deps.log.info('approval already requested for this execution', { executionArn: detail.executionArn, findingId: input.finding.findingId });
    deps.metrics.count('DuplicateApprovalRequest');
    return 'duplicate';
  }
  // A repeated request whose first attempt stored the approval but never bound a posted message posts it now.
  if (!created.first)
    deps.log.warn('approval stored but never posted: posting it now', { executionArn: detail.executionArn, findingId: input.finding.findingId });
  const request = { approvalId, account: envelope.account, region: envelope.region, input, approvers: deps.config.approvers, expiresAt };
  const message = confirm ? confirmationMessage({ ...request, applied: stagedOf(detail['applied']) }) : approvalMessage(request);
  const slack = await deps.slack();
  const posted = await slack.chat.postMessage({ channel: deps.config.channel, text: message.text, blocks: message.blocks });
  // Bound to where it was posted: a click on a copy in another workspace or channel is refused.
  const team = posted.message?.team ?? (await slack.auth.test()).team_id;
  if (!posted.channel || !posted.ts || !team)
    throw new SlackPostError(`Slack accepted the approval request for ${input.finding.findingId} but returned no team, channel or ts`);
  await deps.store.bind(approvalId, { team, channel: posted.channel, ts: posted.ts });
  deps.metrics.count(confirm ? 'ConfirmationRequested' : 'ApprovalRequested');
  deps.log.info('approval requested in Slack', {
    findingId: input.finding.findingId,
    check: input.finding.check,
    account: envelope.account,
    expiresAt: expiresAt.toISOString(),
  });
  return 'posted';
}
