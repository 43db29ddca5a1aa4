import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { apigatewayStageThrottlingRemediator } from '../../remediators/apigateway-stage-throttling';
import { remediatorHandler } from '../remediator-handler';

const config = { region: process.env['AWS_REGION'], retryMode: 'adaptive', maxAttempts: 6 };

export const handler = remediatorHandler(apigatewayStageThrottlingRemediator, { apigateway: new APIGatewayClient(config) });
