import type { WorkflowInput } from '../../core/workflow-input';
import { code, escapeMrkdwn } from './mrkdwn';

export const APPROVE_ACTION = 'warden_approve';
export const REJECT_ACTION = 'warden_reject';

export interface ApprovalMessageInput {
  readonly approvalId: string;
  readonly account: string;
  readonly region: string;
  readonly input: WorkflowInput;
  readonly approvers: readonly string[];
  readonly expiresAt: Date;
}

function approverMention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

/** The Block Kit approval request. Resource text is escaped; the buttons carry only the approval id. */
export function approvalMessage({ approvalId, account, region, input, approvers, expiresAt }: ApprovalMessageInput) {
  const { finding, plan, decision } = input;
  const calls = plan.calls.map((call) => `• ${call.client}.${call.operation}`).join('\n') || '• (none)';
  const flagged = Array.isArray(finding.evidence['flagged']) ? (finding.evidence['flagged'] as { name: string; rule: string }[]) : [];
  const text = `Warden asks to fix ${finding.check} on ${finding.resourceArn}`;
  return {
    text: escapeMrkdwn(text),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Approve fix: ${finding.check}`.slice(0, 150) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Resource*\n${code(finding.resourceArn)}` },
          { type: 'mrkdwn', text: `*Account / region*\n${escapeMrkdwn(account)} / ${escapeMrkdwn(region)}` },
          { type: 'mrkdwn', text: `*Why*\n${escapeMrkdwn(finding.reason)}` },
          { type: 'mrkdwn', text: `*Decided by policy*\n${escapeMrkdwn(decision.decidedBy)}` },
        ],
      },
      ...(flagged.length > 0
        ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Flagged variables* (names only)\n${flagged.map((match) => `• ${code(match.name)} (${escapeMrkdwn(match.rule)})`).join('\n')}` } }]
        : []),
      { type: 'section', text: { type: 'mrkdwn', text: `*Planned change*\n${escapeMrkdwn(calls)}${plan.notes.length > 0 ? `\n\n${plan.notes.map((note) => `_${escapeMrkdwn(note)}_`).join('\n')}` : ''}` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Approvers: ${approvers.map(approverMention).join(' ')} · expires <!date^${Math.floor(expiresAt.getTime() / 1000)}^{date_short_pretty} {time}|${expiresAt.toISOString()}> · finding ${code(finding.findingId)}` }],
      },
      {
        type: 'actions',
        block_id: 'warden_decision',
        elements: [
          { type: 'button', action_id: APPROVE_ACTION, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value: approvalId },
          { type: 'button', action_id: REJECT_ACTION, style: 'danger', text: { type: 'plain_text', text: 'Reject' }, value: approvalId },
        ],
      },
    ],
  };
}

/** The message after a decision: who decided and when; no buttons. */
export function decidedMessage(original: ReturnType<typeof approvalMessage>['blocks'] | undefined, decision: 'APPROVED' | 'REJECTED', userId: string, at: Date) {
  const verdict = decision === 'APPROVED' ? ':white_check_mark: Approved' : ':no_entry: Rejected';
  const blocks = (original ?? []).filter((block) => (block as { type: string }).type !== 'actions');
  return {
    replace_original: true,
    text: `${verdict} by <@${userId}>`,
    blocks: [...blocks, { type: 'section', text: { type: 'mrkdwn', text: `${verdict} by <@${userId}> at ${at.toISOString()}` } }],
  };
}
