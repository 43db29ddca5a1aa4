import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** An alarm that fires as soon as the metric reaches one in a period: every Warden alarm is this shape. */
export function alarmOnAny(scope: Construct, id: string, description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** A metric the functions publish through Powertools (EMF) in the Warden namespace. */
export function wardenMetric(
  metricName: string,
  service: string,
  statistic: 'Sum' | 'Maximum',
  period: Duration = Duration.minutes(5),
): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'Warden', metricName, dimensionsMap: { service }, period, statistic });
}
