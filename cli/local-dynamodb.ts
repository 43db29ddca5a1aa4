import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from '../core/aws/document-client';
import type { AddressInfo } from 'node:net';
import { AUDIT_TABLE_KEYS } from '../core/audit/audit-table';

interface DynaliteServer {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: () => void): void;
  address(): AddressInfo;
}

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly document: DocumentClient;
  stop(): Promise<void>;
}

/** dynalite (the DynamoDB wire protocol, in memory) on a free loopback port, with clients pointed at it. */
export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  // dynalite ships CommonJS without types.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => DynaliteServer;
  const server = dynalite({ createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    endpoint,
    client,
    document: new DocumentClient(client),
    stop: () => {
      client.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function createAuditTable(client: DynamoDBClient, tableName: string, extra: Partial<CreateTableCommandInput> = {}): Promise<void> {
  const keys = JSON.parse(JSON.stringify(AUDIT_TABLE_KEYS)) as Omit<CreateTableCommandInput, 'TableName'>;
  await client.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...keys, ...extra }));
}
