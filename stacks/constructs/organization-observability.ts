import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AUDIT_WRITER_SERVICE } from '../../core/audit/audit-writer';
import { AUDIT_SOURCE, INVOCATION_FAILURE_PATTERN, SWEEP_INCOMPLETE_DETAIL_TYPE, type TerminalState } from '../../core/events/bus-contract';
import { alarmOnAny, wardenMetric } from './alarm-on-any';
import type { WardenFunction } from './warden-function';

const FAILED_STATE: TerminalState = 'FAILED';

/**
 * The organization's view, from what every member forwards: one dashboard (records by account,
 * region, check and state, from the audit writer's log; failed remediations and member detector
 * failures over time) and the alarms that used to be per member, once for all of them.
 */
export function organizationObservability(scope: Construct, hub: { bus: events.IEventBus; key: kms.IKey; auditWriter: WardenFunction }): void {
  const memberFailures = new sqs.Queue(scope, 'MemberFailures', {
    retentionPeriod: Duration.days(14),
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: hub.key,
    enforceSSL: true,
  });
  Validations.of(memberFailures).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      "the end of the line for members' failed detector invocations and incomplete sweeps (each one a dead letter), kept for an operator to read and replay",
  });
  new events.Rule(scope, 'MemberInvocationFailures', {
    eventBus: hub.bus,
    description: "Warden detectors' failed invocations (after Lambda's retries) in every member account and region",
    eventPattern: { source: [...INVOCATION_FAILURE_PATTERN.source], detailType: [...INVOCATION_FAILURE_PATTERN.detailType] },
    targets: [new targets.SqsQueue(memberFailures)],
  });
  new events.Rule(scope, 'MemberSweepsIncomplete', {
    eventBus: hub.bus,
    description: 'Warden daily sweeps that left a check incomplete, in every member account and region',
    eventPattern: { source: [AUDIT_SOURCE], detailType: [SWEEP_INCOMPLETE_DETAIL_TYPE] },
    targets: [new targets.SqsQueue(memberFailures)],
  });
  const failuresWaiting = memberFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
  alarmOnAny(
    scope,
    'MemberFailuresAlarm',
    'A Warden detector in a member account failed on an event after retries, or a sweep left a check incomplete: the event, its account and region are in the member-failures queue',
    failuresWaiting,
  );
  const failed = wardenMetric(`Recorded${FAILED_STATE}`, AUDIT_WRITER_SERVICE, 'Sum');
  alarmOnAny(scope, 'FailedRemediations', 'Warden remediations failed in a member account (each is recorded as FAILED and ticketed)', failed);
  const byState = ['REMEDIATED', 'APPROVAL_REQUESTED', 'TICKETED', 'REPORTED', FAILED_STATE].map((state) =>
    wardenMetric(`Recorded${state}`, AUDIT_WRITER_SERVICE, 'Sum', Duration.hours(1)).with({ label: state }),
  );
  new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: 'warden-organization',
    widgets: [
      [
        new cloudwatch.GraphWidget({ title: 'Audit records by state (all members)', left: byState, width: 12 }),
        new cloudwatch.GraphWidget({ title: 'Member detector failures waiting', left: [failuresWaiting], width: 6 }),
        new cloudwatch.SingleValueWidget({ title: 'Failed remediations (5 min)', metrics: [failed], width: 6 }),
      ],
      [
        new cloudwatch.LogQueryWidget({
          title: 'Audit records by account, region, check and state (the dashboard period)',
          logGroupNames: [hub.auditWriter.logGroup.logGroupName],
          view: cloudwatch.LogQueryVisualizationType.TABLE,
          queryLines: [
            "filter message = 'audit record appended'",
            'stats count(*) as records by account, region, check, state',
            'sort records desc',
            'limit 100',
          ],
          width: 24,
          height: 8,
        }),
      ],
    ],
  });
}
