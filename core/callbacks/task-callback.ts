import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, SFNServiceException } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { partitionOf } from '../aws/arns';
import { WardenError } from '../errors';

/** The role each member account creates for the hub; it may only send task results to Warden's workflow. */
export function deliveryRoleArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:iam::${account}:role/warden-approval-delivery-${region}`;
}

export interface Delivery {
  readonly account: string;
  readonly region: string;
  readonly taskToken: string;
}

/**
 * Errors meaning the workflow no longer waits for this token: it timed out, ended, or already has a result
 * (Step Functions answers TaskTimedOut for all three). InvalidToken is not among them: a token Warden
 * stored that Step Functions cannot read is a failure, not an expiry.
 */
const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

export class DeliveryError extends WardenError {
  override name: string = 'DeliveryError';
}

/**
 * A task result could not be sent. `ambiguous` when Step Functions may have taken it all the same (a
 * timeout, a dropped connection, a 5xx): then resending is safe, but "the task is gone" afterwards no
 * longer means it expired. Not ambiguous when nothing was sent (AssumeRole failed) or the service refused.
 */
export class DeliveryFailedError extends DeliveryError {
  override name = 'DeliveryFailedError';
  constructor(
    message: string,
    readonly ambiguous: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A refusal Step Functions answered (4xx): the result was not taken. */
const refusedByService = (error: unknown): boolean =>
  error instanceof SFNServiceException && error.$fault === 'client' && error.$metadata.httpStatusCode !== undefined;

/**
 * Sends a callback result to a member account's workflow, by assuming that account's delivery role.
 * Returns `gone` when the workflow had stopped waiting.
 */
export function callbackDeliverer(sts: STSClient, sessionName: string) {
  return async (
    delivery: Delivery,
    result: { output: Record<string, unknown> } | { error: string; cause: string },
  ): Promise<'delivered' | 'gone'> => {
    let credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined;
    try {
      ({ Credentials: credentials } = await sts.send(
        new AssumeRoleCommand({ RoleArn: deliveryRoleArn(delivery.account, delivery.region), RoleSessionName: sessionName, DurationSeconds: 900 }),
      ));
    } catch (error) {
      throw new DeliveryFailedError(`could not assume the delivery role of ${delivery.account}`, false, { cause: error });
    }
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new DeliveryFailedError('AssumeRole returned no credentials', false);
    // One attempt: an SDK retry after a response lost on the way back would meet TaskTimedOut and hide a
    // delivery that happened. The lease and the sweep retry instead, knowing the first attempt may have landed.
    const sfn = new SFNClient({
      region: delivery.region,
      maxAttempts: 1,
      credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken },
    });
    try {
      if ('output' in result) await sfn.send(new SendTaskSuccessCommand({ taskToken: delivery.taskToken, output: JSON.stringify(result.output) }));
      else await sfn.send(new SendTaskFailureCommand({ taskToken: delivery.taskToken, error: result.error, cause: result.cause }));
      return 'delivered';
    } catch (error) {
      if (GONE.has((error as { name?: string }).name ?? '')) return 'gone';
      throw new DeliveryFailedError(
        `the task result for ${delivery.account} ${delivery.region} failed: ${(error as { name?: string }).name ?? 'Error'}`,
        !refusedByService(error),
        { cause: error },
      );
    } finally {
      sfn.destroy();
    }
  };
}
