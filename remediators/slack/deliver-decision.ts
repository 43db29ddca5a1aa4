import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { partitionOf } from '../../core/aws/arns';
import { REJECTED_ERROR } from '../../statemachines/audit-states';

/** The role each member account creates for the hub; it may only send task results to Warden's workflow. */
export function deliveryRoleArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:iam::${account}:role/warden-approval-delivery-${region}`;
}

export interface Delivery {
  readonly account: string;
  readonly region: string;
  readonly taskToken: string;
}

/** Errors meaning the workflow no longer waits for this token (it timed out or ended). */
const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/**
 * Sends a callback result to a member account's workflow, by assuming that account's delivery role.
 * Returns `gone` when the workflow had stopped waiting.
 */
export function callbackDeliverer(sts: STSClient, sessionName: string) {
  return async (delivery: Delivery, result: { output: Record<string, unknown> } | { error: string; cause: string }): Promise<'delivered' | 'gone'> => {
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: deliveryRoleArn(delivery.account, delivery.region), RoleSessionName: sessionName, DurationSeconds: 900 }));
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    const sfn = new SFNClient({
      region: delivery.region,
      credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken },
    });
    try {
      if ('output' in result) await sfn.send(new SendTaskSuccessCommand({ taskToken: delivery.taskToken, output: JSON.stringify(result.output) }));
      else await sfn.send(new SendTaskFailureCommand({ taskToken: delivery.taskToken, error: result.error, cause: result.cause }));
      return 'delivered';
    } catch (error) {
      if (GONE.has((error as { name?: string }).name ?? '')) return 'gone';
      throw error;
    } finally {
      sfn.destroy();
    }
  };
}

export function approvalResult(decision: 'APPROVED' | 'REJECTED', actor: string, at: Date): { output: Record<string, unknown> } | { error: string; cause: string } {
  return decision === 'APPROVED' ? { output: { actor, decision, decidedAt: at.toISOString() } } : { error: REJECTED_ERROR, cause: `rejected by ${actor} at ${at.toISOString()}` };
}
