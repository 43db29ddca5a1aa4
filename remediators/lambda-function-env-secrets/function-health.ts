import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { HealthReport, HealthWindow } from '../remediator';

/*
 * A function's health across a phase of the secret migration: its error rate (Errors per Invocations,
 * the AWS/Lambda metrics of all its versions) since the phase, against as long a time before it. Warden
 * never invokes the function itself: it judges what the function's own callers saw.
 */

const DAY = 86_400;

/** A period that keeps each window under 1,440 datapoints per metric (one GetMetricData page holds them all). */
function periodFor(seconds: number): number {
  return Math.max(60, Math.ceil(seconds / 1440 / 60) * 60);
}

async function windowOf(cloudwatch: CloudWatchClient, functionName: string, from: Date, to: Date): Promise<HealthWindow> {
  const period = periodFor((to.getTime() - from.getTime()) / 1000);
  const query = (id: string, metric: string): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: functionName }] },
      Period: period,
      Stat: 'Sum',
    },
  });
  const sums: Record<string, number> = { errors: 0, invocations: 0 };
  let nextToken: string | undefined;
  do {
    const page = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: from,
        EndTime: to,
        MetricDataQueries: [query('errors', 'Errors'), query('invocations', 'Invocations')],
        NextToken: nextToken,
      }),
    );
    for (const result of page.MetricDataResults ?? [])
      if (result.Id) sums[result.Id] = (sums[result.Id] ?? 0) + (result.Values ?? []).reduce((sum, value) => sum + value, 0);
    nextToken = page.NextToken;
  } while (nextToken);
  return { from: from.toISOString(), to: to.toISOString(), invocations: sums['invocations'] ?? 0, errors: sums['errors'] ?? 0 };
}

const rate = (window: HealthWindow) => (window.invocations > 0 ? window.errors / window.invocations : 0);
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/**
 * Healthy unless errors came after `since` at a rate more than `maxRise` above the rate before it. A
 * function nobody invoked since shows no harm, and the report says so: there was nothing to judge.
 */
export async function functionHealth(
  cloudwatch: CloudWatchClient,
  functionName: string,
  since: Date,
  now: Date,
  maxRise: number,
): Promise<HealthReport> {
  // At least a minute each (CloudWatch refuses an empty range; Lambda's metrics are per minute), at most 30 days.
  const length = Math.min(Math.max(now.getTime() - since.getTime(), 60_000), 30 * DAY * 1000);
  const [before, after] = await Promise.all([
    windowOf(cloudwatch, functionName, new Date(since.getTime() - length), since),
    windowOf(cloudwatch, functionName, since, new Date(since.getTime() + length)),
  ]);
  if (after.invocations === 0)
    return { healthy: true, reason: `not invoked since ${since.toISOString()}: no errors to judge, and none seen`, before, after };
  const rise = rate(after) - rate(before);
  const healthy = after.errors === 0 || rise <= maxRise;
  const rates = `error rate ${percent(rate(after))} since ${since.toISOString()} (${after.errors} of ${after.invocations} invocations), ${percent(rate(before))} before (${before.errors} of ${before.invocations})`;
  return {
    healthy,
    reason: healthy ? `healthy: ${rates}` : `errors rose by ${percent(rise)}, more than the ${percent(maxRise)} the policy allows: ${rates}`,
    before,
    after,
  };
}
