import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CATALOGUE, type CheckId } from '../../core/catalogue';
import { cloudTrailPattern, configPattern, REMEDIATOR_ROLE_PREFIX } from '../../core/events/event-patterns';
import type { Policy } from '../../core/policy/schema';
import { COUNTER_TABLE_EXPORT } from '../../detectors/accepted-risks';
import { buildWorkflowDefinition } from '../../statemachines/remediation-workflow';
import { acknowledgeCatalogueWildcards, acknowledgeStackReads, acknowledgeUnscoped } from './acknowledge-wildcards';
import type { BaselineWebAcl } from './baseline-web-acl';
import { catalogueStatements } from './catalogue-policy';
import { writeCheckEntry } from './check-entries';
import { encryptedTable } from './encrypted-table';
import { memberBus } from './member-bus';
import { memberKey } from './member-key';
import { memberBaselineWebAcl } from './member-web-acl';
import { policyPermissionsOf } from './policy-sections';
import { SweepWorkflow } from './sweep-workflow';
import { WardenFunction } from './warden-function';

export interface WardenMemberProps {
  readonly policy: Policy;
  /**
   * Standalone: the hub's bus in this account, which the workflow writes to directly. Organization:
   * absent, and the workflow writes to a member bus whose rule forwards to `forwardToHubBusArn`
   * (EventBridge delivers across accounts and regions; a direct PutEvents could not cross regions).
   */
  readonly eventBusArn?: string;
  readonly forwardToHubBusArn?: string;
  /** Comma-separated OU path of the account, root first (a StackSet parameter). */
  readonly organizationalUnitPath: string;
  /** The hub roles that deliver approval decisions and ticket keys; only they may assume the delivery role. */
  readonly delivererRoleArns?: readonly string[];
}

export const STATE_MACHINE_NAME = 'warden-remediation';

/** Every resource Warden needs in one member account and region. */
export class WardenMember extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** The daily sweep of every check, paged through the detectors. */
  readonly sweep: SweepWorkflow;
  readonly detectors: Record<CheckId, WardenFunction>;
  readonly remediators: Record<CheckId, WardenFunction>;
  /** Warden's key in this account and region: only when the policy's member.encryption is customer-managed. */
  readonly key: kms.Key | undefined;
  /** The baseline web ACL, where some section of the policy asks for it (in every region, or under a region condition). */
  readonly baselineWebAcl: BaselineWebAcl | undefined;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: WardenMemberProps) {
    super(scope, id);
    this.key = props.policy.member.encryption === 'customer-managed' ? memberKey(this) : undefined;
    // What EventBridge could not deliver after its retries (to a detector, or on to the hub). Without a
    // Warden key, SSE-SQS: EventBridge delivers to it with no key policy. No alarm watches it here (one
    // would cost every member by the month); the daily sweep finds again what a lost event was about.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      ...(this.key ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.key } : { encryption: sqs.QueueEncryption.SQS_MANAGED }),
      enforceSSL: true,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "it is a dead-letter queue: EventBridge rule targets' DeadLetterConfig names it, which cdk-nag does not see",
    });
    if (this.key) this.key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
    // The data Warden's own functions read and write under the key: nothing to grant without one (an AWS
    // managed key's policy lets every principal of the account use it through its service).
    const useKey = this.key ? [new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] })] : [];

    const counters = encryptedTable(this, 'BlastRadius', {
      ...(this.key ? { key: this.key } : {}),
      partitionKey: 'pk',
      timeToLiveAttribute: 'expiresAt',
      keep: false,
    });

    const eventBusArn = props.eventBusArn ?? (props.forwardToHubBusArn && memberBus(this, props.forwardToHubBusArn, this.deadLetterQueue));
    if (!eventBusArn) throw new Error('WardenMember needs eventBusArn (standalone) or forwardToHubBusArn (organization)');
    // The bus the workflow writes to: detectors' failed invocations go there too, on to the hub.
    const workflowBus = events.EventBus.fromEventBusArn(this, 'WorkflowBus', eventBusArn);

    const baseline = memberBaselineWebAcl(this, props.policy);
    this.baselineWebAcl = baseline?.acl;
    const baselineArn = baseline?.arn;

    const stateMachineArn = `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${STATE_MACHINE_NAME}`;
    this.remediators = {} as Record<CheckId, WardenFunction>;
    this.detectors = {} as Record<CheckId, WardenFunction>;
    for (const check of CATALOGUE) {
      const remediatorStatements = [
        ...catalogueStatements(check.permissions.remediate),
        ...catalogueStatements(check.permissions.detect),
        ...catalogueStatements(policyPermissionsOf(check, props.policy)),
      ];
      const keyUse = 'memberKey' in check ? check.memberKey : undefined;
      if (keyUse && this.key)
        remediatorStatements.push(new iam.PolicyStatement({ actions: [...keyUse.remediatorActions], resources: [this.key.keyArn] }));
      // The undo of each fix, kept in the counters table for a retried invocation (remediators/applied-fixes.ts).
      remediatorStatements.push(
        new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [counters.tableArn] }),
        ...useKey,
      );
      const remediator = new WardenFunction(this, `Remediator-${check.id}`, {
        entry: writeCheckEntry(check, 'remediator'),
        description: `Warden remediator for ${check.id}: ${check.fix}`.slice(0, 256),
        roleName: Fn.join('', [REMEDIATOR_ROLE_PREFIX, check.id, '-', Aws.REGION]),
        statements: remediatorStatements,
        timeout: Duration.minutes(5),
        environment: { ...(baselineArn ? { WARDEN_BASELINE_WEB_ACL_ARN: baselineArn } : {}), WARDEN_COUNTER_TABLE: counters.tableName },
      });
      acknowledgeCatalogueWildcards(remediator, check.id, [
        ...check.permissions.remediate,
        ...check.permissions.detect,
        ...policyPermissionsOf(check, props.policy),
      ]);
      this.remediators[check.id] = remediator;
      const detector = new WardenFunction(this, `Detector-${check.id}`, {
        entry: writeCheckEntry(check, 'detector'),
        description: `Warden detector for ${check.id} (read-only)`,
        statements: [
          ...catalogueStatements(check.permissions.detect),
          new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }),
          // Finding episodes (UpdateItem) and accepted risks (GetItem) live in the counter table.
          new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [counters.tableArn] }),
          // Which stack manages a finding's resource (its next deploy would revert a fix): read-only.
          new iam.PolicyStatement({
            actions: ['cloudformation:DescribeStackResource', 'cloudformation:DescribeStackResources'],
            resources: [`arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stack/*/*`],
          }),
          ...useKey,
        ],
        timeout: Duration.minutes(10),
        policy: props.policy,
        onFailure: workflowBus,
        environment: {
          WARDEN_STATE_MACHINE_ARN: stateMachineArn,
          WARDEN_COUNTER_TABLE: counters.tableName,
          WARDEN_OU_PATH: props.organizationalUnitPath,
        },
      });
      acknowledgeCatalogueWildcards(detector, check.id, check.permissions.detect);
      acknowledgeStackReads(detector);
      this.detectors[check.id] = detector;
      const target = new targets.LambdaFunction(detector.function, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 4,
        maxEventAge: Duration.hours(2),
      });
      new events.Rule(this, `CloudTrail-${check.id}`, {
        description: `Warden ${check.id}: CloudTrail calls`,
        eventPattern: cloudTrailPattern(check),
        targets: [target],
      });
      new events.Rule(this, `Config-${check.id}`, {
        description: `Warden ${check.id}: AWS Config item changes`,
        eventPattern: configPattern(check),
        targets: [target],
      });
    }

    const workflowLogs = new logs.LogGroup(this, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const definition = buildWorkflowDefinition({
      partition: Aws.PARTITION,
      eventBusArn,
      counterTableName: counters.tableName,
      remediatorFunctionArns: Object.fromEntries(CATALOGUE.map((check) => [check.id, this.remediators[check.id].function.functionArn])) as Record<
        CheckId,
        string
      >,
    });
    this.sweep = new SweepWorkflow(this, 'Sweep', {
      detectors: this.detectors,
      eventBusArn,
      logGroup: workflowLogs,
      deadLetterQueue: this.deadLetterQueue,
    });
    const role = new iam.Role(this, 'WorkflowRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: 'Warden remediation workflow',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [eventBusArn] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [counters.tableArn] }));
    for (const statement of useKey) role.addToPolicy(statement);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: CATALOGUE.map((check) => this.remediators[check.id].function.functionArn),
      }),
    );
    this.stateMachine = new sfn.StateMachine(this, 'Workflow', {
      stateMachineName: STATE_MACHINE_NAME,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(Stack.of(this).toJsonString(definition)),
      role,
      tracingEnabled: true,
      logs: { destination: workflowLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeUnscoped(role);

    if (props.delivererRoleArns && props.delivererRoleArns.length > 0) {
      const delivery = new iam.Role(this, 'ApprovalDelivery', {
        roleName: Fn.join('', ['warden-approval-delivery-', Aws.REGION]),
        assumedBy: new iam.CompositePrincipal(...props.delivererRoleArns.map((arn) => new iam.ArnPrincipal(arn))),
        description: "Lets only the hub's Slack interaction handler and ticket opener send task results to Warden's workflow in this account",
      });
      // SendTask* have no resource-level permissions; the role's trust (two hub roles) is the boundary.
      delivery.addToPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: ['*'] }));
      acknowledgeUnscoped(delivery);
    }

    // No alarm or dashboard here: each costs every member account and region by the month. The hub
    // watches the organization from what members forward (failed remediations are FAILED audit
    // records; detector invocations that failed are forwarded as Lambda failure events).
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
    if (this.baselineWebAcl) {
      const output = new CfnOutput(this, 'BaselineWebAclArn', { value: this.baselineWebAcl.webAcl.attrArn });
      if (this.baselineWebAcl.webAcl.cfnOptions.condition) output.condition = this.baselineWebAcl.webAcl.cfnOptions.condition;
    }
    // `warden undo` records an accepted risk here; the export name is unique per account and region.
    new CfnOutput(this, 'CounterTableName', { value: counters.tableName, exportName: COUNTER_TABLE_EXPORT });
  }
}
