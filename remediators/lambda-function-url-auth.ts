import { ResourceNotFoundException, UpdateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { functionUrlsOf, lambdaFunctionUrlAuthDetector as detector } from '../detectors/lambda-function-url-auth';
import { FatalRemediationError } from './errors';
import type { PlannedCall, Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

interface UrlRef {
  readonly functionUrl: string;
  readonly qualifier?: string;
}

export interface FunctionUrlAuthUndo {
  readonly functionArn: string;
  readonly functionName: string;
  /** The URLs Warden switched from NONE to AWS_IAM: undo opens exactly these again, while they are still AWS_IAM. */
  readonly urls: readonly UrlRef[];
}

const authInput = (functionArn: string, { qualifier }: UrlRef, authType: 'AWS_IAM' | 'NONE') => ({
  FunctionName: functionArn,
  ...(qualifier ? { Qualifier: qualifier } : {}),
  AuthType: authType,
});
const authCall = (functionArn: string, url: UrlRef, authType: 'AWS_IAM' | 'NONE'): PlannedCall => ({
  client: 'Lambda',
  operation: 'UpdateFunctionUrlConfig',
  input: authInput(functionArn, url, authType),
});

export const lambdaFunctionUrlAuthRemediator: Remediator<'lambda-function-url-auth', 'lambda', FunctionUrlAuthUndo> = defineRemediator({
  check: 'lambda-function-url-auth',
  detector,

  plan(finding) {
    const open = ((finding.evidence as { openUrls?: UrlRef[] }).openUrls ?? []).filter((url) => typeof url.functionUrl === 'string');
    return {
      calls: open.map((url) => authCall(finding.resourceArn, url, 'AWS_IAM')),
      notes: [
        `From then on every unsigned request to ${open.map((url) => url.functionUrl).join(', ')} gets 403 Forbidden: browsers, webhooks ` +
          '(Stripe, GitHub and the like) and any caller without AWS SigV4 credentials stop working. Who must act: the owners of those callers, ' +
          'who need lambda:InvokeFunctionUrl and signed requests, or another front door (CloudFront with origin access control, or API Gateway with an authorizer).',
        "The function's resource policy is left as it is: its statement for unauthenticated callers applies only while AuthType is NONE.",
      ],
    };
  },

  async fix({ state }, _finding, _settings, clients) {
    const open = state.urls.filter((url) => url.authType === 'NONE');
    for (const url of open) {
      try {
        await clients.lambda.send(new UpdateFunctionUrlConfigCommand(authInput(state.functionArn, url, 'AWS_IAM')));
      } catch (error) {
        if (error instanceof ResourceNotFoundException)
          throw new FatalRemediationError(`function URL ${url.functionUrl} no longer exists`, { cause: error });
        throw error;
      }
    }
    const urls = open.map(({ functionUrl, qualifier }) => ({ functionUrl, ...(qualifier ? { qualifier } : {}) }));
    return { changed: true, undo: { functionArn: state.functionArn, functionName: state.functionName, urls } };
  },

  async prepareUndo(record, clients) {
    const now = (await functionUrlsOf(clients.lambda, record.functionArn)) ?? [];
    const drift = record.urls.flatMap((url) => {
      const current = now.find((candidate) => candidate.functionUrl === url.functionUrl && candidate.qualifier === url.qualifier);
      return current?.authType === 'AWS_IAM'
        ? []
        : [{ field: `AuthType of ${url.functionUrl}`, warden: 'AWS_IAM', now: current?.authType ?? '(no such URL)' }];
    });
    return {
      drift,
      calls: record.urls.map((url) => authCall(record.functionArn, url, 'NONE')),
      notes: [`Anyone on the internet can invoke ${record.urls.map((url) => url.functionUrl).join(', ')} again, with no credentials.`],
      run: async () => {
        for (const url of record.urls) await clients.lambda.send(new UpdateFunctionUrlConfigCommand(authInput(record.functionArn, url, 'NONE')));
      },
    };
  },
});
