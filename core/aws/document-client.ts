import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type ReturnValue,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/*
 * DynamoDB items as plain values, for the five calls Warden's tables make. It is what lib-dynamodb's
 * document client does for them (marshall in, unmarshall out, undefined values left out), on the
 * DynamoDB client every function already loads: lib-dynamodb is a package of its own, and loading it
 * was 2-3 ms of every cold start of the functions that write the audit trail or the counters.
 */

export type Item = Record<string, unknown>;

interface Expressions {
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
}

export interface GetInput {
  readonly TableName: string;
  readonly Key: Item;
  readonly ConsistentRead?: boolean;
}

export interface PutInput extends Expressions {
  readonly TableName: string;
  /** Any record of plain values (a typed record such as an approval included). */
  readonly Item: object;
}

export interface UpdateInput extends Expressions {
  readonly TableName: string;
  readonly Key: Item;
  readonly UpdateExpression: string;
  readonly ReturnValues?: ReturnValue;
}

export interface QueryInput extends Omit<Expressions, 'ConditionExpression'> {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly KeyConditionExpression: string;
  readonly FilterExpression?: string;
  readonly ProjectionExpression?: string;
  readonly ScanIndexForward?: boolean;
  readonly Limit?: number;
  readonly ConsistentRead?: boolean;
}

export interface ScanInput extends Omit<Expressions, 'ConditionExpression'> {
  readonly TableName: string;
  readonly FilterExpression?: string;
  readonly ProjectionExpression?: string;
}

const toAttributes = (item: Item): Record<string, AttributeValue> => marshall(item, { removeUndefinedValues: true });
const fromAttributes = (attributes: Record<string, AttributeValue>): Item => unmarshall(attributes);

/** The expression values marshalled, and absent when there are none (DynamoDB refuses an empty map). */
function withExpressions<T extends Omit<Expressions, 'ConditionExpression'>>(input: T) {
  const { ExpressionAttributeValues: values, ...rest } = input;
  return { ...rest, ...(values && Object.keys(values).length > 0 ? { ExpressionAttributeValues: toAttributes(values) } : {}) };
}

/** A DynamoDB table's items as plain values (numbers as numbers, maps as objects). */
export class DocumentClient {
  constructor(readonly dynamodb: DynamoDBClient) {}

  async get(input: GetInput): Promise<{ Item?: Item }> {
    const { Item } = await this.dynamodb.send(new GetItemCommand({ ...input, Key: toAttributes(input.Key) }));
    return Item ? { Item: fromAttributes(Item) } : {};
  }

  async put(input: PutInput): Promise<void> {
    await this.dynamodb.send(new PutItemCommand({ ...withExpressions(input), Item: toAttributes(input.Item as Item) }));
  }

  async update(input: UpdateInput): Promise<{ Attributes?: Item }> {
    const { Attributes } = await this.dynamodb.send(new UpdateItemCommand({ ...withExpressions(input), Key: toAttributes(input.Key) }));
    return Attributes ? { Attributes: fromAttributes(Attributes) } : {};
  }

  /** One page of a query (with `Limit`, the first items). */
  async query(input: QueryInput): Promise<{ Items: Item[] }> {
    const { Items = [] } = await this.dynamodb.send(new QueryCommand(withExpressions(input)));
    return { Items: Items.map(fromAttributes) };
  }

  /** Every page of a query, in order. */
  queryPages(input: QueryInput): AsyncGenerator<{ Items: Item[] }> {
    return this.pages((start) => this.dynamodb.send(new QueryCommand({ ...withExpressions(input), ...start })));
  }

  /** Every page of a scan. */
  scanPages(input: ScanInput): AsyncGenerator<{ Items: Item[] }> {
    return this.pages((start) => this.dynamodb.send(new ScanCommand({ ...withExpressions(input), ...start })));
  }

  /** The pages of a query or scan, each read from where the one before ended. */
  private async *pages(
    read: (start: { ExclusiveStartKey?: Record<string, AttributeValue> }) => Promise<{
      Items?: Record<string, AttributeValue>[];
      LastEvaluatedKey?: Record<string, AttributeValue>;
    }>,
  ): AsyncGenerator<{ Items: Item[] }> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await read(start ? { ExclusiveStartKey: start } : {});
      yield { Items: (page.Items ?? []).map(fromAttributes) };
      start = page.LastEvaluatedKey;
    } while (start);
  }
}
