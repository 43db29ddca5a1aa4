import type { RateShare } from './rate-limit';

/*
 * What every Warden SDK client is configured with, and where each client lives in the SDK. Data only, with
 * no SDK import: a Lambda bundle that imports this loads no client it does not construct.
 */

export interface ClientOptions {
  readonly region: string;
  /** A named profile from the shared config files; otherwise the default credential chain. */
  readonly profile?: string;
  /** Credentials to use instead (a role assumed in another account, for an organization-wide scan). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
    readonly expiration?: Date;
  };
  readonly maxAttempts?: number;
  /** Per-attempt limit on a request that never answers; the SDK then retries it. */
  readonly requestTimeoutMs?: number;
  /** Limit on opening the connection (a host that accepts nothing). */
  readonly connectTimeoutMs?: number;
  /**
   * `adaptive` (the default) also slows the client down when the API throttles, which is right against an
   * API whose limit is a rate; `standard` only retries.
   */
  readonly retryMode?: 'adaptive' | 'standard';
  /**
   * Client-side rate limits per API family (core/aws/rate-limit.ts), for sweeps of a real account: at
   * most this share of each documented limit. Absent: no client-side limit, retries only.
   */
  readonly rateLimits?: RateShare;
}

/** The clients Warden's checks can declare (the keys of `AwsClients` but `region`). */
export type ClientName = keyof typeof CLIENT_CLASSES;

/**
 * Where each client lives in the SDK, and its service name. The Lambda entries generated at synth import
 * exactly the ones a check declares; the CLI's clients and simulate's replay clients are built from this
 * table too, so a new service is this line and its type in `AwsClients` (core/aws/clients.ts).
 */
export const CLIENT_CLASSES = {
  dynamodb: { module: '@aws-sdk/client-dynamodb', className: 'DynamoDBClient', service: 'DynamoDB' },
  apigateway: { module: '@aws-sdk/client-api-gateway', className: 'APIGatewayClient', service: 'APIGateway' },
  wafv2: { module: '@aws-sdk/client-wafv2', className: 'WAFV2Client', service: 'WAFV2' },
  lambda: { module: '@aws-sdk/client-lambda', className: 'LambdaClient', service: 'Lambda' },
  kms: { module: '@aws-sdk/client-kms', className: 'KMSClient', service: 'KMS' },
  secretsManager: { module: '@aws-sdk/client-secrets-manager', className: 'SecretsManagerClient', service: 'SecretsManager' },
  sfn: { module: '@aws-sdk/client-sfn', className: 'SFNClient', service: 'SFN' },
  sqs: { module: '@aws-sdk/client-sqs', className: 'SQSClient', service: 'SQS' },
  cloudformation: { module: '@aws-sdk/client-cloudformation', className: 'CloudFormationClient', service: 'CloudFormation' },
  cloudwatch: { module: '@aws-sdk/client-cloudwatch', className: 'CloudWatchClient', service: 'CloudWatch' },
  sns: { module: '@aws-sdk/client-sns', className: 'SNSClient', service: 'SNS' },
  logs: { module: '@aws-sdk/client-cloudwatch-logs', className: 'CloudWatchLogsClient', service: 'CloudWatchLogs' },
  iam: { module: '@aws-sdk/client-iam', className: 'IAMClient', service: 'IAM' },
} as const satisfies Readonly<Record<string, { readonly module: string; readonly className: string; readonly service: string }>>;

/** A client's name as the SDK reports it (`DynamoDB` for DynamoDBClient): plans, snapshots and call logs use it. */
export type ServiceName = (typeof CLIENT_CLASSES)[ClientName]['service'];

/** The configuration every Warden client gets, in a Lambda and in the CLI alike. */
export function clientConfig(options: ClientOptions) {
  return {
    region: options.region,
    retryMode: options.retryMode ?? 'adaptive',
    maxAttempts: options.maxAttempts ?? 6,
    requestHandler: requestHandlerOf(options),
    ...(options.profile && !options.credentials ? { profile: options.profile } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  } as const;
}

/** Without a request timeout, a connection that never answers holds the caller until its own deadline. */
export function requestHandlerOf(options: Pick<ClientOptions, 'connectTimeoutMs' | 'requestTimeoutMs'> = {}) {
  return {
    connectionTimeout: options.connectTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    throwOnRequestTimeout: true,
  } as const;
}
