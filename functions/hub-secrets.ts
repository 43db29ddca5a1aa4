import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretValues } from '../core/secrets/secret-values';
import { lambdaClientConfig, type TracerOf } from './runtime';

/** The Slack and ticket credentials, read from Secrets Manager once and cached (traced, as every client). */
export function hubSecrets(tracer: TracerOf): SecretValues {
  return new SecretValues(tracer.captureAWSv3Client(new SecretsManagerClient(lambdaClientConfig())));
}
