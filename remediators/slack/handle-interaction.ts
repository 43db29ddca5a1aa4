import type { Approval, ClaimResult } from './approval-store';
import { APPROVE_ACTION, REJECT_ACTION, decidedMessage } from './approval-message';
import { approvalRecord, completeDelivery, type DeliveryDeps, HUB_APPROVAL_STATES } from './complete-delivery';
import { verifySlackSignature } from './signature';

export interface InteractionRequest {
  /** The HTTP method API Gateway received. */
  readonly method: string;
  readonly rawBody: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface InteractionResponse {
  readonly statusCode: number;
  readonly body: string;
}

export interface InteractionDeps extends DeliveryDeps {
  signingSecret(): Promise<string>;
  isApprover(userId: string): Promise<boolean>;
  respond(responseUrl: string, message: Record<string, unknown>): Promise<void>;
  /** Where Slack's response URLs live (`https://hooks.slack.com/`); anything else is refused. */
  readonly responseUrlPrefix: string;
  now(): Date;
}

const MAX_BODY_BYTES = 32 * 1024;
const APPROVAL_ID = /^[A-Za-z0-9_-]{43}$/;
const SLACK_ID = /^[A-Z][A-Z0-9]{2,}$/;

type Rejection =
  | 'method-not-allowed'
  | 'body-too-large'
  | 'bad-signature'
  | 'stale-timestamp'
  | 'missing-signature'
  | 'malformed'
  | 'unauthorized-user'
  | 'unknown-approval'
  | 'foreign-channel'
  | 'expired'
  | 'already-decided'
  | 'in-flight';

interface Action {
  readonly approvalId: string;
  readonly decision: 'APPROVED' | 'REJECTED';
  readonly userId: string;
  /** Absent for an org-wide Enterprise Grid install, where Slack sends `team: null`. */
  readonly team?: string;
  readonly channel: string;
  /** The ts of the message the button is on. */
  readonly messageTs: string;
  readonly responseUrl: string;
  readonly messageBlocks?: unknown[];
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * Parses the form-encoded body as Slack sends a button click, and nothing else: exactly one field,
 * `payload`, of type `block_actions`, with exactly one action, a user, the team and the channel.
 */
function parseAction(rawBody: string, responseUrlPrefix: string): Action | undefined {
  const fields = [...new URLSearchParams(rawBody).entries()];
  if (fields.length !== 1 || fields[0]?.[0] !== 'payload') return undefined;
  let payload: Record<string, unknown> | undefined;
  try {
    payload = record(JSON.parse(fields[0][1]));
  } catch {
    return undefined;
  }
  if (!payload || payload['type'] !== 'block_actions') return undefined;
  const actions = payload['actions'];
  if (!Array.isArray(actions) || actions.length !== 1) return undefined;
  const action = record(actions[0]);
  const userId = record(payload['user'])?.['id'];
  const team = payload['team'] === null ? null : record(payload['team'])?.['id'];
  const container = record(payload['container']);
  const channel = record(payload['channel'])?.['id'] ?? container?.['channel_id'];
  const messageTs = container?.['message_ts'];
  const responseUrl = payload['response_url'];
  if (!action || typeof userId !== 'string' || !/^[UW][A-Z0-9]{2,}$/.test(userId)) return undefined;
  if ((team !== null && (typeof team !== 'string' || !SLACK_ID.test(team))) || typeof channel !== 'string' || !SLACK_ID.test(channel))
    return undefined;
  if (typeof messageTs !== 'string' || !/^\d{1,12}\.\d{1,8}$/.test(messageTs)) return undefined;
  if (action['action_id'] !== APPROVE_ACTION && action['action_id'] !== REJECT_ACTION) return undefined;
  if (typeof action['value'] !== 'string' || !APPROVAL_ID.test(action['value'])) return undefined;
  if (typeof responseUrl !== 'string' || !responseUrl.startsWith(responseUrlPrefix)) return undefined;
  const blocks = record(payload['message'])?.['blocks'];
  return {
    approvalId: action['value'],
    decision: action['action_id'] === APPROVE_ACTION ? 'APPROVED' : 'REJECTED',
    userId,
    ...(team ? { team } : {}),
    channel,
    messageTs,
    responseUrl,
    ...(Array.isArray(blocks) ? { messageBlocks: blocks } : {}),
  };
}

/** Each refused claim: what the log and the audit trail call it, and the HTTP status Slack gets. */
const CLAIM_REFUSALS: Readonly<Record<Extract<ClaimResult, { refused: unknown }>['refused'], readonly [Rejection, number]>> = {
  unknown: ['unknown-approval', 403],
  unbound: ['foreign-channel', 403],
  'foreign-channel': ['foreign-channel', 403],
  expired: ['expired', 200],
  decided: ['already-decided', 200],
  'in-flight': ['in-flight', 200],
};

const mention = (actor: string | undefined) => (actor?.startsWith('slack:') ? `<@${actor.slice('slack:'.length)}>` : 'someone');

/** What each refused click is told: only what really happened. */
const REFUSAL_TEXT: Partial<Record<Rejection, (approval?: Approval) => string>> = {
  'unauthorized-user': () => 'You are not one of the approvers for Warden remediations; nothing was changed.',
  expired: (approval) =>
    `This approval request has expired; Warden changed nothing. The workflow goes on as the policy says for an expired approval: the audit trail of finding \`${approval?.findingId ?? 'unknown'}\` shows what it did.`,
  'already-decided': (approval) =>
    `This request was already decided by ${mention(approval?.decidedBy)} (${approval?.state ?? 'decided'}); your click changed nothing.`,
  'in-flight': (approval) => `The decision by ${mention(approval?.decidedBy)} is being delivered right now; your click changed nothing.`,
};

/**
 * Slack's interactivity endpoint, in this order: POST only, the signature over the raw body (constant
 * time, ±5 min), strict parsing, the clicking user against the approvers, a single-use conditional claim
 * (a lease) bound to the message Warden posted (its channel and ts, and its team when Slack sends one), delivery to the member workflow
 * through its delivery role, then the message update. A refusal says nothing to an unauthenticated caller
 * about which check failed (the log keeps the reason), reaches no state machine, and, once the request is
 * known to come from Slack and names an approval, is recorded in the audit trail.
 */
export async function handleInteraction(request: InteractionRequest, deps: InteractionDeps): Promise<InteractionResponse> {
  const now = deps.now();
  const refuse = (reason: Rejection, statusCode: number, context: Record<string, unknown> = {}): InteractionResponse => {
    deps.log.warn('slack interaction refused', { reason, ...context });
    deps.metrics.count('InteractionRefused');
    return { statusCode, body: statusCode === 200 ? '' : 'refused' };
  };
  if (request.method.toUpperCase() !== 'POST') return refuse('method-not-allowed', 405, { method: request.method.slice(0, 16) });
  if (Buffer.byteLength(request.rawBody) > MAX_BODY_BYTES) return refuse('body-too-large', 413);
  const verdict = verifySlackSignature(
    request.rawBody,
    request.headers['x-slack-request-timestamp'],
    request.headers['x-slack-signature'],
    await deps.signingSecret(),
    Math.floor(now.getTime() / 1000),
  );
  if (verdict !== 'valid')
    return refuse(verdict === 'stale' ? 'stale-timestamp' : verdict === 'missing' ? 'missing-signature' : 'bad-signature', 401);

  const action = parseAction(request.rawBody, deps.responseUrlPrefix);
  if (!action) return refuse('malformed', 400);
  const actor = `slack:${action.userId}`;
  const tell = (text: string) => deps.respond(action.responseUrl, { response_type: 'ephemeral', replace_original: false, text });
  const refuseKnown = async (reason: Rejection, statusCode: number, approval: Approval | undefined): Promise<InteractionResponse> => {
    if (approval)
      await deps.audit.append(
        approvalRecord(approval, HUB_APPROVAL_STATES.refused, actor, now, {
          reason,
          clicked: action.decision,
          team: action.team ?? null,
          channel: action.channel,
          messageTs: action.messageTs,
        }),
      );
    const text = REFUSAL_TEXT[reason]?.(approval);
    if (text) await tell(text);
    return refuse(reason, statusCode, { user: action.userId, findingId: approval?.findingId });
  };

  if (!(await deps.isApprover(action.userId))) {
    // A confirmation may also be decided by the resource's owner, named on the request.
    const requested = await deps.store.get(action.approvalId);
    if (requested?.purpose !== 'confirm' || requested.owner !== action.userId) return refuseKnown('unauthorized-user', 200, requested);
  }
  const claim = await deps.store.claim(
    action.approvalId,
    action.decision,
    actor,
    { ...(action.team ? { team: action.team } : {}), channel: action.channel, ts: action.messageTs },
    now,
  );
  if ('refused' in claim) {
    const [reason, status] = CLAIM_REFUSALS[claim.refused];
    return refuseKnown(reason, status, claim.approval);
  }

  const approval = claim.claimed;
  const outcome = await completeDelivery(approval, deps, now, actor);
  if (outcome === 'released' || outcome === 'retry') {
    // Answer 500: Slack shows the click failed. `released`: the next click decides afresh; `retry`: the
    // next click or the sweep resends the same decision once the lease runs out.
    return { statusCode: 500, body: 'delivery failed' };
  }
  if (outcome === 'gone') {
    await tell(REFUSAL_TEXT.expired!(approval));
    return refuse('expired', 200, { user: action.userId, findingId: approval.findingId });
  }
  if (outcome === 'unconfirmed') {
    await tell(
      `Warden could not confirm that the decision by ${mention(approval.decidedBy)} reached the workflow before it stopped waiting. Nothing more will be sent; the audit trail of finding \`${approval.findingId}\` shows what the workflow did.`,
    );
    return { statusCode: 200, body: '' };
  }
  const decision = approval.decision ?? action.decision;
  const decider = approval.decidedBy?.replace(/^slack:/, '') ?? action.userId;
  if (claim.takenOver && approval.decidedBy !== actor)
    await tell(
      `An earlier decision by ${mention(approval.decidedBy)} had not been delivered; Warden delivered that one (${decision}), not your click.`,
    );
  await deps.respond(action.responseUrl, decidedMessage(action.messageBlocks as never, decision, decider, now));
  return { statusCode: 200, body: '' };
}
