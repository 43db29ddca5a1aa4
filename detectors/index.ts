import type { CheckId } from '../core/catalogue';
import { apigatewayStageThrottlingDetector } from './apigateway-stage-throttling';
import { apigatewayStageWafDetector } from './apigateway-stage-waf';
import type { AnyDetector } from './detector';
import { dynamodbTableEncryptionDetector } from './dynamodb-table-encryption';
import { lambdaFunctionEnvSecretsDetector } from './lambda-function-env-secrets';

/** Every detector by check id (for the CLI; a Lambda imports only its own detector). */
export const DETECTORS: Readonly<Record<CheckId, AnyDetector>> = {
  'dynamodb-table-encryption': dynamodbTableEncryptionDetector,
  'apigateway-stage-throttling': apigatewayStageThrottlingDetector,
  'apigateway-stage-waf': apigatewayStageWafDetector,
  'lambda-function-env-secrets': lambdaFunctionEnvSecretsDetector,
};
