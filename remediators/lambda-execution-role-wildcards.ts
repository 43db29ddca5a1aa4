import type { Finding } from '../core/finding';
import {
  type LastAccessed,
  lambdaExecutionRoleWildcardsDetector as detector,
  type OffendingStatement,
} from '../detectors/lambda-execution-role-wildcards';
import { FatalRemediationError } from './errors';
import type { Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

/** What the role used, as the ticket's starting point for a least-privilege policy. */
function startingPolicy(lastAccessed: LastAccessed | undefined): string[] {
  if (!lastAccessed) return [];
  if (lastAccessed.status !== 'COMPLETED')
    return [`What the role used is not known: ${lastAccessed.why}. IAM's Access Advisor (the role's "Last accessed" tab) shows it.`];
  const used = lastAccessed.used.map(
    (service) =>
      `${service.service} (last ${service.lastUsed}${service.actions ? `; of its management actions: ${service.actions.join(', ')}` : ''})`,
  );
  return [
    lastAccessed.used.length === 0
      ? 'IAM recorded no use of the role in its tracking period (up to 400 days): it may need no permissions beyond logging.'
      : `A starting least-privilege policy, from what the role used (IAM last-accessed data): the services ${used.join(', ')}. ` +
        'IAM names the services used, and for some of them the management actions, never the data actions (object reads and writes, ' +
        "item reads and writes): take the exact actions from CloudTrail or IAM Access Analyzer's policy generation, and scope each to the " +
        'resources the function uses.',
    ...(lastAccessed.neverUsed.length > 0 ? [`Granted and never used in the tracking period, to drop: ${lastAccessed.neverUsed.join(', ')}.`] : []),
  ];
}

/**
 * No automatic fix: what a function needs is in its code, and a narrower role breaks whatever it leaves
 * out, at run time. The plan has no call, so the workflow opens a ticket with the offending statements
 * and what the role used.
 */
export const lambdaExecutionRoleWildcardsRemediator: Remediator<'lambda-execution-role-wildcards', 'iam', never> = defineRemediator({
  check: 'lambda-execution-role-wildcards',
  detector,

  plan(finding: Finding) {
    const {
      offending = [],
      offendingCount = offending.length,
      lastAccessed,
      permissionsBoundary,
    } = finding.evidence as {
      offending?: OffendingStatement[];
      offendingCount?: number;
      lastAccessed?: LastAccessed;
      permissionsBoundary?: string;
    };
    const listed = offending.map((statement) => `${statement.policy}${statement.sid ? ` (${statement.sid})` : ''}: ${statement.why}`);
    return {
      calls: [],
      notes: [
        `Offending statements: ${listed.join('; ')}${offendingCount > offending.length ? `; and ${offendingCount - offending.length} more` : ''}.`,
        ...(permissionsBoundary
          ? [`The permissions boundary ${permissionsBoundary} limits what these statements allow; the statements themselves still need narrowing.`]
          : []),
        ...startingPolicy(lastAccessed),
        'Warden changes no IAM: a role narrowed past what its functions call makes them fail at run time. The function owner must replace the ' +
          'statements with the actions and resources the code uses (a managed policy shared by other roles changes for all of them), then deploy. ' +
          'A role that must stay broad stays so with an exemption.',
      ],
    };
  },

  fix() {
    return Promise.reject(new FatalRemediationError('lambda-execution-role-wildcards has no automatic fix: it is ticketed'));
  },

  prepareUndo() {
    return Promise.reject(new FatalRemediationError('lambda-execution-role-wildcards made no change to undo'));
  },
});
