import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AUDIT_INDEXES } from '../../core/audit/audit-table';
import { secretName } from '../../core/policy/formats';
import type { Policy } from '../../core/policy/schema';
import { APPROVAL_DETAIL_TYPE, AUDIT_DETAIL_TYPE, AUDIT_SOURCE, TICKET_DETAIL_TYPE } from '../../core/events/bus-contract';
import { ApprovalsApi } from './approvals-api';
import { acknowledgeUnscoped } from './acknowledge-wildcards';
import { alarmOnAny, wardenMetric } from './alarm-on-any';
import { encryptedTable } from './encrypted-table';
import { organizationObservability } from './organization-observability';
import { WardenFunction } from './warden-function';

export interface WardenHubProps {
  readonly policy: Policy;
  /** Restricts the bus to the organization's accounts (aws:PrincipalOrgID). Absent in standalone mode. */
  readonly organizationId?: string;
}

/** Fixed names: member delivery roles trust exactly these hub roles. */
export const INTERACTIONS_ROLE_NAME = 'warden-slack-interactions';
export const TICKET_OPENER_ROLE_NAME = 'warden-ticket-opener';
export const APPROVAL_SWEEP_ROLE_NAME = 'warden-approval-sweep';

/** The hub: the event bus members report to, and the append-only audit trail. */
export class WardenHub extends Construct {
  readonly bus: events.EventBus;
  readonly auditTable: dynamodb.Table;
  readonly approvalsTable: dynamodb.Table;
  readonly key: kms.Key;
  readonly auditWriter: WardenFunction;
  /** The roles member delivery roles must trust (created only when the policy configures Slack or tickets). */
  readonly delivererRoles: iam.IRole[] = [];
  /** Their fixed names, for member templates in other accounts. */
  readonly delivererRoleNames: string[] = [];
  approvalsApi?: ApprovalsApi;

  constructor(scope: Construct, id: string, props: WardenHubProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Warden hub data: audit trail, approvals, dead letters',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
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

    this.auditTable = encryptedTable(this, 'AuditTrail', { key: this.key, partitionKey: 'pk', sortKey: 'sk', keep: true });
    for (const [indexName, keys] of Object.entries(AUDIT_INDEXES)) {
      this.auditTable.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: dynamodb.AttributeType.STRING },
      });
    }

    this.approvalsTable = encryptedTable(this, 'Approvals', {
      key: this.key,
      partitionKey: 'approvalId',
      timeToLiveAttribute: 'expiresAt',
      keep: true,
    });

    const deadLetters = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
    });
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
    const tableAndIndexes = [this.auditTable.tableArn, `${this.auditTable.tableArn}/index/*`];
    this.auditWriter = new WardenFunction(this, 'AuditWriter', {
      entry: 'audit-writer.ts',
      description: 'Warden audit writer: appends hash-chained records; never updates or deletes one',
      environment: { WARDEN_AUDIT_TABLE: this.auditTable.tableName },
      deadLetterQueue: deadLetters,
      statements: [
        // Records are put with attribute_not_exists; UpdateItem only ever touches the per-finding LATEST projection.
        new iam.PolicyStatement({
          actions: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
          resources: tableAndIndexes,
        }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] }),
      ],
    });
    acknowledgeUnscoped(this.auditWriter);
    Validations.of(this.auditWriter).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.auditTable.node.defaultChild as dynamodb.CfnTable)}.Arn>/index/*]`,
      reason: "the audit writer queries the audit table's own indexes (one per access pattern) and nothing else",
    });
    const digest = new WardenFunction(this, 'AuditDigest', {
      entry: 'audit-digest.ts',
      description: 'Warden: hourly digest chaining every moved finding head, so a finding deleted whole shows',
      environment: { WARDEN_AUDIT_TABLE: this.auditTable.tableName },
      timeout: Duration.minutes(5),
      statements: [
        // Digest items are put with attribute_not_exists, like records; the index names the moved heads.
        new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:Query'], resources: [this.auditTable.tableArn] }),
        new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${this.auditTable.tableArn}/index/byHeadPeriod`] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] }),
      ],
    });
    acknowledgeUnscoped(digest);
    new events.Rule(this, 'AuditDigestSchedule', {
      description: 'Warden: chain the last hour of the audit trail',
      schedule: events.Schedule.cron({ minute: '5' }),
      targets: [new targets.LambdaFunction(digest.function)],
    });
    new events.Rule(this, 'AuditRecords', {
      eventBus: this.bus,
      description: 'Warden audit records and approval requests from every member workflow',
      eventPattern: { source: [AUDIT_SOURCE], detailType: [AUDIT_DETAIL_TYPE, APPROVAL_DETAIL_TYPE] },
      targets: [
        new targets.LambdaFunction(this.auditWriter.function, { deadLetterQueue: deadLetters, retryAttempts: 8, maxEventAge: Duration.hours(24) }),
      ],
    });
    alarmOnAny(
      this,
      'AuditDeadLettersAlarm',
      'Audit records could not be written: the trail is incomplete until they are replayed',
      deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    );
    this.approvalFunctions(props, deadLetters);
    organizationObservability(this, { bus: this.bus, key: this.key, auditWriter: this.auditWriter });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn });
    new CfnOutput(this, 'AuditTableName', { value: this.auditTable.tableName });
  }

  /** Slack notifier and interaction API, and the ticket opener, as the policy asks for them. */
  private approvalFunctions(props: WardenHubProps, deadLetters: sqs.IQueue): void {
    const { policy, organizationId } = props;
    const secretArn = (reference: string) =>
      `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretName(reference)}-??????`;
    const readSecrets = (references: string[]) =>
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: references.map(secretArn) });
    // Member accounts' delivery roles; in an organization, only roles of the organization.
    const assumeDelivery = new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: [`arn:${Aws.PARTITION}:iam::${organizationId ? '*' : Aws.ACCOUNT_ID}:role/warden-approval-delivery-*`],
      ...(organizationId ? { conditions: { StringEquals: { 'aws:ResourceOrgID': organizationId } } } : {}),
    });
    const hubData = new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.key.keyArn] });
    const approvals = new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [this.approvalsTable.tableArn],
    });
    // What AuditStore.append needs: the finding's last record (Query, GetItem), the put, the head update.
    const appendAudit = new iam.PolicyStatement({
      actions: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
      resources: [this.auditTable.tableArn],
    });
    const slack = policy.approvals?.slack;
    if (slack) {
      const notifier = new WardenFunction(this, 'SlackNotifier', {
        entry: 'slack-notifier.ts',
        loadedOnFirstUse: ['@slack/web-api'],
        description: 'Warden: posts approval requests to Slack; the task token stays in the approvals table',
        policy,
        deadLetterQueue: deadLetters,
        environment: { WARDEN_APPROVALS_TABLE: this.approvalsTable.tableName },
        statements: [approvals, hubData, readSecrets([slack.botToken])],
      });
      acknowledgeUnscoped(notifier);
      new events.Rule(this, 'ApprovalRequests', {
        eventBus: this.bus,
        description: 'Warden approval requests from member workflows',
        eventPattern: { source: [AUDIT_SOURCE], detailType: [APPROVAL_DETAIL_TYPE] },
        targets: [new targets.LambdaFunction(notifier.function, { deadLetterQueue: deadLetters, retryAttempts: 8, maxEventAge: Duration.hours(2) })],
      });
      const interactions = new WardenFunction(this, 'SlackInteractions', {
        entry: 'slack-interactions.ts',
        loadedOnFirstUse: ['@slack/web-api'],
        description: 'Warden: verifies Slack interactions and delivers single-use approval decisions',
        roleName: INTERACTIONS_ROLE_NAME,
        policy,
        timeout: Duration.seconds(10),
        environment: { WARDEN_APPROVALS_TABLE: this.approvalsTable.tableName, WARDEN_AUDIT_TABLE: this.auditTable.tableName },
        statements: [approvals, hubData, readSecrets([slack.botToken, slack.signingSecret]), assumeDelivery, appendAudit],
      });
      acknowledgeDelivery(interactions);
      this.delivererRoles.push(interactions.role);
      this.delivererRoleNames.push(INTERACTIONS_ROLE_NAME);
      this.approvalsApi = new ApprovalsApi(this, 'ApprovalsApi', { handler: interactions });
      const monitor = new WardenFunction(this, 'ApprovalExpiryMonitor', {
        entry: 'approval-expiry-monitor.ts',
        description: 'Warden: counts approvals that expire within the hour, and completes deliveries whose lease ran out',
        roleName: APPROVAL_SWEEP_ROLE_NAME,
        timeout: Duration.minutes(2),
        environment: { WARDEN_APPROVALS_TABLE: this.approvalsTable.tableName, WARDEN_AUDIT_TABLE: this.auditTable.tableName },
        statements: [
          new iam.PolicyStatement({
            actions: ['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
            resources: [this.approvalsTable.tableArn],
          }),
          hubData,
          assumeDelivery,
          appendAudit,
        ],
      });
      acknowledgeDelivery(monitor);
      this.delivererRoles.push(monitor.role);
      this.delivererRoleNames.push(APPROVAL_SWEEP_ROLE_NAME);
      new events.Rule(this, 'ApprovalExpirySchedule', {
        description: 'Warden: check approvals nearing expiry',
        schedule: events.Schedule.rate(Duration.minutes(15)),
        targets: [new targets.LambdaFunction(monitor.function)],
      });
      alarmOnAny(
        this,
        'ApprovalsNearingExpiry',
        'Approval requests will expire within the hour without a decision (they then become tickets)',
        wardenMetric('ApprovalsNearingExpiry', 'warden-approval-expiry', 'Maximum', Duration.minutes(15)),
      );
      new CfnOutput(this, 'SlackInteractivityUrl', {
        value: this.approvalsApi.url,
        description: "Paste into the Slack app's Interactivity Request URL",
      });
    }
    const tickets = policy.tickets;
    if (tickets && tickets.provider !== 'none') {
      const credentials = [tickets.jira?.credentials, tickets.github?.token, tickets.webhook?.signingSecret].filter(
        (reference): reference is string => reference !== undefined,
      );
      const opener = new WardenFunction(this, 'TicketOpener', {
        entry: 'ticket-opener.ts',
        description: 'Warden: opens one ticket per finding (Jira, GitHub or webhook) and hands the key back',
        roleName: TICKET_OPENER_ROLE_NAME,
        policy,
        timeout: Duration.minutes(2),
        deadLetterQueue: deadLetters,
        environment: { WARDEN_APPROVALS_TABLE: this.approvalsTable.tableName, WARDEN_AUDIT_TABLE: this.auditTable.tableName },
        statements: [approvals, hubData, readSecrets(credentials), assumeDelivery, appendAudit],
      });
      acknowledgeDelivery(opener);
      this.delivererRoles.push(opener.role);
      this.delivererRoleNames.push(TICKET_OPENER_ROLE_NAME);
      new events.Rule(this, 'TicketRequests', {
        eventBus: this.bus,
        description: 'Warden ticket requests from member workflows',
        eventPattern: { source: [AUDIT_SOURCE], detailType: [TICKET_DETAIL_TYPE] },
        targets: [new targets.LambdaFunction(opener.function, { deadLetterQueue: deadLetters, retryAttempts: 8, maxEventAge: Duration.hours(6) })],
      });
      alarmOnAny(
        this,
        'TicketFailures',
        'A ticket could not be opened (recorded as TICKET_FAILED in the audit trail)',
        wardenMetric('TicketFailed', 'warden-ticket-opener', 'Sum'),
      );
    }
  }
}

/** The delivery-role wildcard: one role name per member account and region, in accounts Warden cannot list. */
function acknowledgeDelivery(fn: WardenFunction): void {
  acknowledgeUnscoped(fn);
  for (const account of ['*', '<AWS::AccountId>']) {
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::${account}:role/warden-approval-delivery-*]`,
      reason:
        'assumes only the warden-approval-delivery-<region> role of the account whose workflow waits (organization accounts only), which may only send task results to that workflow',
    });
  }
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:warden/slack-bot-??????]',
    reason: 'Secrets Manager appends a random 6-character suffix to secret ARNs; this matches exactly one named secret',
  });
}
