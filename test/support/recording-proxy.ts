import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedCall } from './sdk-call-log';

/** SigV4 signing name → SDK client name, as SdkCallLog records it. */
const CLIENTS: Readonly<Record<string, string>> = {
  dynamodb: 'DynamoDB',
  secretsmanager: 'SecretsManager',
  sts: 'STS',
  states: 'SFN',
  kms: 'KMS',
  events: 'EventBridge',
};

const json = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** The access key id and service of a SigV4 `Authorization` header. */
function credentialScope(authorization: string | undefined): { accessKeyId: string; service: string } | undefined {
  const match = /Credential=([^/]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return match ? { accessKeyId: match[1]!, service: match[2]! } : undefined;
}

/**
 * A loopback proxy in front of the emulator that records every AWS call a separate process makes (a
 * bundle run by run-bundle.ts), in SdkCallLog's shape, from the wire: the operation from `X-Amz-Target` or
 * the query protocol's `Action`, the input and output from the bodies. The caller is known by the access
 * key id each bundle signs with; credentials from AssumeRole are attributed to `assumed:<role ARN>`.
 */
export async function startRecordingProxy(target: string) {
  const upstream = new URL(target);
  const calls: RecordedCall[] = [];
  const callers = new Map<string, string>();

  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const payload = Buffer.concat(parts);
            record(
              incoming.headers,
              incoming.method ?? '',
              incoming.url ?? '',
              body.toString('utf8'),
              answer.statusCode ?? 0,
              payload.toString('utf8'),
            );
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            response.end(payload);
          });
        },
      );
      forwarded.on('error', () => response.socket?.destroy());
      forwarded.end(body);
    });
  });

  function record(
    headers: Record<string, string | string[] | undefined>,
    method: string,
    url: string,
    body: string,
    status: number,
    payload: string,
  ): void {
    const scope = credentialScope(typeof headers['authorization'] === 'string' ? headers['authorization'] : undefined);
    if (!scope) return;
    const target = typeof headers['x-amz-target'] === 'string' ? headers['x-amz-target'] : undefined;
    const form = String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(body))
      : undefined;
    const operation = target?.split('.').pop() ?? form?.['Action'] ?? `${method} ${url.split('?')[0]}`;
    const input = form ?? json(body);
    const output = target ? json(payload) : {};
    const failed = status >= 400;
    const errorType = [headers['x-amzn-errortype'], json(payload)['__type'], /<Code>([^<]+)<\/Code>/.exec(payload)?.[1]].find(
      (value): value is string => typeof value === 'string' && value.length > 0,
    );
    // `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` or `ResourceNotFoundException:http://…`
    const errorName = failed ? (errorType ?? String(status)).replace(/^.*#/, '').replace(/:.*$/, '') : undefined;
    const caller = callers.get(scope.accessKeyId) ?? `unknown:${scope.accessKeyId}`;
    if (!failed && operation === 'AssumeRole') {
      const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(payload)?.[1];
      if (accessKeyId) callers.set(accessKeyId, `assumed:${String(input['RoleArn'])}`);
    }
    calls.push({
      caller,
      client: CLIENTS[scope.service] ?? scope.service,
      operation,
      method,
      path: url.split('?')[0] ?? '',
      input,
      ...(failed ? { error: errorName ?? String(status) } : { output }),
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /** Calls signed with `accessKeyId` are `caller`'s. */
    attribute: (accessKeyId: string, caller: string) => callers.set(accessKeyId, caller),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
