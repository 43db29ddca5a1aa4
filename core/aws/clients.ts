import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { WAFV2Client } from '@aws-sdk/client-wafv2';
import { CLIENT_CLASSES, clientConfig, type ClientOptions } from './client-config';
import { limitRate, rateBuckets } from './rate-limit';

export { CLIENT_CLASSES, clientConfig } from './client-config';
export type { ClientName, ClientOptions, ServiceName } from './client-config';

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
  readonly sqs: SQSClient;
  /** Not a check's client: detection asks it which stack manages a finding's resource. */
  readonly cloudformation: CloudFormationClient;
  /** Metrics a staged fix is judged by between its phases (a function's errors). */
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  readonly logs: CloudWatchLogsClient;
  /** IAM is global: its endpoint is the partition's, whatever the region. */
  readonly iam: IAMClient;
}

/** Lazily built clients for one region; each is constructed (and its SDK package loaded) the first time it is used. */
export function createAwsClients(options: ClientOptions, decorate: (client: object) => void = () => undefined): AwsClients {
  const config = clientConfig(options);
  const buckets: Partial<Record<string, ReturnType<typeof rateBuckets>[keyof ReturnType<typeof rateBuckets>]>> = options.rateLimits
    ? rateBuckets(options.rateLimits)
    : {};
  const clients: Record<string, unknown> = { region: options.region };
  for (const [name, { module, className }] of Object.entries(CLIENT_CLASSES)) {
    let client: unknown;
    Object.defineProperty(clients, name, {
      enumerable: true,
      get() {
        if (client === undefined) {
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, named by CLIENT_CLASSES
          client = new (require(module) as Record<string, new (configuration: typeof config) => unknown>)[className]!(config);
          const bucket = buckets[name];
          if (bucket) limitRate(client, bucket);
          decorate(client as object);
        }
        return client;
      },
    });
  }
  return clients as unknown as AwsClients;
}
