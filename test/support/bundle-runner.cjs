'use strict';
/*
 * Runs one deployed bundle in this fresh Node process, as Lambda would: require index.js, check the
 * handler export, optionally invoke it once, and print one JSON line the test reads.
 *   node bundle-runner.cjs <bundle dir> <handler export> [event json] [context json]
 * With WARDEN_FAST_TIMERS=1, Warden's timers wait at most 5 ms, so a bounded poll (12 x 5 s) runs in milliseconds
 * (the SDK's connection and request timeouts are left as they are).
 * With WARDEN_SAAS_REDIRECT, Slack, Jira and GitHub calls go to that loopback fake (saas-redirect.cjs).
 */
const { join } = require('node:path');
require('./saas-redirect.cjs');

if (process.env.WARDEN_FAST_TIMERS === '1') {
  const realSetTimeout = global.setTimeout;
  // The SDK's own connection and request timeouts keep their length: only Warden's waits are shortened.
  global.setTimeout = (callback, ms, ...args) =>
    realSetTimeout(callback, /node-http-handler/.test(new Error().stack || '') ? ms : Math.min(Number(ms) || 0, 5), ...args);
}

const [dir, exportName, eventJson, contextJson] = process.argv.slice(2);
const report = (result) => process.stdout.write(`\nBUNDLE-RESULT ${JSON.stringify(result)}\n`);

(async () => {
  let module;
  try {
    module = require(join(dir, 'index.js'));
  } catch (error) {
    report({ loaded: false, error: { name: error && error.name, message: error && error.message } });
    return;
  }
  const handler = module[exportName];
  if (typeof handler !== 'function' || eventJson === undefined) {
    report({ loaded: true, handlerType: typeof handler });
    return;
  }
  // The context the Node.js runtime passes, as Powertools reads it (request id, function name, cold start).
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bundle-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:bundle-test',
    memoryLimitInMB: '256',
    awsRequestId: 'bundle-test',
    logGroupName: '/aws/lambda/bundle-test',
    logStreamName: '2026/12/02/[$LATEST]bundle-test',
    getRemainingTimeInMillis: () => 60_000,
    ...JSON.parse(contextJson || '{}'),
  };
  try {
    const result = await handler(JSON.parse(eventJson), context);
    report({ loaded: true, handlerType: 'function', result });
  } catch (error) {
    // Lambda reports errorType from the thrown object's name; Step Functions matches ErrorEquals on it.
    report({ loaded: true, handlerType: 'function', error: { name: error && error.name, message: error && error.message } });
  }
})();
