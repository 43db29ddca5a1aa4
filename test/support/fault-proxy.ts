import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The failures real AWS endpoints produce, injected between the SDK and the emulator. */
export type Fault = 'throttle' | 'server-error' | 'timeout' | 'drop' | 'drop-after-response';

export interface FaultProxyOptions {
  /** Where requests go when no fault is injected (the emulator). */
  readonly target: string;
  /** Share of requests that fail, 0..1. */
  readonly rate: number;
  readonly seed: number;
  /** How long a `timeout` holds the request: longer than the client's request timeout. */
  readonly holdMs: number;
}

export interface ForwardedRequest {
  readonly method: string;
  readonly path: string;
  /** `X-Amz-Target` for JSON protocols (e.g. `DynamoDB_20120810.UpdateItem`), else `<METHOD> <path>`. */
  readonly operation: string;
  readonly status: number;
  readonly body: string;
  /** `amz-sdk-invocation-id`: the same for every retry of one SDK call. */
  readonly invocationId: string;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const READ = /^(Describe|Get|List|Query|Scan|BatchGet)/;

/** A read can lose its response after AWS acted; a write is faulted only before it reaches AWS. */
function isRead(request: IncomingMessage, operation: string): boolean {
  if (request.headers['x-amz-target']) return READ.test(operation.split('.').pop() ?? '');
  return request.method === 'GET';
}

/**
 * A loopback HTTP proxy in front of the emulator that fails a seeded share of requests the ways AWS
 * does: throttling (429), 5xx, a request that never answers, a connection dropped before the request
 * reaches AWS, and, for reads, a connection dropped after AWS answered. Writes are never faulted after
 * they reached AWS, so every forwarded write is one the SDK meant to make exactly once.
 */
export async function startFaultProxy(options: FaultProxyOptions) {
  const next = random(options.seed);
  const faults: Record<Fault, number> = { throttle: 0, 'server-error': 0, timeout: 0, drop: 0, 'drop-after-response': 0 };
  const forwarded: ForwardedRequest[] = [];
  let total = 0;
  let enabled = true;
  const dropOnce = new Set<string>();
  const target = new URL(options.target);

  const forward = (incoming: IncomingMessage, body: Buffer, response: ServerResponse, operation: string, dropAfter: boolean) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const payload = Buffer.concat(chunks);
          const invocationId = String(incoming.headers['amz-sdk-invocation-id'] ?? '');
          forwarded.push({
            method: incoming.method ?? '',
            path: incoming.url ?? '',
            operation,
            status: answer.statusCode ?? 0,
            body: body.toString('utf8'),
            invocationId,
          });
          if (dropAfter) return response.socket?.destroy();
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.end(payload);
        });
      },
    );
    upstream.on('error', () => response.socket?.destroy());
    upstream.end(body);
  };

  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      total += 1;
      const body = Buffer.concat(chunks);
      const target = incoming.headers['x-amz-target'];
      const operation = typeof target === 'string' ? target : `${incoming.method ?? ''} ${(incoming.url ?? '').split('?')[0] ?? ''}`;
      const roll = next();
      const kind = next();
      const scripted = [...dropOnce].find((suffix) => operation.endsWith(suffix));
      if (scripted) {
        dropOnce.delete(scripted);
        faults['drop-after-response'] += 1;
        return forward(incoming, body, response, operation, true);
      }
      if (!enabled || roll >= options.rate) return forward(incoming, body, response, operation, false);
      const read = isRead(incoming, operation);
      const fault: Fault =
        kind < 0.3 ? 'throttle' : kind < 0.55 ? 'server-error' : kind < 0.7 ? 'timeout' : kind < 0.85 || !read ? 'drop' : 'drop-after-response';
      faults[fault] += 1;
      if (fault === 'throttle') {
        response.writeHead(429, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ThrottlingException' });
        return response.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded (injected)' }));
      }
      if (fault === 'server-error') {
        const status = kind < 0.42 ? 500 : 503;
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': status === 500 ? 'InternalFailure' : 'ServiceUnavailable',
        });
        return response.end(JSON.stringify({ __type: status === 500 ? 'InternalFailure' : 'ServiceUnavailable', message: 'injected' }));
      }
      if (fault === 'timeout') {
        // Never forwarded: the client gives up first and retries.
        setTimeout(() => response.socket?.destroy(), options.holdMs).unref();
        return undefined;
      }
      if (fault === 'drop') return response.socket?.destroy();
      return forward(incoming, body, response, operation, true);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    faults,
    forwarded,
    get total() {
      return total;
    },
    /** The next request whose operation ends with `suffix` reaches AWS, and its response is lost. */
    dropResponseOnce(suffix: string) {
      dropOnce.add(suffix);
    },
    /** Provisioning and read-back go through without faults. */
    setEnabled(value: boolean) {
      enabled = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
