import { GetResourcesCommand, GetRestApiCommand, GetRestApisCommand, NotFoundException } from '@aws-sdk/client-api-gateway';
import { restApiArn, restApiIdOf } from '../core/catalogue/apigateway-method-authorization';
import type { Evaluation } from '../core/finding';
import type { Detector, FetchedState } from './detector';

export interface OpenMethod {
  readonly httpMethod: string;
  readonly path: string;
}

export interface RestApiMethodsState extends FetchedState {
  readonly restApiId: string;
  readonly methods: number;
  /** Methods anyone can call: authorizationType NONE and no API key, OPTIONS (CORS preflight) aside. */
  readonly openMethods: readonly OpenMethod[];
}

/** At most this many open methods are named in a finding; the count says how many there are. */
const NAMED = 50;

export const apigatewayMethodAuthorizationDetector: Detector<'apigateway-method-authorization', RestApiMethodsState, 'apigateway'> = {
  check: 'apigateway-method-authorization',

  async fetch(ref, clients) {
    const restApiId = restApiIdOf(ref.resourceArn);
    if (!restApiId) return undefined;
    const openMethods: OpenMethod[] = [];
    let methods = 0;
    let position: string | undefined;
    try {
      do {
        const page = await clients.apigateway.send(
          new GetResourcesCommand({ restApiId, embed: ['methods'], limit: 500, ...(position ? { position } : {}) }),
        );
        for (const resource of page.items ?? [])
          for (const [httpMethod, method] of Object.entries(resource.resourceMethods ?? {})) {
            methods += 1;
            const open = httpMethod !== 'OPTIONS' && (method.authorizationType ?? 'NONE') === 'NONE' && method.apiKeyRequired !== true;
            if (open) openMethods.push({ httpMethod, path: resource.path ?? '' });
          }
        position = page.position;
      } while (position);
    } catch (error) {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    }
    return { resourceArn: ref.resourceArn, restApiId, methods, openMethods, tags: {} };
  },

  async tagsOf(state, clients) {
    try {
      return (await clients.apigateway.send(new GetRestApiCommand({ restApiId: state.restApiId }))).tags ?? {};
    } catch (error) {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    }
  },

  // Method changes are part of the API's definition at once (they reach callers with the next deployment).
  transitioning: () => false,

  evaluate(state): Promise<Evaluation> {
    const open = state.openMethods;
    const evidence = { restApiId: state.restApiId, methods: state.methods, openCount: open.length, openMethods: open.slice(0, NAMED) };
    if (state.methods === 0) return Promise.resolve({ status: 'NOT_APPLICABLE', reason: `REST API ${state.restApiId} has no methods`, evidence });
    if (open.length > 0) {
      const named = open.slice(0, 5).map((method) => `${method.httpMethod} ${method.path}`);
      return Promise.resolve({
        status: 'NON_COMPLIANT',
        reason: `REST API ${state.restApiId} has ${open.length} method${open.length === 1 ? '' : 's'} anyone can call (no authorization, no API key): ${named.join(', ')}${open.length > 5 ? ', …' : ''}`,
        evidence,
      });
    }
    return Promise.resolve({
      status: 'COMPLIANT',
      reason: `every method of REST API ${state.restApiId} requires authorization or an API key`,
      evidence,
    });
  },

  async listPage(clients, { account, region }, cursor) {
    const page = await clients.apigateway.send(new GetRestApisCommand({ limit: 500, ...(cursor ? { position: cursor } : {}) }));
    const items = (page.items ?? []).flatMap(({ id }) =>
      id ? [{ ref: { check: 'apigateway-method-authorization' as const, account, region, resourceArn: restApiArn(region, id) } }] : [],
    );
    return { items, ...(page.position ? { next: page.position } : {}) };
  },
};
