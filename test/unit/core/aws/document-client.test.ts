import { ConditionalCheckFailedException, CreateTableCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DocumentClient } from '../../../../core/aws/document-client';
import { startLocalDynamoDb } from '../../../../cli/local-dynamodb';

/*
 * Over the DynamoDB wire protocol (dynalite): items go in and come out as lib-dynamodb's document client
 * writes and reads them, so a table written by one reads the same through the other.
 */

let stop: () => Promise<void>;
let client: DynamoDBClient;
let documents: DocumentClient;
let count = 0;
let table: string;

beforeAll(async () => {
  ({ client, stop } = await startLocalDynamoDb());
  documents = new DocumentClient(client);
});
afterAll(() => stop());
beforeEach(async () => {
  count += 1;
  table = `documents-${count}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

const ITEM = { pk: 'a', sk: '1', count: 3, ratio: 0.5, done: false, tags: ['x', 'y'], nested: { when: '2026-12-04', none: null }, empty: '' };

describe("Warden's document client", () => {
  it('writes plain values as lib-dynamodb writes them, and reads back what it wrote, leaving undefined values out', async () => {
    await documents.put({ TableName: table, Item: { ...ITEM, absent: undefined } });
    const key = { pk: { S: 'a' }, sk: { S: '1' } };
    const raw = await client.send(new GetItemCommand({ TableName: table, Key: key }));
    await DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName: table, Item: { ...ITEM, sk: '2' } }));
    const theirs = await client.send(new GetItemCommand({ TableName: table, Key: { ...key, sk: { S: '2' } } }));
    expect(raw.Item).toEqual({ ...theirs.Item, sk: { S: '1' } });
    expect(raw.Item).not.toHaveProperty('absent');
    expect(await documents.get({ TableName: table, Key: { pk: 'a', sk: '1' }, ConsistentRead: true })).toEqual({ Item: ITEM });
    const { Item } = await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: table, Key: { pk: 'a', sk: '1' } }));
    expect(Item).toEqual(ITEM);
    expect(await documents.get({ TableName: table, Key: { pk: 'a', sk: 'none' } })).toEqual({});
  });

  it('updates under a condition and answers the new item; a failed condition is DynamoDB’s own error', async () => {
    await documents.put({ TableName: table, Item: ITEM });
    const update = (expected: number) =>
      documents.update({
        TableName: table,
        Key: { pk: 'a', sk: '1' },
        UpdateExpression: 'SET #count = :next REMOVE #empty',
        ConditionExpression: '#count = :expected',
        ExpressionAttributeNames: { '#count': 'count', '#empty': 'empty' },
        ExpressionAttributeValues: { ':next': expected + 1, ':expected': expected },
        ReturnValues: 'ALL_NEW',
      });
    const { empty: _empty, ...rest } = ITEM;
    await expect(update(3)).resolves.toEqual({ Attributes: { ...rest, count: 4 } });
    await expect(update(3)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(documents.put({ TableName: table, Item: ITEM, ConditionExpression: 'attribute_not_exists(pk)' })).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
  });

  it('reads every page of a query and a scan, in order, and one page with a limit', async () => {
    // Big enough items that 1 MB pages are several: 40 items of about 60 KB.
    const padding = 'p'.repeat(60_000);
    for (let index = 0; index < 40; index += 1)
      await documents.put({ TableName: table, Item: { pk: 'many', sk: String(index).padStart(3, '0'), padding } });
    const query = { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'many' } };
    const pages: string[][] = [];
    for await (const page of documents.queryPages(query)) pages.push(page.Items.map((item) => String(item['sk'])));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat()).toEqual(Array.from({ length: 40 }, (_, index) => String(index).padStart(3, '0')));
    const scanned: unknown[] = [];
    for await (const page of documents.scanPages({ TableName: table, ProjectionExpression: 'sk' })) scanned.push(...page.Items);
    expect(scanned).toHaveLength(40);
    const { Items } = await documents.query({ ...query, ScanIndexForward: false, Limit: 1 });
    expect(Items).toEqual([{ pk: 'many', sk: '039', padding }]);
  });
});
