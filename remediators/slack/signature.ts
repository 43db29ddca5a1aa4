import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's limit on clock skew; older requests may be replays. */
export const MAX_SKEW_SECONDS = 300;

export type SignatureVerdict = 'valid' | 'missing' | 'stale' | 'mismatch';

/**
 * Verifies `X-Slack-Signature` (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing
 * secret) in constant time, and rejects timestamps more than five minutes from now.
 */
export function verifySlackSignature(
  rawBody: string,
  timestamp: string | undefined,
  signature: string | undefined,
  signingSecret: string,
  nowSeconds: number,
): SignatureVerdict {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) return 'missing';
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return 'stale';
  const expected = Buffer.from(`v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'valid' : 'mismatch';
}
