import { createAuditTable, startLocalDynamoDb } from '../../cli/local-dynamodb';

export { createAuditTable };

/** dynalite on loopback for a test file. */
export async function startDynalite() {
  const local = await startLocalDynamoDb();
  return { endpoint: local.endpoint, client: local.client, document: local.document, stop: local.stop };
}
