import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { WAFV2Client } from '@aws-sdk/client-wafv2';

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

export interface ClientOptions {
  readonly region: string;
  /** A named profile from the shared config files; otherwise the default credential chain. */
  readonly profile?: string;
  readonly maxAttempts?: number;
  /** Per-attempt limit on a request that never answers; the SDK then retries it. */
  readonly requestTimeoutMs?: number;
  /**
   * `adaptive` (the default) also slows the client down when the API throttles, which is right against an
   * API whose limit is a rate; `standard` only retries.
   */
  readonly retryMode?: 'adaptive' | 'standard';
}

export type ClientName = Exclude<keyof AwsClients, 'region'>;

/** Where each client lives in the SDK: the Lambda entries generated at synth import exactly the ones a check declares. */
export const CLIENT_CLASSES: Readonly<Record<ClientName, { readonly module: string; readonly className: string }>> = {
  dynamodb: { module: '@aws-sdk/client-dynamodb', className: 'DynamoDBClient' },
  apigateway: { module: '@aws-sdk/client-api-gateway', className: 'APIGatewayClient' },
  wafv2: { module: '@aws-sdk/client-wafv2', className: 'WAFV2Client' },
  lambda: { module: '@aws-sdk/client-lambda', className: 'LambdaClient' },
  kms: { module: '@aws-sdk/client-kms', className: 'KMSClient' },
  secretsManager: { module: '@aws-sdk/client-secrets-manager', className: 'SecretsManagerClient' },
  sfn: { module: '@aws-sdk/client-sfn', className: 'SFNClient' },
};

/** The configuration every Warden client gets, in a Lambda and in the CLI alike. */
export function clientConfig(options: ClientOptions) {
  return {
    region: options.region,
    retryMode: options.retryMode ?? 'adaptive',
    maxAttempts: options.maxAttempts ?? 6,
    // Without a request timeout, a connection that never answers holds the caller until its own deadline.
    requestHandler: { connectionTimeout: 3_000, requestTimeout: options.requestTimeoutMs ?? 10_000, throwOnRequestTimeout: true },
    ...(options.profile ? { profile: options.profile } : {}),
  } as const;
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
