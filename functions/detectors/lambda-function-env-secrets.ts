import { LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaFunctionEnvSecretsDetector } from '../../detectors/lambda-function-env-secrets';
import { planEnvSecrets } from '../../remediators/lambda-function-env-secrets-plan';
import { detectorHandler } from '../detector-handler';

const config = { region: process.env['AWS_REGION'], retryMode: 'adaptive', maxAttempts: 6 };

export const handler = detectorHandler(lambdaFunctionEnvSecretsDetector, planEnvSecrets, { lambda: new LambdaClient(config) });
