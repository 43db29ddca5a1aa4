import { CATALOGUE } from '../core/catalogue';
import type { Mode } from '../core/catalogue';
import type { PathCounts } from './workflow';

/**
 * Public AWS list prices, us-east-1, as published in November 2025 (the last time they were checked).
 * Update this table, and its date, when AWS changes them; nothing else in the model hard-codes a price.
 */
export const PRICES = {
  asOf: '2025-11 (us-east-1 list prices)',
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  stepFunctionsStandardPerThousandTransitions: 0.025,
  eventBridgeCustomEventsPerMillion: 1.0,
  dynamodbOnDemandPerMillionWrites: 0.625,
  dynamodbOnDemandPerMillionReads: 0.125,
  kmsKeyPerMonth: 1.0,
  kmsPerTenThousandRequests: 0.03,
  wafWebAclPerMonth: 5.0,
  wafRulePerMonth: 1.0,
  cloudwatchAlarmPerMonth: 0.1,
  cloudwatchLogsPerGbIngested: 0.5,
} as const;

/** The workload the model prices: per member account and region, per month. */
export const WORKLOAD = {
  cloudTrailEvents: 1_000,
  configItemChanges: 1_000,
  sweepsPerCheck: 30,
  checks: CATALOGUE.length,
  findings: { auto: 10, approval: 4, ticket: 4, report: 2 } satisfies Record<Mode, number>,
  detectorMsPerEvent: 300,
  sweepMsPerRun: 5_000,
  remediatorMsPerInvocation: 1_500,
  memoryGb: 0.25,
  logBytesPerInvocation: 1_500,
} as const;

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly usd: number;
}

/** Monthly cost per member account of the workload, from measured per-finding counts. */
export function costPerAccount(counts: Record<Mode, PathCounts>, withBaselineWebAcl: boolean): { lines: CostLine[]; total: number } {
  const w = WORKLOAD;
  const findings = Object.entries(w.findings) as [Mode, number][];
  const sum = (pick: (c: PathCounts) => number) => findings.reduce((total, [mode, n]) => total + n * pick(counts[mode]), 0);
  const detectorInvocations = w.cloudTrailEvents + w.configItemChanges + w.sweepsPerCheck * w.checks;
  const remediatorInvocations = sum((c) => c.remediatorInvocations);
  const auditRecords = sum((c) => c.auditRecords);
  const invocations = detectorInvocations + remediatorInvocations + auditRecords;
  const gbSeconds =
    (((w.cloudTrailEvents + w.configItemChanges) * w.detectorMsPerEvent +
      w.sweepsPerCheck * w.checks * w.sweepMsPerRun +
      remediatorInvocations * w.remediatorMsPerInvocation +
      auditRecords * 100) /
      1000) *
    w.memoryGb;
  const transitions = sum((c) => c.transitions);
  // Each event is put on the member bus and delivered once more to the hub bus.
  const events = sum((c) => c.events) * 2;
  const writes = auditRecords * 2 + sum((c) => c.counterWrites);
  const lines: CostLine[] = [
    { item: 'Lambda requests', quantity: invocations, usd: (invocations / 1e6) * PRICES.lambdaPerMillionRequests },
    { item: 'Lambda compute (GB-s, arm64)', quantity: gbSeconds, usd: gbSeconds * PRICES.lambdaArmPerGbSecond },
    {
      item: 'Step Functions state transitions',
      quantity: transitions,
      usd: (transitions / 1000) * PRICES.stepFunctionsStandardPerThousandTransitions,
    },
    { item: 'EventBridge custom events', quantity: events, usd: (events / 1e6) * PRICES.eventBridgeCustomEventsPerMillion },
    { item: 'DynamoDB writes (audit, counter)', quantity: writes, usd: (writes / 1e6) * PRICES.dynamodbOnDemandPerMillionWrites },
    { item: 'KMS key (member)', quantity: 1, usd: PRICES.kmsKeyPerMonth },
    { item: 'CloudWatch alarms', quantity: 2, usd: 2 * PRICES.cloudwatchAlarmPerMonth },
    {
      item: 'CloudWatch Logs ingestion (GB)',
      quantity: (invocations * w.logBytesPerInvocation) / 1e9,
      usd: ((invocations * w.logBytesPerInvocation) / 1e9) * PRICES.cloudwatchLogsPerGbIngested,
    },
  ];
  if (withBaselineWebAcl)
    lines.push({
      item: 'WAF baseline web ACL + 4 rules (before request charges)',
      quantity: 1,
      usd: PRICES.wafWebAclPerMonth + 4 * PRICES.wafRulePerMonth,
    });
  return { lines, total: lines.reduce((total, line) => total + line.usd, 0) };
}
