import { evidenceItemsOf } from '../../core/catalogue';
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

export function approverMention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

/**
 * Slack's limits (3,000 characters per section text, 2,000 per field, 50 blocks), and tighter budgets so
 * that the largest click Slack posts back, which carries the whole message, stays under the approvals
 * endpoint's 16 KB body rule. Lists past their budget end with a count of what was left out.
 */
export const SLACK_LIMITS = { sectionText: 3000, fieldText: 2000, blocks: 50, headerText: 150 } as const;
export const BUDGET = { list: 1200, field: 600, notes: 900, context: 600 } as const;

/** Escaped text of at most `limit` characters: cut before escaping, so never inside `&amp;` or a pair. */
export function fitted(raw: string, limit: number, escape: (text: string) => string = escapeMrkdwn): string {
  const whole = escape(raw);
  if (whole.length <= limit) return whole;
  const chars = Array.from(raw);
  const escapedLength = (keep: number) => escape(chars.slice(0, keep).join('')).length;
  let keep = Math.min(chars.length, limit - 1);
  // Each character escapes to at most 5 (`&` → `&amp;`), so this shrinks fast and never overshoots by much.
  while (keep > 0 && escapedLength(keep) > limit - 1) keep -= Math.max(1, Math.floor((escapedLength(keep) - (limit - 1)) / 5));
  return `${escape(chars.slice(0, keep).join(''))}…`;
}

/** A titled list within `budget` characters; what does not fit is counted on the last line. */
export function fittedList(title: string, items: readonly string[], budget: number): string {
  const lines: string[] = [];
  let used = title.length;
  for (const [index, item] of items.entries()) {
    const rest = items.length - index - 1;
    const reserve = rest > 0 ? `\n… and ${rest} more`.length : 0;
    if (used + 1 + item.length + reserve > budget) {
      lines.push(`… and ${items.length - index} more`);
      break;
    }
    lines.push(item);
    used += 1 + item.length;
  }
  return `${title}\n${lines.join('\n')}`;
}

/** The Block Kit approval request. Resource text is escaped; the buttons carry only the approval id. */
export function approvalMessage({ approvalId, account, region, input, approvers, expiresAt }: ApprovalMessageInput) {
  const { finding, plan, decision } = input;
  const calls = plan.calls.map((call) => `• ${fitted(`${call.client}.${call.operation}`, 120)}`);
  const evidence = evidenceItemsOf(finding);
  const flagged = evidence?.items ?? [];
  const notes = plan.notes.map((note) => `_${fitted(note, 400)}_`);
  const text = `Warden asks to fix ${finding.check} on ${finding.resourceArn}`;
  return {
    text: fitted(text, SLACK_LIMITS.sectionText),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Approve fix: ${finding.check}`.slice(0, SLACK_LIMITS.headerText) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Resource*\n${fitted(finding.resourceArn, BUDGET.field, code)}` },
          { type: 'mrkdwn', text: `*Account / region*\n${escapeMrkdwn(account)} / ${escapeMrkdwn(region)}` },
          { type: 'mrkdwn', text: `*Why*\n${fitted(finding.reason, BUDGET.field)}` },
          { type: 'mrkdwn', text: `*Decided by policy*\n${fitted(decision.decidedBy, 200)}` },
        ],
      },
      ...(flagged.length > 0
        ? [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: fittedList(
                  `*${evidence?.label ?? 'Evidence'}* (${flagged.length}, names only)`,
                  flagged.map((item) => `• ${fitted(item.name, 120, code)} (${fitted(item.detail, 80)})`),
                  BUDGET.list,
                ),
              },
            },
          ]
        : []),
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: fittedList(`*Planned change* (${plan.calls.length} calls)`, calls.length > 0 ? calls : ['• (none)'], BUDGET.list),
        },
      },
      ...(notes.length > 0
        ? [{ type: 'section', text: { type: 'mrkdwn', text: fittedList('*What breaks, and who must act*', notes, BUDGET.notes) } }]
        : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Approvers: ${fittedList('', approvers.map(approverMention), BUDGET.context).trim().replaceAll('\n', ' ')} · expires <!date^${Math.floor(expiresAt.getTime() / 1000)}^{date_short_pretty} {time}|${expiresAt.toISOString()}> · finding ${code(finding.findingId)}`,
          },
        ],
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
export function decidedMessage(
  original: ReturnType<typeof approvalMessage>['blocks'] | undefined,
  decision: 'APPROVED' | 'REJECTED',
  userId: string,
  at: Date,
) {
  const verdict = decision === 'APPROVED' ? ':white_check_mark: Approved' : ':no_entry: Rejected';
  const blocks = (original ?? []).filter((block) => (block as { type: string }).type !== 'actions');
  return {
    replace_original: true,
    text: `${verdict} by <@${userId}>`,
    blocks: [...blocks, { type: 'section', text: { type: 'mrkdwn', text: `${verdict} by <@${userId}> at ${at.toISOString()}` } }],
  };
}
