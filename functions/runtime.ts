import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { clientConfig } from '../core/aws/client-config';
import type { Counters, Log } from '../core/observability';
import type { Policy } from '../core/policy/schema';

/** Powertools logger, metrics and tracer for one function, with the adapters the domain code takes. */
export function observability(serviceName: string) {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: 'Warden', serviceName });
  const tracer = new Tracer({ serviceName });
  const log: Log = {
    info: (message, attributes) => logger.info(message, { ...attributes }),
    warn: (message, attributes) => logger.warn(message, { ...attributes }),
    error: (message, attributes) => logger.error(message, { ...attributes }),
  };
  const counters: Counters = { count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value) };
  return { logger, metrics, tracer, log, counters };
}

/**
 * A Lambda handler with Powertools applied the same way everywhere, in place of a try/finally in each:
 * the log carries the invocation's context (request id, cold start), the cold start is an X-Ray
 * annotation, and metrics are flushed and per-invocation log keys cleared however the handler ends.
 * The cold start is not a metric: one per function would cost every member account and region $0.30
 * a month each, and Lambda's REPORT lines already carry each Init Duration.
 * (Powertools' middy middleware would need @middy/core, ESM-only since v5, which the tests' CommonJS
 * loader cannot require; its decorators need classes. These are the calls both make.)
 */
export function lambdaHandler<Event, Result>(
  tools: ReturnType<typeof observability>,
  handler: (event: Event, context: Context) => Promise<Result>,
): (event: Event, context: Context) => Promise<Result> {
  return async (event, context) => {
    tools.logger.addContext(context);
    // Lambda's own segment cannot be annotated: as Powertools' middleware does, trace the handler in a
    // `## <handler>` subsegment, annotated with the cold start and the service, with any error as metadata.
    const parent = tools.tracer.isTracingEnabled() ? tools.tracer.getSegment() : undefined;
    const subsegment = parent?.addNewSubsegment(`## ${process.env['_HANDLER'] ?? 'handler'}`);
    if (subsegment) {
      tools.tracer.setSegment(subsegment);
      tools.tracer.annotateColdStart();
      tools.tracer.addServiceNameAnnotation();
    }
    try {
      return await handler(event, context);
    } catch (error) {
      if (subsegment) tools.tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (parent) tools.tracer.setSegment(parent);
      tools.metrics.publishStoredMetrics();
      tools.logger.resetKeys();
    }
  };
}

/** The configuration of every SDK client in a Warden Lambda (timeouts, adaptive retries), in the function's region. */
export function lambdaClientConfig() {
  return clientConfig({ region: requiredEnv('AWS_REGION') });
}

/** What a client factory needs of Powertools' tracer. */
export type TracerOf = { captureAWSv3Client<T>(client: T): T };

/** The clients, each traced by X-Ray through Powertools: every Warden Lambda traces every AWS call the same way. */
export function tracedClients<Clients extends object>(tracer: TracerOf, clients: Clients): Clients {
  return Object.fromEntries(Object.entries(clients).map(([name, client]) => [name, tracer.captureAWSv3Client(client as object)])) as Clients;
}

/** An environment variable the stack always sets; its absence is a deployment bug. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/**
 * The policy as synth validated and resolved it (defaults applied). The bundler replaces
 * `process.env.WARDEN_POLICY_JSON` with that JSON at build time, so it is part of the code, not of the
 * function's environment, and no schema runs at cold start.
 */
export function embeddedPolicy(): Policy {
  const json = process.env.WARDEN_POLICY_JSON;
  if (!json) throw new Error('no policy was embedded at synth: WARDEN_POLICY_JSON is unset');
  return JSON.parse(json) as Policy;
}

/** The account's OU path, root first, from the StackSet parameter (comma-separated). */
export function organizationalUnits(): string[] {
  return (process.env['WARDEN_OU_PATH'] ?? '').split(',').filter((ou) => ou.length > 0);
}
