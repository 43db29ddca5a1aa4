import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { lambdaFunctionEnvSecretsRemediator } from '../../remediators/lambda-function-env-secrets';
import { remediatorHandler } from '../remediator-handler';

const config = { region: process.env['AWS_REGION'], retryMode: 'adaptive', maxAttempts: 6 };

export const handler = remediatorHandler(lambdaFunctionEnvSecretsRemediator, { lambda: new LambdaClient(config), secretsManager: new SecretsManagerClient(config) });
