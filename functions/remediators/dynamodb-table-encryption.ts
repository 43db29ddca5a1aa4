import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { dynamodbTableEncryptionRemediator } from '../../remediators/dynamodb-table-encryption';
import { remediatorHandler } from '../remediator-handler';

const config = { region: process.env['AWS_REGION'], retryMode: 'adaptive', maxAttempts: 6 };

export const handler = remediatorHandler(dynamodbTableEncryptionRemediator, { dynamodb: new DynamoDBClient(config), kms: new KMSClient(config) });
