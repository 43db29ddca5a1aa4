import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from '../core/aws/document-client';
import { lambdaClientConfig, type TracerOf } from './runtime';

/**
 * The hub's tables (approvals, tickets, audit) through the document client, traced, with the timeouts and
 * adaptive retries every Warden client has. The hub's clients are one file each: an SDK module imported
 * by a shared file is required by every bundle that imports the file, used or not.
 */
export function hubDocumentClient(tracer: TracerOf): DocumentClient {
  return new DocumentClient(tracer.captureAWSv3Client(new DynamoDBClient(lambdaClientConfig())));
}
