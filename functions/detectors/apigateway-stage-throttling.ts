import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { apigatewayStageThrottlingDetector } from '../../detectors/apigateway-stage-throttling';
import { apigatewayStageThrottlingRemediator } from '../../remediators/apigateway-stage-throttling';
import { detectorHandler } from '../detector-handler';

const config = { region: process.env['AWS_REGION'], retryMode: 'adaptive', maxAttempts: 6 };

export const handler = detectorHandler(apigatewayStageThrottlingDetector, apigatewayStageThrottlingRemediator.plan, { apigateway: new APIGatewayClient(config) });
