import type { Context } from 'aws-lambda';

/** The context object Lambda passes a handler, as the Node.js runtime builds it. */
export function lambdaContext(functionName: string, account = '111122223333', region = 'us-east-1'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/12/02/[$LATEST]2b4c7f0a9e1d4c3b8a7f6e5d4c3b2a19',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
