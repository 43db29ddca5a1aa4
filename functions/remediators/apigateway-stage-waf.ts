import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { apigatewayStageWafRemediator } from '../../remediators/apigateway-stage-waf';
import { remediatorHandler } from '../remediator-handler';

const config = { region: process.env['AWS_REGION'], retryMode: 'adaptive', maxAttempts: 6 };

export const handler = remediatorHandler(apigatewayStageWafRemediator, { apigateway: new APIGatewayClient(config), wafv2: new WAFV2Client(config) });
