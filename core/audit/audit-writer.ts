import { parseEnvelope } from '../events/extract-resources';
import { MalformedEventError } from '../events/errors';
import { redact } from '../redact';
import { APPROVAL_DETAIL_TYPE, AUDIT_DETAIL_TYPE } from '../events/bus-contract';
import type { NewRecord } from './audit-store';

/** The audit writer's service name: its logs and metrics (`Recorded<STATE>`, which the hub alarms on) carry it. */
export const AUDIT_WRITER_SERVICE = 'warden-audit-writer';

const str = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value.length === 0) throw new MalformedEventError(`audit event lacks ${field}`);
  return value;
};

/** Who acted: a direct `actor`, else the approval's (`slack:U…`), else Warden itself. */
function actorOf(actor: unknown, approval: unknown): string {
  if (typeof actor === 'string' && actor.length > 0) return actor;
  const approvalActor = typeof approval === 'object' && approval !== null ? (approval as Record<string, unknown>)['actor'] : undefined;
  return typeof approvalActor === 'string' && approvalActor.length > 0 ? approvalActor : 'warden';
}

/**
 * Turns a workflow's audit event (or approval request) into a record. The account comes from the
 * EventBridge envelope, which EventBridge sets from the sender, never from the payload, which a member
 * account could write anything into. Everything is redacted once more on the way in.
 */
export function recordFromEvent(event: unknown, now: Date): NewRecord {
  const envelope = parseEnvelope(event);
  const detail = envelope.detail;
  const finding = (detail['finding'] ?? {}) as Record<string, unknown>;
  if (envelope['detail-type'] === APPROVAL_DETAIL_TYPE) {
    const expiresIn = Number(detail['expiresInSeconds'] ?? 0);
    return redact({
      findingId: str(finding['findingId'], 'finding.findingId'),
      account: envelope.account,
      region: envelope.region,
      check: str(finding['check'], 'finding.check'),
      resourceArn: str(finding['resourceArn'], 'finding.resourceArn'),
      state: 'APPROVAL_REQUESTED',
      actor: 'warden',
      time: envelope.time ?? now.toISOString(),
      executionArn: str(detail['executionArn'], 'executionArn'),
      details: { expiresAt: new Date(Date.parse(envelope.time ?? now.toISOString()) + expiresIn * 1000).toISOString() },
    });
  }
  if (envelope['detail-type'] !== AUDIT_DETAIL_TYPE) throw new MalformedEventError(`not an audit event: ${envelope['detail-type']}`);
  const {
    findingId,
    check,
    resourceArn,
    state,
    actor,
    time,
    executionArn,
    before,
    after,
    region: _region,
    account: _claimedAccount,
    ...details
  } = detail;
  return redact({
    findingId: str(findingId, 'findingId'),
    account: envelope.account,
    region: envelope.region,
    check: str(check, 'check'),
    resourceArn: str(resourceArn, 'resourceArn'),
    state: str(state, 'state'),
    actor: actorOf(actor, details['approval']),
    time: typeof time === 'string' ? time : now.toISOString(),
    ...(typeof executionArn === 'string' ? { executionArn } : {}),
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    details,
  });
}
