import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The member's counters table as the stack defines it (one string key, `pk`), for dynalite or moto. */
export async function createCountersTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    }),
  );
}
