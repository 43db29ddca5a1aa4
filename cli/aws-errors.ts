import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { awsErrorName, errorMessage } from '../core/errors';
import { CliError, type CommandIo } from './io';

/** AWS could not be reached, refused the credentials, denied a call, or lacks what was named. Exit code 3. */
export class AwsAccessError extends CliError {
  override name = 'AwsAccessError';
}

/** The AWS configuration cannot work: no such profile, no credentials, no region. Exit code 2. */
export class AwsConfigurationError extends CliError {
  override name = 'AwsConfigurationError';
}

/** The call an SDK error came from, and the endpoint it went to. */
interface FailedCall {
  readonly service: string;
  readonly operation: string;
  readonly endpoint?: string;
}

const failedCalls = new WeakMap<object, FailedCall>();

interface Middlewared {
  middlewareStack: { add(middleware: unknown, options: { step: string; name: string; priority?: string }): void };
}

type Context = { clientName?: string; commandName?: string; wardenEndpoint?: string };

/**
 * Makes each error of this client remember its call (service, operation, endpoint), so the CLI can say
 * which endpoint did not answer which call. Returns the client.
 */
export function tracingCalls<T extends object>(client: T): T {
  const stack = (client as unknown as Middlewared).middlewareStack;
  stack.add(
    (next: (args: unknown) => Promise<unknown>, context: Context) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        if (typeof error === 'object' && error !== null && !failedCalls.has(error)) {
          failedCalls.set(error, {
            service: (context.clientName ?? '').replace(/Client$/, ''),
            operation: (context.commandName ?? '').replace(/Command$/, ''),
            ...(context.wardenEndpoint ? { endpoint: context.wardenEndpoint } : {}),
          });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'wardenFailedCall', priority: 'high' },
  );
  stack.add(
    (next: (args: { request?: unknown }) => Promise<unknown>, context: Context) => (args: { request?: unknown }) => {
      const request = (args.request ?? {}) as { protocol?: string; hostname?: string; port?: number };
      if (request.hostname) context.wardenEndpoint = `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'wardenEndpoint' },
  );
  return client;
}

/** The profiles the shared config and credentials files define (as the SDK reads them, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE first). */
export function knownProfiles(env: CommandIo['env']): string[] {
  const files = [
    env['AWS_CONFIG_FILE'] ?? join(homedir(), '.aws', 'config'),
    env['AWS_SHARED_CREDENTIALS_FILE'] ?? join(homedir(), '.aws', 'credentials'),
  ];
  const profiles = new Set<string>();
  for (const file of files) {
    if (!existsSync(file)) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/^\s*\[\s*(?:profile\s+)?([^\]\s]+)\s*\]/gm)) {
      if (match[1] && !match[1].startsWith('sso-session')) profiles.add(match[1]);
    }
  }
  return [...profiles].sort();
}

/** Refuses a --profile the shared files do not define, before any call, listing the ones that exist. */
export function checkProfile(profile: string | undefined, env: CommandIo['env']): void {
  if (profile === undefined) return;
  const profiles = knownProfiles(env);
  if (!profiles.includes(profile))
    throw new AwsConfigurationError(
      `profile '${profile}' is not in ~/.aws/config or ~/.aws/credentials; ${profiles.length > 0 ? `profiles there: ${profiles.join(', ')}` : 'they define no profile'} (aws configure --profile ${profile} adds it)`,
    );
}

const TIMEOUT = /TimeoutError|RequestTimeout|ETIMEDOUT|socket hang up/i;
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH/;
const REFUSED_CREDENTIALS =
  /^(UnrecognizedClientException|InvalidClientTokenId|ExpiredToken|ExpiredTokenException|InvalidSignatureException|SignatureDoesNotMatch)$/;

/**
 * One line that says what went wrong with AWS and what to do, or `undefined` for an error that is not
 * about reaching AWS. `hints` are what the command was given (its table, region, request timeout).
 */
export function explainAwsError(
  error: unknown,
  hints: { readonly table?: string; readonly region?: string; readonly requestTimeoutMs?: number } = {},
): CliError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = awsErrorName(error) ?? '';
  const message = errorMessage(error);
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  const call = failedCalls.get(error);
  const what = call ? `${call.service}.${call.operation}` : 'the call';
  const where = call?.endpoint ?? 'the AWS endpoint';
  if (name === 'CredentialsProviderError' || /Could not load credentials/.test(message))
    return new AwsConfigurationError(
      'no AWS credentials: pass --profile or set AWS_PROFILE (aws sso login for an SSO profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      { cause: error },
    );
  if (/Region is missing/i.test(message)) return new AwsConfigurationError('no region: pass --region or set AWS_REGION', { cause: error });
  if (TIMEOUT.test(name) || TIMEOUT.test(code) || TIMEOUT.test(message))
    return new AwsAccessError(
      `${where} did not answer ${what}${hints.requestTimeoutMs ? ` within ${hints.requestTimeoutMs} ms` : ''}: check the network and AWS_ENDPOINT_URL, or raise --request-timeout`,
      { cause: error },
    );
  if (UNREACHABLE.test(code) || UNREACHABLE.test(message))
    return new AwsAccessError(
      `${where} is unreachable for ${what} (${(UNREACHABLE.exec(`${code} ${message}`) ?? [''])[0]}): check the network and AWS_ENDPOINT_URL`,
      {
        cause: error,
      },
    );
  if (REFUSED_CREDENTIALS.test(name))
    return new AwsAccessError(`AWS refused the credentials (${name}) for ${what}: refresh them (aws sso login) or choose another --profile`, {
      cause: error,
    });
  if (/^AccessDenied|^UnauthorizedOperation$|^AuthorizationError$/.test(name)) {
    const denied = /not authorized to perform: (\S+)(?: on resource: (\S+))?/.exec(message);
    const action = denied ? `${denied[1] ?? ''}${denied[2] ? ` on ${denied[2]}` : ''}` : what;
    return new AwsAccessError(`access denied: ${action}; warden needs the read permissions the README lists for scan`, { cause: error });
  }
  if (name === 'ResourceNotFoundException' && call?.service === 'DynamoDB')
    return new AwsAccessError(
      `table ${hints.table ?? '(the audit table)'} not found in ${hints.region ?? 'this region'}: pass --table and --region of the deployed Warden audit table`,
      { cause: error },
    );
  return undefined;
}
