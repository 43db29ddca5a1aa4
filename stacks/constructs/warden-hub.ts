import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AUDIT_INDEXES } from '../../core/audit/audit-table';
import { APPROVAL_DETAIL_TYPE, AUDIT_DETAIL_TYPE, AUDIT_SOURCE } from '../../statemachines/audit-states';
import { acknowledgeUnscoped } from './acknowledge-wildcards';
import { WardenFunction } from './warden-function';

export interface WardenHubProps {
  /** Restricts the bus to the organization's accounts (aws:PrincipalOrgID). Absent in standalone mode. */
  readonly organizationId?: string;
}

/** The hub: the event bus members report to, and the append-only audit trail. */
export class WardenHub extends Construct {
  readonly bus: events.EventBus;
  readonly auditTable: dynamodb.Table;
  readonly approvalsTable: dynamodb.Table;
  readonly key: kms.Key;
  readonly auditWriter: WardenFunction;

  constructor(scope: Construct, id: string, props: WardenHubProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', { description: 'Warden hub data: audit trail, approvals, dead letters', enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: 'warden-hub' });
    if (props.organizationId) {
      this.bus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'OrganizationMembersPutEvents',
          principals: [new iam.AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
        }),
      );
    }

    this.auditTable = new dynamodb.Table(this, 'AuditTrail', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [indexName, keys] of Object.entries(AUDIT_INDEXES)) {
      this.auditTable.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: dynamodb.AttributeType.STRING },
      });
    }

    this.approvalsTable = new dynamodb.Table(this, 'Approvals', {
      partitionKey: { name: 'approvalId', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const deadLetters = new sqs.Queue(this, 'DeadLetters', { retentionPeriod: Duration.days(14), encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.key, enforceSSL: true });
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
    const tableAndIndexes = [this.auditTable.tableArn, `${this.auditTable.tableArn}/index/*`];
    this.auditWriter = new WardenFunction(this, 'AuditWriter', {
      entry: 'audit-writer.ts',
      description: 'Warden audit writer: appends hash-chained records; never updates or deletes one',
      environment: { WARDEN_AUDIT_TABLE: this.auditTable.tableName },
      deadLetterQueue: deadLetters,
      statements: [
        // Records are put with attribute_not_exists; UpdateItem only ever touches the per-finding LATEST projection.
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: tableAndIndexes }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] }),
      ],
    });
    acknowledgeUnscoped(this.auditWriter);
    Validations.of(this.auditWriter).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.auditTable.node.defaultChild as dynamodb.CfnTable)}.Arn>/index/*]`,
      reason: 'the audit writer queries the audit table\'s own indexes (one per access pattern) and nothing else',
    });
    new events.Rule(this, 'AuditRecords', {
      eventBus: this.bus,
      description: 'Warden audit records and approval requests from every member workflow',
      eventPattern: { source: [AUDIT_SOURCE], detailType: [AUDIT_DETAIL_TYPE, APPROVAL_DETAIL_TYPE] },
      targets: [new targets.LambdaFunction(this.auditWriter.function, { deadLetterQueue: deadLetters, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
    new cloudwatch.Alarm(this, 'AuditDeadLetters', {
      alarmDescription: 'Audit records could not be written: the trail is incomplete until they are replayed',
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn });
    new CfnOutput(this, 'AuditTableName', { value: this.auditTable.tableName });
  }
}
