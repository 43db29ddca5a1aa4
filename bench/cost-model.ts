import { CATALOGUE } from '../core/catalogue';
import type { Mode } from '../core/catalogue';
import type { PathCounts } from './workflow';

/** A list price: what one unit costs, the unit, and the page it is published on. */
interface Price {
  readonly usd: number;
  readonly per: string;
  readonly source: string;
}

/**
 * Public AWS list prices, us-east-1, as published in November 2025 (the last time they were checked
 * against the pages named). Update this table, and its date, when AWS changes them; nothing else in
 * the model hard-codes a price.
 */
export const PRICES = {
  asOf: '2025-11 (us-east-1 list prices)',
  lambdaRequests: { usd: 0.2, per: 'million requests', source: 'https://aws.amazon.com/lambda/pricing/' },
  lambdaArmCompute: { usd: 0.0000133334, per: 'GB-second (arm64)', source: 'https://aws.amazon.com/lambda/pricing/' },
  stepFunctionsTransitions: { usd: 0.025, per: 'thousand state transitions (Standard)', source: 'https://aws.amazon.com/step-functions/pricing/' },
  eventBridgeEvents: { usd: 1.0, per: 'million custom or cross-account events', source: 'https://aws.amazon.com/eventbridge/pricing/' },
  dynamodbWrites: { usd: 0.625, per: 'million write request units (on-demand)', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  dynamodbReads: { usd: 0.125, per: 'million read request units (on-demand)', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  dynamodbStorage: { usd: 0.25, per: 'GB-month', source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/' },
  kmsKey: { usd: 1.0, per: 'customer managed key-month (+$1 for each of the first two rotations)', source: 'https://aws.amazon.com/kms/pricing/' },
  kmsRequests: { usd: 0.03, per: 'ten thousand requests', source: 'https://aws.amazon.com/kms/pricing/' },
  wafWebAcl: { usd: 5.0, per: 'web ACL-month', source: 'https://aws.amazon.com/waf/pricing/' },
  wafRule: { usd: 1.0, per: 'rule or rule group-month', source: 'https://aws.amazon.com/waf/pricing/' },
  wafRequests: { usd: 0.6, per: 'million requests inspected', source: 'https://aws.amazon.com/waf/pricing/' },
  cloudwatchAlarm: { usd: 0.1, per: 'standard alarm-month', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  cloudwatchDashboard: { usd: 3.0, per: 'dashboard-month beyond 3 per account', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  cloudwatchMetric: {
    usd: 0.3,
    per: 'custom metric-month (first 10,000), prorated by the hour a metric receives data',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
  logsIngestion: { usd: 0.5, per: 'GB ingested', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  logsStorage: { usd: 0.03, per: 'GB-month stored', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  xrayTraces: { usd: 5.0, per: 'million traces recorded (beyond the free 100,000)', source: 'https://aws.amazon.com/xray/pricing/' },
  secret: { usd: 0.4, per: 'secret-month', source: 'https://aws.amazon.com/secrets-manager/pricing/' },
  configItems: { usd: 0.003, per: 'configuration item recorded (continuous)', source: 'https://aws.amazon.com/config/pricing/' },
  apiGatewayRequests: { usd: 3.5, per: 'million REST API requests', source: 'https://aws.amazon.com/api-gateway/pricing/' },
} as const satisfies Readonly<Record<string, Price | string>>;

const HOURS_A_MONTH = 730;
/** States the hub's audit writer counts as metrics (Recorded<STATE>) that occur on the modelled paths. */
const HUB_RECORDED_STATES = 8;

/** The workload the model prices: per member account and region, per month. */
export const WORKLOAD = {
  cloudTrailEvents: 1_000,
  configItemChanges: 1_000,
  /** The daily sweep: one execution of the sweep workflow a day, a detector step per check. */
  sweepsPerCheck: 30,
  checks: CATALOGUE.length,
  findings: { auto: 10, approval: 4, ticket: 4, report: 2 } satisfies Record<Mode, number>,
  /** Of the findings, secrets moved to Secrets Manager (each costs every month after, cumulatively). */
  migratedSecrets: 2,
  detectorMsPerEvent: 300,
  sweepMsPerRun: 5_000,
  remediatorMsPerInvocation: 1_500,
  memoryGb: 0.25,
  logBytesPerInvocation: 1_500,
  /** CloudWatch Logs retention of Warden's log groups (one year): storage at steady state. */
  logRetentionMonths: 12,
  /** Requests the baseline web ACL inspects: the customer's own API traffic, not Warden's. */
  wafInspectedRequestsMillions: 1,
} as const;

/** What the synthesized templates deploy, counted (bench/deployed-counts.ts reads them from cdk.out). */
export interface DeployedCounts {
  readonly memberFunctions: number;
  readonly memberKeys: number;
  readonly memberAlarms: number;
  readonly memberDashboards: number;
  readonly memberWebAcls: number;
  readonly memberWebAclRules: number;
  readonly hubFunctions: number;
  readonly hubKeys: number;
  readonly hubAlarms: number;
  readonly hubDashboards: number;
  readonly hubWebAcls: number;
  readonly hubWebAclRules: number;
}

export interface CostItem {
  readonly scope: 'member' | 'hub';
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usd: number;
  /** Charged only in some accounts, and when: the total counts it only when `counted`. */
  readonly when?: string;
  readonly counted: boolean;
  readonly source: string;
}

const line = (scope: CostItem['scope'], item: string, quantity: number, price: Price, perUnits = 1, when?: string): CostItem => ({
  scope,
  item,
  quantity,
  unit: price.per,
  usd: (quantity / perUnits) * price.usd,
  ...(when ? { when } : {}),
  counted: when === undefined,
  source: price.source,
});

/**
 * Monthly cost of the workload: per member account and region, every item the member stack incurs
 * (conditional ones listed with when they apply), and the hub's fixed cost for the organisation apart.
 * `deployed` counts what a policy of defaults deploys; `optIn`, what config/policy.yaml's choices add
 * (a member key, the baseline web ACL), priced as conditional where the defaults have none.
 */
export function costModel(counts: Record<Mode, PathCounts>, sweepTransitions: number, deployed: DeployedCounts, optIn: DeployedCounts) {
  const w = WORKLOAD;
  const findings = Object.entries(w.findings) as [Mode, number][];
  const findingCount = findings.reduce((total, [, n]) => total + n, 0);
  const sum = (pick: (c: PathCounts) => number) => findings.reduce((total, [mode, n]) => total + n * pick(counts[mode]), 0);
  const detectorInvocations = w.cloudTrailEvents + w.configItemChanges + w.sweepsPerCheck * w.checks;
  const remediatorInvocations = sum((c) => c.remediatorInvocations);
  const auditRecords = sum((c) => c.auditRecords);
  const memberInvocations = detectorInvocations + remediatorInvocations;
  const gbSeconds =
    (((w.cloudTrailEvents + w.configItemChanges) * w.detectorMsPerEvent +
      w.sweepsPerCheck * w.checks * w.sweepMsPerRun +
      remediatorInvocations * w.remediatorMsPerInvocation) /
      1000) *
    w.memoryGb;
  const transitions = sum((c) => c.transitions) + w.sweepsPerCheck * sweepTransitions;
  // Each event is put on the member bus and delivered once more to the hub bus (cross-account).
  const events = sum((c) => c.events) * 2;
  // Per finding: the episode's UpdateItem and the counter; accepted risks and re-breaks are read.
  const counterWrites = findingCount + sum((c) => c.counterWrites);
  const counterReads = findingCount * 2;
  const logGb = (memberInvocations * w.logBytesPerInvocation) / 1e9;
  // Custom metrics are charged by the hour they receive data (730 hours a month). No function publishes
  // a cold start metric; each check's two finding counts (started, duplicate) get data in the hours it
  // finds something. (The other counts, malformed or foreign events, access denied, are rare.)
  const hours = (invocations: number) => Math.min(HOURS_A_MONTH, invocations);
  const metrics = (w.checks * 2 * hours(findingCount / w.checks)) / HOURS_A_MONTH;
  const optional = (when: string, counted: number, ifAsked: number) => ({
    quantity: counted > 0 ? counted : ifAsked,
    when: counted > 0 ? undefined : when,
  });
  const memberKey = optional('the policy sets member.encryption: customer-managed', deployed.memberKeys, optIn.memberKeys);
  const webAcl = optional('the policy names webAcl: baseline for the region', deployed.memberWebAcls, optIn.memberWebAcls);
  const webAclRules = optional('the policy names webAcl: baseline for the region', deployed.memberWebAclRules, optIn.memberWebAclRules);
  const member: CostItem[] = [
    line('member', 'Lambda requests', memberInvocations, PRICES.lambdaRequests, 1e6),
    line('member', 'Lambda compute', gbSeconds, PRICES.lambdaArmCompute),
    line('member', 'Step Functions state transitions (remediations, and the daily sweep)', transitions, PRICES.stepFunctionsTransitions, 1000),
    line('member', 'EventBridge events (member bus, and on to the hub)', events, PRICES.eventBridgeEvents, 1e6),
    line('member', 'DynamoDB writes (counters)', counterWrites, PRICES.dynamodbWrites, 1e6),
    line('member', 'DynamoDB reads (counters)', counterReads, PRICES.dynamodbReads, 1e6),
    line('member', 'KMS customer managed key (the member key)', memberKey.quantity, PRICES.kmsKey, 1, memberKey.when),
    // By default the counters table is under the AWS managed key aws/dynamodb (no monthly fee, requests
    // charged; DynamoDB caches its data keys, so this overstates them); the dead letters are under SSE-SQS
    // and the bus under an AWS owned key, which cost nothing.
    line('member', 'KMS requests (DynamoDB use of aws/dynamodb for the counters table)', counterWrites + counterReads, PRICES.kmsRequests, 10_000),
    line('member', 'CloudWatch alarms', deployed.memberAlarms, PRICES.cloudwatchAlarm),
    line('member', 'CloudWatch custom metrics (findings per check), metric-months', metrics, PRICES.cloudwatchMetric),
    line('member', 'CloudWatch Logs ingestion', logGb, PRICES.logsIngestion),
    line('member', 'CloudWatch Logs storage (one-year retention, steady state)', logGb * w.logRetentionMonths, PRICES.logsStorage),
    line(
      'member',
      'CloudWatch dashboard (per region)',
      deployed.memberDashboards,
      PRICES.cloudwatchDashboard,
      1,
      'the account already has 3 dashboards',
    ),
    line('member', 'X-Ray traces (tracing active)', memberInvocations, PRICES.xrayTraces, 1e6, "the account's own traces use up the free 100,000"),
    line('member', 'WAF baseline web ACL', webAcl.quantity, PRICES.wafWebAcl, 1, webAcl.when),
    line('member', 'WAF baseline rules', webAclRules.quantity, PRICES.wafRule, 1, webAclRules.when),
    line(
      'member',
      'WAF requests inspected (the API traffic of the stages it protects)',
      w.wafInspectedRequestsMillions * 1e6,
      PRICES.wafRequests,
      1e6,
      'webAcl is baseline; per million requests of the stages',
    ),
    line(
      'member',
      'Secrets Manager, secrets migrated this month',
      w.migratedSecrets,
      PRICES.secret,
      1,
      'cumulative: every migrated secret costs this every month after',
    ),
    line(
      'member',
      'AWS Config recording of the changes Warden listens to',
      w.configItemChanges,
      PRICES.configItems,
      1,
      'Warden is the reason Config records (else already paid)',
    ),
  ];
  const hubAcl = optional('the policy configures approvals.slack (its API is WAF-protected)', deployed.hubWebAcls, optIn.hubWebAcls);
  const hubAclRules = optional('the policy configures approvals.slack (its API is WAF-protected)', deployed.hubWebAclRules, optIn.hubWebAclRules);
  const hubLogGb = (auditRecords * 2 * w.logBytesPerInvocation) / 1e9;
  const hub: CostItem[] = [
    line('hub', 'KMS customer managed key (the hub key)', deployed.hubKeys, PRICES.kmsKey),
    line('hub', 'CloudWatch alarms', deployed.hubAlarms, PRICES.cloudwatchAlarm),
    line('hub', 'CloudWatch dashboards', deployed.hubDashboards, PRICES.cloudwatchDashboard, 1, 'the hub account already has 3 dashboards'),
    line('hub', 'WAF web ACL of the approval API', hubAcl.quantity, PRICES.wafWebAcl, 1, hubAcl.when),
    line('hub', 'WAF rules of the approval API', hubAclRules.quantity, PRICES.wafRule, 1, hubAclRules.when),
    // Upper bound: a count per function, and the audit writer's one per recorded state, every hour.
    line(
      'hub',
      'CloudWatch custom metrics (a count per function, the audit records by state), metric-months for the organisation (upper bound)',
      deployed.hubFunctions + HUB_RECORDED_STATES,
      PRICES.cloudwatchMetric,
    ),
    line('hub', 'CloudWatch Logs ingestion (per member of the workload)', hubLogGb, PRICES.logsIngestion),
    line('hub', 'DynamoDB writes (audit trail, per member of the workload)', auditRecords * 2, PRICES.dynamodbWrites, 1e6),
    line('hub', 'API Gateway requests (approvals, per member of the workload)', w.findings.approval * 2, PRICES.apiGatewayRequests, 1e6),
  ];
  const total = (items: readonly CostItem[]) => items.filter((item) => item.counted).reduce((sum, item) => sum + item.usd, 0);
  const conditional = (items: readonly CostItem[]) => items.filter((item) => !item.counted).reduce((sum, item) => sum + item.usd, 0);
  return {
    memberAccountRegionMonthUsd: total(member),
    memberConditionalMonthUsd: conditional(member),
    hubMonthUsd: total(hub),
    items: [...member, ...hub],
  };
}
