import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/run-cli';
import { explainAwsError } from '../../../cli/aws-errors';

const SAVED = { ...process.env };

function run(args: string[], env: Record<string, string | undefined>) {
  // The SDK reads the standard configuration from the process: the test's environment is all it sees.
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, { AWS_EC2_METADATA_DISABLED: 'true' }, env);
  return runCli(args, { env: process.env });
}

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'example' };
const files = mkdtempSync(join(tmpdir(), 'warden-aws-config-'));
const NO_FILES = { AWS_CONFIG_FILE: join(files, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(files, 'none') };

/** A server that accepts connections and never answers: an endpoint behind a black hole. */
let silent: Server;
const sockets: Socket[] = [];
let port = 0;

beforeAll(async () => {
  silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  process.env = SAVED;
});

describe('AWS errors say what to do, in one line', () => {
  it('names the endpoint and the call that never answered, within the request timeout, with exit code 3', async () => {
    const started = Date.now();
    const result = await run(['scan', '--region', 'eu-west-1', '--request-timeout', '200'], {
      ...KEYS,
      ...NO_FILES,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    });
    expect(result).toEqual({
      code: 3,
      stdout: '',
      stderr: `warden scan: http://127.0.0.1:${port} did not answer STS.GetCallerIdentity within 200 ms: check the network and AWS_ENDPOINT_URL, or raise --request-timeout\n`,
    });
    // Three attempts of 200 ms and the SDK's backoff between them: seconds, not minutes.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('names an endpoint nothing listens on', async () => {
    silent.close();
    const result = await run(['scan', '--region', 'eu-west-1'], { ...KEYS, ...NO_FILES, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `warden scan: http://127.0.0.1:${port} is unreachable for STS.GetCallerIdentity (ECONNREFUSED): check the network and AWS_ENDPOINT_URL\n`,
    );
  });

  it('lists the profiles that exist when --profile names none of them, before any call (exit 2)', async () => {
    writeFileSync(
      join(files, 'config'),
      '[default]\nregion = eu-west-1\n\n[profile audit]\nsso_session = corp\n\n[sso-session corp]\nsso_region = eu-west-1\n',
    );
    writeFileSync(join(files, 'credentials'), '[ci]\naws_access_key_id = AKIAEXAMPLE\n');
    const result = await run(['scan', '--region', 'eu-west-1', '--profile', 'audti'], {
      AWS_CONFIG_FILE: join(files, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(files, 'credentials'),
    });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "warden scan: profile 'audti' is not in ~/.aws/config or ~/.aws/credentials; profiles there: audit, ci, default (aws configure --profile audti adds it)\n",
    });
  });

  it('says how to provide credentials when there are none (exit 2)', async () => {
    const result = await run(['scan', '--region', 'eu-west-1'], { ...NO_FILES, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'warden scan: no AWS credentials: pass --profile or set AWS_PROFILE (aws sso login for an SSO profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n',
    });
  });

  it('says a region is needed', async () => {
    const result = await run(['scan'], { ...KEYS, ...NO_FILES });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: "warden scan: no region: pass --region or --regions, or set AWS_REGION (usage: 'warden scan --help')\n",
    });
  });

  it('names the action and resource AWS denied, and points at the permissions scan needs', () => {
    const denied = Object.assign(
      new Error(
        'User: arn:aws:sts::111122223333:assumed-role/Audit/alice is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action',
      ),
      { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } },
    );
    expect(explainAwsError(denied)?.message).toBe(
      'access denied: lambda:ListFunctions on *; warden needs the read permissions the README lists for scan',
    );
    expect(explainAwsError(Object.assign(new Error('x'), { name: 'ExpiredToken', $metadata: {} }))?.message).toMatch(
      /^AWS refused the credentials \(ExpiredToken\) for the call: refresh them \(aws sso login\) or choose another --profile$/,
    );
    expect(explainAwsError(new Error('a bug of our own'))).toBeUndefined();
  });
});
