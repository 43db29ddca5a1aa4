import { createHmac } from 'node:crypto';

/** Signs a body as Slack does (the tests' side of remediators/slack/signature.ts). */
export function signSlackRequest(rawBody: string, timestamp: number, signingSecret: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}
