import { lambdaFunctions } from '../events/cloudtrail-resources';
import type { CheckDefinition } from './types';
import { lazy } from '../policy/zod';

const FUNCTION = 'arn:{partition}:lambda:{region}:{account}:function:*';

const DEFAULTS = { trustedAccounts: [] as string[] };

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) =>
  z
    .strictObject({
      trustedAccounts: z
        .array(z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'))
        .default(DEFAULTS.trustedAccounts)
        .describe(
          "Accounts (of the organization, or partners) a function's policy may grant invoke to without a condition, besides the function's own. " +
            'A member account cannot list its organization, so any other account is judged outside it unless the statement requires aws:PrincipalOrgID.',
        ),
    })
    .describe('Lambda function resource policy settings'),
);

export const lambdaFunctionPublicAccess = {
  id: 'lambda-function-public-access',
  title: "Lambda functions' resource policies do not open them to the world",
  noncompliantWhen:
    "the function's resource policy allows * (anyone), an AWS service (any account's resource), or an account outside the organization, with no aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID condition (a function URL's own statement is judged by the function URL check)",
  fix: 'RemovePermission of exactly each such statement (by its Sid and the policy revision it was read at); undo adds each recorded statement back with AddPermission, if it is still absent',
  resourceType: 'AWS::Lambda::Function',
  cloudTrail: [{ eventSource: 'lambda.amazonaws.com', eventNames: ['AddPermission20150331v2'], resources: lambdaFunctions }],
  configResourceType: 'AWS::Lambda::Function',
  clients: { detect: ['lambda'], remediate: ['lambda'] },
  permissions: {
    detect: [
      { actions: ['lambda:GetPolicy', 'lambda:ListTags'], resources: [FUNCTION] },
      { actions: ['lambda:ListFunctions'], resources: ['*'] },
    ],
    remediate: [{ actions: ['lambda:GetPolicy', 'lambda:RemovePermission', 'lambda:AddPermission'], resources: [FUNCTION] }],
  },
  evidenceItems: (evidence: Readonly<Record<string, unknown>>) => ({
    label: 'Open statements',
    items: (Array.isArray(evidence['openStatements'])
      ? (evidence['openStatements'] as { sid: string; principal: string; action: string }[])
      : []
    ).map(({ sid, principal, action }) => ({ name: sid, detail: `${action} for ${principal}` })),
  }),
  iacHint: {
    cloudFormation: 'AWS::Lambda::Permission SourceArn / SourceAccount / PrincipalOrgID',
    cdk: 'fn.addPermission(id, { principal, sourceArn, sourceAccount }) (or grantInvoke to a specific principal)',
  },
  physicalId: (resourceArn: string) => resourceArn.split(':function:')[1]?.split(':')[0],
  defaultMode: 'approval',
  severity: 'critical',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
