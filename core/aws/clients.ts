import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { clientConfig, type ClientOptions } from './client-config';

export { CLIENT_CLASSES, clientConfig } from './client-config';
export type { ClientName, ClientOptions } from './client-config';

/**
 * The SDK clients Warden's detectors and remediators use, created on first use. They honour the
 * standard SDK configuration (credential chain, AWS_REGION, AWS_ENDPOINT_URL_<SERVICE>) and retry
 * throttling adaptively: the client-side rate limiter backs off when the API pushes back.
 */
export interface AwsClients {
  readonly region: string;
  readonly dynamodb: DynamoDBClient;
  readonly apigateway: APIGatewayClient;
  readonly wafv2: WAFV2Client;
  readonly lambda: LambdaClient;
  readonly kms: KMSClient;
  readonly secretsManager: SecretsManagerClient;
  readonly sfn: SFNClient;
}

/** Lazily built clients for one region; each is constructed the first time it is used. */
export function createAwsClients(options: ClientOptions): AwsClients {
  const config = clientConfig(options);
  const cache = new Map<string, unknown>();
  const lazy = <T>(key: string, build: () => T): T => {
    if (!cache.has(key)) cache.set(key, build());
    return cache.get(key) as T;
  };
  return {
    region: options.region,
    get dynamodb() {
      return lazy('dynamodb', () => new DynamoDBClient(config));
    },
    get apigateway() {
      return lazy('apigateway', () => new APIGatewayClient(config));
    },
    get wafv2() {
      return lazy('wafv2', () => new WAFV2Client(config));
    },
    get lambda() {
      return lazy('lambda', () => new LambdaClient(config));
    },
    get kms() {
      return lazy('kms', () => new KMSClient(config));
    },
    get secretsManager() {
      return lazy('secretsManager', () => new SecretsManagerClient(config));
    },
    get sfn() {
      return lazy('sfn', () => new SFNClient(config));
    },
  };
}
