import type { Counters, Log } from '../../core/observability';
import type { ApprovalStore } from './approval-store';
import { APPROVE_ACTION, REJECT_ACTION, decidedMessage } from './approval-message';
import { approvalResult, type Delivery } from './deliver-decision';
import { verifySlackSignature } from './signature';

export interface InteractionRequest {
  readonly rawBody: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface InteractionResponse {
  readonly statusCode: number;
  readonly body: string;
}

export interface InteractionDeps {
  signingSecret(): Promise<string>;
  readonly store: ApprovalStore;
  isApprover(userId: string): Promise<boolean>;
  deliver(delivery: Delivery, result: ReturnType<typeof approvalResult>): Promise<'delivered' | 'gone'>;
  respond(responseUrl: string, message: Record<string, unknown>): Promise<void>;
  /** Where Slack's response URLs live (`https://hooks.slack.com/`); anything else is refused. */
  readonly responseUrlPrefix: string;
  readonly log: Log;
  readonly metrics: Counters;
  now(): Date;
}

const MAX_BODY_BYTES = 32 * 1024;
const APPROVAL_ID = /^[A-Za-z0-9_-]{43}$/;

type Rejection = 'body-too-large' | 'bad-signature' | 'stale-timestamp' | 'missing-signature' | 'malformed' | 'unauthorized-user' | 'unknown-approval' | 'expired' | 'already-decided';

interface Action {
  readonly approvalId: string;
  readonly decision: 'APPROVED' | 'REJECTED';
  readonly userId: string;
  readonly responseUrl: string;
  readonly messageBlocks?: unknown[];
}

/** Parses the form-encoded `payload` defensively: every field checked for type and shape. */
function parseAction(rawBody: string, responseUrlPrefix: string): Action | undefined {
  const payloadText = new URLSearchParams(rawBody).get('payload');
  if (!payloadText) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const action = Array.isArray(p['actions']) ? (p['actions'][0] as Record<string, unknown> | undefined) : undefined;
  const user = p['user'] as Record<string, unknown> | undefined;
  const responseUrl = p['response_url'];
  if (p['type'] !== 'block_actions' || !action || typeof user?.['id'] !== 'string' || !/^[UW][A-Z0-9]{2,}$/.test(user['id'])) return undefined;
  if (action['action_id'] !== APPROVE_ACTION && action['action_id'] !== REJECT_ACTION) return undefined;
  if (typeof action['value'] !== 'string' || !APPROVAL_ID.test(action['value'])) return undefined;
  if (typeof responseUrl !== 'string' || !responseUrl.startsWith(responseUrlPrefix)) return undefined;
  const message = p['message'] as Record<string, unknown> | undefined;
  return {
    approvalId: action['value'],
    decision: action['action_id'] === APPROVE_ACTION ? 'APPROVED' : 'REJECTED',
    userId: user['id'],
    responseUrl,
    ...(Array.isArray(message?.['blocks']) ? { messageBlocks: message['blocks'] as unknown[] } : {}),
  };
}

/**
 * Slack's interactivity endpoint, in this order: signature over the raw body (constant time, ±5 min),
 * defensive parsing, the clicking user against the approvers, a single-use conditional claim of the
 * approval, delivery to the member workflow through its delivery role, then the message update.
 * Every refusal is logged without the body, counted, and reaches no state machine.
 */
export async function handleInteraction(request: InteractionRequest, deps: InteractionDeps): Promise<InteractionResponse> {
  const now = deps.now();
  const refuse = (reason: Rejection, statusCode: number, context: Record<string, unknown> = {}): InteractionResponse => {
    deps.log.warn('slack interaction refused', { reason, ...context });
    deps.metrics.count('InteractionRefused');
    return { statusCode, body: statusCode === 200 ? '' : reason };
  };
  if (Buffer.byteLength(request.rawBody) > MAX_BODY_BYTES) return refuse('body-too-large', 413);
  const verdict = verifySlackSignature(request.rawBody, request.headers['x-slack-request-timestamp'], request.headers['x-slack-signature'], await deps.signingSecret(), Math.floor(now.getTime() / 1000));
  if (verdict !== 'valid') return refuse(verdict === 'stale' ? 'stale-timestamp' : verdict === 'missing' ? 'missing-signature' : 'bad-signature', 401);

  const action = parseAction(request.rawBody, deps.responseUrlPrefix);
  if (!action) return refuse('malformed', 400);
  const ephemeral = (text: string) => deps.respond(action.responseUrl, { response_type: 'ephemeral', replace_original: false, text });

  if (!(await deps.isApprover(action.userId))) {
    await ephemeral('You are not one of the approvers for Warden remediations; nothing was changed.');
    return refuse('unauthorized-user', 200, { user: action.userId });
  }
  const actor = `slack:${action.userId}`;
  const claim = await deps.store.claim(action.approvalId, action.decision, actor, now);
  if ('refused' in claim) {
    if (claim.refused === 'unknown') return refuse('unknown-approval', 403, { user: action.userId });
    if (claim.refused === 'expired') {
      await ephemeral('This approval request has expired; Warden recorded it as EXPIRED and opened a ticket.');
      return refuse('expired', 200, { user: action.userId, findingId: claim.approval?.findingId });
    }
    await ephemeral(`This request was already decided by ${claim.approval?.decidedBy?.replace('slack:', '<@') ?? 'someone'}${claim.approval?.decidedBy ? '>' : ''}.`);
    return refuse('already-decided', 200, { user: action.userId, findingId: claim.approval?.findingId });
  }

  const approval = claim.claimed;
  let delivered: 'delivered' | 'gone';
  try {
    delivered = await deps.deliver({ account: approval.account, region: approval.region, taskToken: approval.taskToken }, approvalResult(action.decision, actor, now));
  } catch (error) {
    // Put it back, so Slack's retry (or a second click) can deliver it; answer 500 so Slack retries.
    await deps.store.release(approval.approvalId);
    deps.log.error('approval delivery failed', { findingId: approval.findingId, account: approval.account, error: (error as { name?: string }).name ?? 'Error' });
    deps.metrics.count('ApprovalDeliveryFailed');
    return { statusCode: 500, body: 'delivery failed' };
  }
  if (delivered === 'gone') {
    await deps.store.settle(approval.approvalId, 'EXPIRED');
    await ephemeral('The workflow stopped waiting for this approval (it expired); nothing was changed.');
    return refuse('expired', 200, { user: action.userId, findingId: approval.findingId });
  }
  await deps.store.settle(approval.approvalId, action.decision);
  deps.metrics.count(action.decision === 'APPROVED' ? 'Approved' : 'Rejected');
  deps.log.info('approval decided', { findingId: approval.findingId, account: approval.account, decision: action.decision, actor });
  await deps.respond(action.responseUrl, decidedMessage(action.messageBlocks as never, action.decision, action.userId, now));
  return { statusCode: 200, body: '' };
}
