import { type LambdaClient, ListFunctionUrlConfigsCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import type { Evaluation } from '../core/finding';
import type { Detector, FetchedState } from './detector';
import { functionTags, listFunctionRefs } from './lambda-functions';

export interface FunctionUrl {
  readonly functionUrl: string;
  /** The alias the URL belongs to; absent for the unqualified function's URL. */
  readonly qualifier?: string;
  readonly authType: string;
}

export interface FunctionUrlsState extends FetchedState {
  readonly functionArn: string;
  readonly functionName: string;
  readonly urls: readonly FunctionUrl[];
}

/** `arn:…:function:checkout:live` → `live`; the unqualified ARN has none. */
const qualifierOf = (arn: string | undefined) => arn?.split(':function:')[1]?.split(':')[1];

/** Every URL of the function, its aliases' included (one page of ListFunctionUrlConfigs holds up to 50). */
export async function functionUrlsOf(lambda: Pick<LambdaClient, 'send'>, functionArn: string): Promise<FunctionUrl[] | undefined> {
  const urls: FunctionUrl[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await lambda.send(
        new ListFunctionUrlConfigsCommand({ FunctionName: functionArn, MaxItems: 50, ...(marker ? { Marker: marker } : {}) }),
      );
      for (const config of page.FunctionUrlConfigs ?? []) {
        const qualifier = qualifierOf(config.FunctionArn);
        urls.push({ functionUrl: config.FunctionUrl ?? '', authType: config.AuthType ?? '', ...(qualifier ? { qualifier } : {}) });
      }
      marker = page.NextMarker;
    } while (marker);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
  return urls;
}

export const lambdaFunctionUrlAuthDetector: Detector<'lambda-function-url-auth', FunctionUrlsState, 'lambda'> = {
  check: 'lambda-function-url-auth',

  async fetch(ref, clients) {
    const urls = await functionUrlsOf(clients.lambda, ref.resourceArn);
    if (!urls) return undefined;
    return { resourceArn: ref.resourceArn, functionArn: ref.resourceArn, functionName: ref.resourceArn.split(':function:')[1] ?? '', urls, tags: {} };
  },

  tagsOf: (state, clients) => functionTags(clients.lambda, state.functionArn),

  transitioning: () => false,

  evaluate(state): Promise<Evaluation> {
    const open = state.urls.filter((url) => url.authType === 'NONE');
    const evidence = {
      functionName: state.functionName,
      urls: state.urls.length,
      openUrls: open.map(({ functionUrl, qualifier }) => ({ functionUrl, ...(qualifier ? { qualifier } : {}) })),
    };
    if (state.urls.length === 0)
      return Promise.resolve({ status: 'NOT_APPLICABLE', reason: `function ${state.functionName} has no function URL`, evidence });
    if (open.length > 0)
      return Promise.resolve({
        status: 'NON_COMPLIANT',
        reason: `function ${state.functionName} has ${open.length === 1 ? 'a function URL' : `${open.length} function URLs`} anyone can invoke (AuthType NONE): ${open.map((url) => url.functionUrl).join(', ')}`,
        evidence,
      });
    return Promise.resolve({ status: 'COMPLIANT', reason: `every function URL of ${state.functionName} requires IAM auth`, evidence });
  },

  // ListFunctions does not say which functions have URLs: each listed function's URLs are read by fetch.
  listPage: (clients, scope, cursor) => listFunctionRefs(clients.lambda, 'lambda-function-url-auth', scope, cursor),
};
