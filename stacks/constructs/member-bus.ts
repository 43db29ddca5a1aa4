import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AUDIT_SOURCE, INVOCATION_FAILURE_PATTERN } from '../../core/events/bus-contract';

/**
 * An organization member's bus, whose rules forward to the hub bus what the hub must see: Warden's own
 * events (audit records, approval and ticket requests, incomplete sweeps) and its detectors' failed
 * invocations. What EventBridge cannot deliver goes to `deadLetters`. Returns the bus's ARN.
 */
export function memberBus(scope: Construct, hubBusArn: string, deadLetters: sqs.IQueue): string {
  const bus = new events.EventBus(scope, 'MemberBus', { eventBusName: 'warden-member' });
  const hubBus = events.EventBus.fromEventBusArn(scope, 'HubBus', hubBusArn);
  new events.Rule(scope, 'ForwardToHub', {
    eventBus: bus,
    description: 'Forward audit records, approval and ticket requests, incomplete sweeps to the Warden hub',
    eventPattern: { source: [AUDIT_SOURCE] },
    targets: [new targets.EventBus(hubBus, { deadLetterQueue: deadLetters })],
  });
  new events.Rule(scope, 'ForwardFailuresToHub', {
    eventBus: bus,
    description: "Forward Warden detectors' failed invocations (after Lambda's retries) to the Warden hub",
    eventPattern: { source: [...INVOCATION_FAILURE_PATTERN.source], detailType: [...INVOCATION_FAILURE_PATTERN.detailType] },
    targets: [new targets.EventBus(hubBus, { deadLetterQueue: deadLetters })],
  });
  return bus.eventBusArn;
}
