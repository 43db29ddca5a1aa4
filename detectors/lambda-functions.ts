import { type LambdaClient, ListFunctionsCommand, ListTagsCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import type { CheckId } from '../core/catalogue';
import type { ResourceRef } from '../core/finding';
import type { SweepScope } from './detector';

/** A function's tags, for a finding; `undefined` when the function is gone. */
export async function functionTags(lambda: Pick<LambdaClient, 'send'>, functionArn: string): Promise<Readonly<Record<string, string>> | undefined> {
  try {
    return (await lambda.send(new ListTagsCommand({ Resource: functionArn }))).Tags ?? {};
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** One ListFunctions page as the sweep's refs, for a check whose state the list does not carry (50 a page). */
export async function listFunctionRefs(
  lambda: Pick<LambdaClient, 'send'>,
  check: CheckId,
  scope: SweepScope,
  cursor?: string,
): Promise<{ readonly items: readonly { ref: ResourceRef }[]; readonly next?: string }> {
  const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 50, ...(cursor ? { Marker: cursor } : {}) }));
  const items = (page.Functions ?? []).flatMap(({ FunctionArn }) => (FunctionArn ? [{ ref: { check, ...scope, resourceArn: FunctionArn } }] : []));
  return { items, ...(page.NextMarker ? { next: page.NextMarker } : {}) };
}
