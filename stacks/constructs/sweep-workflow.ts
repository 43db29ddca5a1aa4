import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CATALOGUE, type CheckId } from '../../core/catalogue';
import { buildSweepDefinition, SWEEP_STATE_MACHINE_NAME } from '../../statemachines/sweep-workflow';
import { acknowledgeUnscoped } from './acknowledge-wildcards';
import type { WardenFunction } from './warden-function';

export interface SweepWorkflowProps {
  readonly detectors: Readonly<Record<CheckId, WardenFunction>>;
  /** Where an incomplete sweep is reported (on to the hub). */
  readonly eventBusArn: string;
  readonly logGroup: logs.ILogGroup;
  /** What EventBridge could not start. */
  readonly deadLetterQueue: sqs.IQueue;
}

/** The daily sweep of a member account and region: a Standard workflow over every check's detector (statemachines/sweep-workflow.ts). */
export class SweepWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: SweepWorkflowProps) {
    super(scope, id);
    const detectorArns = Object.fromEntries(CATALOGUE.map((check) => [check.id, props.detectors[check.id].function.functionArn])) as Record<
      CheckId,
      string
    >;
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com'), description: 'Warden daily sweep' });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: Object.values(detectorArns) }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.eventBusArn] }));
    const definition = buildSweepDefinition({ partition: Aws.PARTITION, eventBusArn: props.eventBusArn, detectorFunctionArns: detectorArns });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: SWEEP_STATE_MACHINE_NAME,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      role,
      // A step retried three times, for each of a dozen checks, each within its detector's 10 minutes.
      timeout: Duration.hours(12),
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeUnscoped(role);
    // 03:17 UTC: off the hour, when scheduled jobs of the account's own tooling crowd the same APIs.
    new events.Rule(this, 'Daily', {
      description: 'Warden: the daily sweep of every check in this account and region',
      schedule: events.Schedule.cron({ minute: '17', hour: '3' }),
      targets: [
        new targets.SfnStateMachine(this.stateMachine, { deadLetterQueue: props.deadLetterQueue, retryAttempts: 4, maxEventAge: Duration.hours(2) }),
      ],
    });
  }
}
