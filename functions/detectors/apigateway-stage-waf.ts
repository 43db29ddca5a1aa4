import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { apigatewayStageWafDetector } from '../../detectors/apigateway-stage-waf';
import { apigatewayStageWafRemediator } from '../../remediators/apigateway-stage-waf';
import { detectorHandler } from '../detector-handler';

const config = { region: process.env['AWS_REGION'], retryMode: 'adaptive', maxAttempts: 6 };

export const handler = detectorHandler(apigatewayStageWafDetector, apigatewayStageWafRemediator.plan, { apigateway: new APIGatewayClient(config), wafv2: new WAFV2Client(config) });
