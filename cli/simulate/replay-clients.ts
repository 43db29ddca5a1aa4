import * as apigateway from '@aws-sdk/client-api-gateway';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as kms from '@aws-sdk/client-kms';
import * as lambda from '@aws-sdk/client-lambda';
import * as secretsManager from '@aws-sdk/client-secrets-manager';
import * as sfn from '@aws-sdk/client-sfn';
import * as wafv2 from '@aws-sdk/client-wafv2';
import { isDeepStrictEqual } from 'node:util';
import type { AwsClients } from '../../core/aws/clients';
import { WardenError } from '../../core/errors';
import type { RecordedResponse, Snapshot } from './snapshot';

/** A call the snapshot has no recorded response for. */
export class SnapshotMissError extends WardenError {
  override name = 'SnapshotMissError';
}

type Module = Record<string, unknown>;
const MODULES: Record<string, Module> = {
  DynamoDB: dynamodb,
  APIGateway: apigateway,
  WAFV2: wafv2,
  Lambda: lambda,
  KMS: kms,
  SecretsManager: secretsManager,
  SFN: sfn,
};

/** The SDK's own exception class for a recorded error, so `instanceof` checks behave as against AWS. */
function recordedError(client: string, error: { name: string; message: string }): Error {
  const Exception = MODULES[client]?.[error.name];
  if (typeof Exception === 'function') {
    return new (Exception as new (options: { message: string; $metadata: object }) => Error)({ message: error.message, $metadata: {} });
  }
  return Object.assign(new Error(error.message), { name: error.name });
}

function matches(recordedInput: Record<string, unknown>, input: Record<string, unknown>): boolean {
  return Object.entries(recordedInput).every(([key, value]) => isDeepStrictEqual(input[key], value));
}

interface Middlewared {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}

/** SDK clients that never leave the machine: every call is answered from the snapshot, or fails clearly. */
export function replayClients(snapshot: Snapshot, calls: string[] = []): AwsClients {
  const config = { region: snapshot.region, credentials: { accessKeyId: 'snapshot', secretAccessKey: 'snapshot' } };
  const wire = <T extends object>(client: T, name: string): T => {
    (client as unknown as Middlewared).middlewareStack.add(
      (_next: unknown, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const key = `${name}.${operation}`;
        calls.push(key);
        const candidates: RecordedResponse[] = snapshot.responses[key] ?? [];
        const hit = candidates.find((candidate) => matches(candidate.input, args.input));
        if (!hit) throw new SnapshotMissError(`the snapshot has no response for ${key} with ${JSON.stringify(args.input)}`);
        if ('error' in hit) throw recordedError(name, hit.error);
        return { output: { ...hit.output, $metadata: {} }, response: {} };
      },
      { step: 'initialize', name: 'wardenSnapshotReplay' },
    );
    return client;
  };
  return {
    region: snapshot.region,
    dynamodb: wire(new dynamodb.DynamoDBClient(config), 'DynamoDB'),
    apigateway: wire(new apigateway.APIGatewayClient(config), 'APIGateway'),
    wafv2: wire(new wafv2.WAFV2Client(config), 'WAFV2'),
    lambda: wire(new lambda.LambdaClient(config), 'Lambda'),
    kms: wire(new kms.KMSClient(config), 'KMS'),
    secretsManager: wire(new secretsManager.SecretsManagerClient(config), 'SecretsManager'),
    sfn: wire(new sfn.SFNClient(config), 'SFN'),
  };
}
