import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { dynamodbTableEncryptionDetector } from '../../detectors/dynamodb-table-encryption';
import { dynamodbTableEncryptionRemediator } from '../../remediators/dynamodb-table-encryption';
import { detectorHandler } from '../detector-handler';

const config = { region: process.env['AWS_REGION'], retryMode: 'adaptive', maxAttempts: 6 };

export const handler = detectorHandler(dynamodbTableEncryptionDetector, dynamodbTableEncryptionRemediator.plan, { dynamodb: new DynamoDBClient(config), kms: new KMSClient(config) });
