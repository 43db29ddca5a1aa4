import { STSClient } from '@aws-sdk/client-sts';
import { lambdaClientConfig, type TracerOf } from './runtime';

/** STS for the hub functions that assume a member's callback role to resume its workflow (core/callbacks/task-callback.ts). */
export function callbackSts(tracer: TracerOf): STSClient {
  return tracer.captureAWSv3Client(new STSClient(lambdaClientConfig()));
}
