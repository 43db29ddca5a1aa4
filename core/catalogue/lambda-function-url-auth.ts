import { lambdaFunctions } from '../events/cloudtrail-resources';
import type { CheckDefinition } from './types';
import { lazy } from '../policy/zod';

const FUNCTION = 'arn:{partition}:lambda:{region}:{account}:function:*';

const DEFAULTS = {};

/** The check has no settings of its own: IAM is the one auth type a function URL has besides none. */
const SETTINGS = lazy((z) => z.strictObject({}).describe('Lambda function URL auth settings (none)'));

export const lambdaFunctionUrlAuth = {
  id: 'lambda-function-url-auth',
  title: 'Lambda function URLs require IAM auth',
  noncompliantWhen: 'a function URL of the function (unqualified or of an alias) has AuthType NONE: anyone on the internet can invoke it',
  fix:
    'UpdateFunctionUrlConfig AuthType=AWS_IAM for each open URL (anonymous callers get 403 from then on: the approval lists each URL); ' +
    'undo sets NONE again on the URLs Warden changed, if they are still AWS_IAM',
  resourceType: 'AWS::Lambda::Function',
  cloudTrail: [
    {
      eventSource: 'lambda.amazonaws.com',
      eventNames: ['CreateFunctionUrlConfig20211031', 'UpdateFunctionUrlConfig20211031'],
      resources: lambdaFunctions,
    },
  ],
  configResourceType: 'AWS::Lambda::Function',
  clients: { detect: ['lambda'], remediate: ['lambda'] },
  permissions: {
    detect: [
      { actions: ['lambda:ListFunctionUrlConfigs', 'lambda:ListTags'], resources: [FUNCTION] },
      { actions: ['lambda:ListFunctions'], resources: ['*'] },
    ],
    remediate: [{ actions: ['lambda:ListFunctionUrlConfigs', 'lambda:UpdateFunctionUrlConfig'], resources: [FUNCTION] }],
  },
  evidenceItems: (evidence: Readonly<Record<string, unknown>>) => ({
    label: 'Open function URLs',
    items: (Array.isArray(evidence['openUrls']) ? (evidence['openUrls'] as { functionUrl: string; qualifier?: string }[]) : []).map(
      ({ functionUrl, qualifier }) => ({ name: functionUrl, detail: qualifier ? `alias ${qualifier}` : 'unqualified' }),
    ),
  }),
  iacHint: {
    cloudFormation: 'AWS::Lambda::Url AuthType: AWS_IAM',
    cdk: 'fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM })',
  },
  physicalId: (resourceArn: string) => resourceArn.split(':function:')[1]?.split(':')[0],
  defaultMode: 'approval',
  severity: 'high',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
