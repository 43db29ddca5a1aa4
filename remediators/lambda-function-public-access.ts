import { AddPermissionCommand, GetPolicyCommand, RemovePermissionCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { statementsOf } from '../core/aws/resource-policy';
import type { Finding } from '../core/finding';
import {
  lambdaFunctionPublicAccessDetector as detector,
  openStatements,
  type OpenStatement,
  type RecordedPermission,
} from '../detectors/lambda-function-public-access';
import { FatalRemediationError } from './errors';
import type { PlannedCall, Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

export interface PublicAccessUndo {
  readonly functionArn: string;
  readonly functionName: string;
  /** The statements the fix removed, as AddPermission puts them back. */
  readonly removed: readonly RecordedPermission[];
}

const removeCall = (functionArn: string, sid: string): PlannedCall => ({
  client: 'Lambda',
  operation: 'RemovePermission',
  input: { FunctionName: functionArn, StatementId: sid },
});

/** Why a statement cannot be taken out safely: undo could not put it back as it was. */
const unrestorable = (open: readonly OpenStatement[]) =>
  open
    .filter((statement) => !statement.restore)
    .map((statement) => `${statement.sid || '(no Sid)'} (${statement.action} for ${statement.principal})`);

function refusal(open: readonly OpenStatement[]): string | undefined {
  const cannot = unrestorable(open);
  return cannot.length > 0
    ? `AddPermission cannot put back ${cannot.join(', ')} as it is (several actions or principals, a condition, or no Sid), so undo could not restore it: the owner must narrow it`
    : undefined;
}

export const lambdaFunctionPublicAccessRemediator: Remediator<'lambda-function-public-access', 'lambda', PublicAccessUndo> = defineRemediator({
  check: 'lambda-function-public-access',
  detector,

  plan(finding: Finding) {
    const open = (finding.evidence as { openStatements?: OpenStatement[] }).openStatements ?? [];
    const refused = refusal(open);
    if (refused) return { calls: [], notes: [`Warden will not remove these statements: ${refused}.`] };
    const sids = [...new Set(open.map((statement) => statement.sid))];
    return {
      calls: sids.map((sid) => removeCall(finding.resourceArn, sid)),
      notes: [
        ...open.map(
          (statement) =>
            `Removing ${statement.sid} stops ${statement.principal} invoking the function with ${statement.action} (it let ${statement.why}).`,
        ),
        'Who must act: the owner of each caller that still needs it, who adds the permission back tied to its source ' +
          '(SourceArn or SourceAccount, or PrincipalOrgID for the organization), or the function owner, who exempts the function.',
      ],
    };
  },

  async fix({ state }, _finding, settings, clients) {
    const open = openStatements(state.statements, state.functionArn.split(':')[4] ?? '', settings.trustedAccounts);
    const refused = refusal(open);
    if (refused) throw new FatalRemediationError(`function ${state.functionName}: ${refused}`);
    const removed = [...new Map(open.flatMap((statement) => (statement.restore ? [[statement.sid, statement.restore] as const] : []))).values()];
    for (const permission of removed) {
      try {
        await clients.lambda.send(new RemovePermissionCommand({ FunctionName: state.functionArn, StatementId: permission.StatementId }));
      } catch (error) {
        // Gone since the read: what the fix wanted already holds.
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }
    return { changed: true, undo: { functionArn: state.functionArn, functionName: state.functionName, removed } };
  },

  async prepareUndo(record, clients) {
    let policy: string | undefined;
    try {
      policy = (await clients.lambda.send(new GetPolicyCommand({ FunctionName: record.functionArn }))).Policy;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const present = new Set(statementsOf(policy).map((statement) => statement.Sid));
    const drift = record.removed
      .filter((permission) => present.has(permission.StatementId))
      .map((permission) => ({ field: `statement ${permission.StatementId}`, warden: '(removed)', now: 'present again' }));
    const inputs = record.removed.map((permission) => ({ FunctionName: record.functionArn, ...permission }));
    return {
      drift,
      calls: inputs.map((input) => ({ client: 'Lambda', operation: 'AddPermission', input })),
      notes: record.removed.map(
        (permission) => `${permission.Principal} can invoke ${record.functionName} again with ${permission.Action}, from anywhere.`,
      ),
      run: async () => {
        for (const input of inputs) await clients.lambda.send(new AddPermissionCommand(input));
      },
    };
  },
});
