import type { StagedRequest } from '../staged-request';
import {
  APPROVE_ACTION,
  type ApprovalMessageInput,
  approverMention,
  BUDGET,
  fitted,
  fittedList,
  REJECT_ACTION,
  SLACK_LIMITS,
} from './approval-message';
import { code, preformatted } from './mrkdwn';

/*
 * The request to a staged fix's owner: the first phase is made, this is the change to make, confirm once
 * it is deployed. The buttons are the approval's own (the same store, claim and delivery): Confirm lets
 * the second phase go ahead, Stop ends the fix with the first phase in place.
 */

/** A Slack user id (U… or W…): the owner tag names someone who can be mentioned and may click. */
export const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

export function confirmationMessage(request: ApprovalMessageInput & { readonly applied: StagedRequest }) {
  const { finding, decision } = request.input;
  const owner = decision.owner;
  const ownerText = owner ? (SLACK_USER.test(owner) ? `<@${owner}>` : fitted(owner, 200)) : 'nobody named (no owner tag, no default assignee)';
  const steps = request.applied.staged?.ownerSteps ?? [];
  const deadline = Math.floor(request.expiresAt.getTime() / 1000);
  return {
    text: fitted(
      `Warden started a change on ${finding.resourceArn}: the owner must act before ${request.expiresAt.toISOString()}`,
      SLACK_LIMITS.sectionText,
    ),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Owner action needed: ${finding.check}`.slice(0, SLACK_LIMITS.headerText) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Resource*\n${fitted(finding.resourceArn, BUDGET.field, code)}` },
          { type: 'mrkdwn', text: `*Owner*\n${ownerText}` },
          { type: 'mrkdwn', text: `*Why*\n${fitted(finding.reason, BUDGET.field)}` },
          {
            type: 'mrkdwn',
            text: `*Second phase*\nat <!date^${deadline}^{date_short_pretty} {time}|${request.expiresAt.toISOString()}> unless confirmed earlier, and only if errors have not risen`,
          },
        ],
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: fittedList(
            '*What to change* (the first phase broke nothing)',
            steps.map((step) => `\`\`\`${fitted(step, 700, preformatted)}\`\`\``),
            2600,
          ),
        },
      },
      ...(request.applied.leftBehind.length > 0
        ? [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: fittedList(
                  '*Copies the fix cannot reach*',
                  request.applied.leftBehind.map((line) => `• ${fitted(line, 300)}`),
                  BUDGET.list,
                ),
              },
            },
          ]
        : []),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Owner or approvers: ${[...(owner && SLACK_USER.test(owner) ? [owner] : []), ...request.approvers].map(approverMention).join(' ').slice(0, BUDGET.context)} · finding ${code(finding.findingId)}`,
          },
        ],
      },
      {
        type: 'actions',
        block_id: 'warden_decision',
        elements: [
          {
            type: 'button',
            action_id: APPROVE_ACTION,
            style: 'primary',
            text: { type: 'plain_text', text: 'Confirm: my code reads the secret' },
            value: request.approvalId,
          },
          {
            type: 'button',
            action_id: REJECT_ACTION,
            style: 'danger',
            text: { type: 'plain_text', text: 'Stop: keep it as it is' },
            value: request.approvalId,
          },
        ],
      },
    ],
  };
}
