import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { Readable } from 'node:stream';
import { NO_COUNTERS, SILENT_LOG } from '../core/observability';
import { parsePolicy } from '../core/policy/parse-policy';
import { sweep } from '../detectors/detect';
import { CATALOGUE } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import { DETECTORS } from '../detectors/index';

/** The sweep measured is that of the check on DynamoDB tables: the mock below is DynamoDB's API. */
const TABLE_CHECK = CATALOGUE.find((check) => check.resourceType === 'AWS::DynamoDB::Table')!;

export interface SweepBench {
  readonly tables: number;
  readonly limitPerSecond: number;
  readonly seconds: number;
  readonly resourcesPerSecond: number;
  /** Successful API calls per second over the API's limit: how close to the limit the sweep runs. */
  readonly fractionOfLimit: number;
  readonly throttledCalls: number;
  readonly failedResources: number;
}

/**
 * A sweep over a mocked DynamoDB API that answers at most `limit` calls per second (token bucket) and
 * throttles the rest with DynamoDB's own error, so the SDK's adaptive retry strategy reacts as it would.
 */
export async function benchSweep(tables = 200, limit = 100): Promise<SweepBench> {
  const names = Array.from({ length: tables }, (_, index) => `table-${String(index).padStart(4, '0')}`);
  let tokens = limit / 10;
  let last = performance.now();
  let succeeded = 0;
  let throttled = 0;
  const respond = (statusCode: number, body: unknown) =>
    Promise.resolve({
      response: { statusCode, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(JSON.stringify(body))]) },
    });
  // The mock sits where HTTP would: the SDK serialises, signs, deserialises and retries as against AWS.
  const requestHandler = {
    handle(request: { headers: Record<string, string>; body?: unknown }) {
      const now = performance.now();
      tokens = Math.min(limit / 10, tokens + ((now - last) / 1000) * limit);
      last = now;
      if (tokens < 1) {
        throttled += 1;
        return respond(400, { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate exceeded' });
      }
      tokens -= 1;
      succeeded += 1;
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
      const body = typeof request.body === 'string' ? request.body : Buffer.from(request.body as Uint8Array).toString('utf8');
      const input = JSON.parse(body) as Record<string, unknown>;
      if (operation === 'ListTables') {
        const after = input['ExclusiveStartTableName'];
        const start = (typeof after === 'string' ? names.indexOf(after) : -1) + 1;
        const page = names.slice(start, start + 100);
        return respond(200, { TableNames: page, ...(start + 100 < names.length ? { LastEvaluatedTableName: page.at(-1) } : {}) });
      }
      if (operation === 'DescribeTable') {
        const name = String(input['TableName']);
        return respond(200, { Table: { TableName: name, TableArn: `arn:aws:dynamodb:us-east-1:111122223333:table/${name}`, TableStatus: 'ACTIVE' } });
      }
      return respond(200, { Tags: [] });
    },
  };
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    retryMode: 'adaptive',
    maxAttempts: 10,
    requestHandler,
  });
  const policy = parsePolicy(`version: 1\nchecks: { ${TABLE_CHECK.id}: { mode: report } }\n`, 'bench.yaml').policy;
  const started = performance.now();
  let failedResources = 0;
  try {
    await sweep(
      { account: '111122223333', region: 'us-east-1' },
      {
        detector: DETECTORS[TABLE_CHECK.id],
        // The detector uses only the clients its check declares; the others are never touched.
        clients: {
          dynamodb: client,
          kms: new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }),
        } as unknown as AwsClients,
        policy,
        organizationalUnits: [],
        startWorkflow: () => Promise.resolve('started'),
        log: SILENT_LOG,
        metrics: { count: (name, value = 1) => void (name === 'SweepResourceFailed' ? (failedResources += value) : NO_COUNTERS.count(name)) },
        now: () => new Date(),
      },
    );
  } catch {
    // failures are counted above
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    tables,
    limitPerSecond: limit,
    seconds,
    resourcesPerSecond: tables / seconds,
    fractionOfLimit: succeeded / seconds / limit,
    throttledCalls: throttled,
    failedResources,
  };
}
