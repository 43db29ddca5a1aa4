import { partitionOf } from '../aws/arns';
import type { CloudTrailResources } from '../events/cloudtrail-resources';
import type { CheckDefinition, CheckSettingsLayer } from './types';
import { lazy } from '../policy/zod';

/**
 * IAM is global: its CloudTrail events reach EventBridge only in its partition's home region, and a role
 * is the same role in every region. Warden judges execution roles there, once per account.
 */
export function iamHomeRegion(partition: string): string {
  if (partition === 'aws-cn') return 'cn-north-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return 'us-east-1';
}

/** `arn:aws:iam::111122223333:role/service-role/orders` → `orders` (the name IAM's calls take, without the path). */
export function roleNameOf(arn: string): string | undefined {
  return /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * IAM: the role a call gave a policy or a trust. The request names the role without its path, so the
 * ARN here has none; the detector reads the role and the finding names the ARN IAM reports.
 */
const roles: CloudTrailResources = ({ request, region, account }) => {
  const name = str(request['roleName']);
  return name ? [`arn:${partitionOf(region)}:iam::${account}:role/${name}`] : [];
};

/**
 * The write actions Lambda's own execution policies (AWSLambdaBasicExecutionRole, AWSLambdaVPCAccessExecutionRole,
 * AWSXRayDaemonWriteAccess) grant on `*`: logs, traces and the VPC network interfaces (their other actions read).
 */
const LAMBDA_RUNTIME_WRITES = [
  'logs:CreateLogGroup',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

const DEFAULTS = { allowedOnAnyResource: LAMBDA_RUNTIME_WRITES };

/** The check's own settings, built on first use (core/policy/zod.ts). */
const SETTINGS = lazy((z) =>
  z
    .strictObject({
      allowedOnAnyResource: z
        .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, 'expected service:Action, with no wildcard'))
        .default(DEFAULTS.allowedOnAnyResource)
        .describe(
          'Write actions an execution role may grant on Resource "*" without a finding (exact names, case-insensitive). ' +
            "The default is what Lambda's own execution policies grant on * (logs, X-Ray traces, VPC network interfaces); " +
            'a whole-service or whole-account wildcard is a finding whatever this lists.',
        ),
    })
    .describe('Lambda execution role settings'),
);

/** The role check judges only in IAM's home region: a deployment without it would never judge a role. */
function homeRegionDeployed(layer: CheckSettingsLayer) {
  if (!layer.atChecksLevel || layer.own['enabled'] === false || layer.regions.length === 0) return [];
  const partitions = [...new Set(layer.regions.map(partitionOf))];
  const missing = partitions.map(iamHomeRegion).filter((home) => !layer.regions.includes(home));
  return missing.map((home) => ({
    path: [],
    severity: 'warning' as const,
    message:
      `execution roles are judged only in ${home}, where IAM's events arrive, and it is not in deployment.regions: ` +
      `add ${home} (the member stack there judges every region's roles), or turn the check off`,
  }));
}

/** What judging a role reads of it: its trust, its policies, and (for a noncompliant one) what it used. */
const ROLE_READS = {
  actions: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:GenerateServiceLastAccessedDetails'],
  resources: ['arn:{partition}:iam::{account}:role/*'],
} as const;

/** The attached policies' documents, the account's own and AWS managed ones (AdministratorAccess). */
const POLICY_READS = {
  actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
  resources: ['arn:{partition}:iam::{account}:policy/*', 'arn:{partition}:iam::aws:policy/*'],
} as const;

// ListRoles and GetServiceLastAccessedDetails have no resource type: IAM authorizes them on * only.
export const lambdaExecutionRoleWildcards = {
  id: 'lambda-execution-role-wildcards',
  title: 'Lambda execution roles grant no wildcards',
  noncompliantWhen:
    'a role Lambda may assume allows "*" or service:* actions (or NotAction), or a write action on Resource "*" (or every resource of a kind, arn:aws:s3:::*), in an inline or an attached policy (AdministratorAccess included)',
  fix: 'no automatic rewrite of IAM (narrowing a role breaks what its functions do): a ticket with the offending statements and the services and actions the role really used (IAM last-accessed data), as a starting least-privilege policy',
  resourceType: 'AWS::IAM::Role',
  // IAM's events reach EventBridge in us-east-1 only (iamHomeRegion); a new version of a customer managed
  // policy names the policy, not its roles, so the daily sweep finds those.
  cloudTrail: [
    {
      eventSource: 'iam.amazonaws.com',
      eventNames: ['PutRolePolicy', 'AttachRolePolicy', 'UpdateAssumeRolePolicy'],
      resources: roles,
    },
  ],
  configResourceType: 'AWS::IAM::Role',
  clients: { detect: ['iam'], remediate: ['iam'] },
  permissions: {
    detect: [ROLE_READS, POLICY_READS, { actions: ['iam:ListRoles', 'iam:GetServiceLastAccessedDetails'], resources: ['*'] }],
    // Verify re-reads the role; the fix changes nothing.
    remediate: [ROLE_READS, POLICY_READS, { actions: ['iam:GetServiceLastAccessedDetails'], resources: ['*'] }],
  },
  evidenceItems: (evidence: Readonly<Record<string, unknown>>) => ({
    label: 'Offending statements',
    items: (Array.isArray(evidence['offending']) ? (evidence['offending'] as { policy: string; sid?: string; why: string }[]) : []).map(
      ({ policy, sid, why }) => ({ name: sid ? `${policy} (${sid})` : policy, detail: why }),
    ),
  }),
  // What the role used changes as its functions run; the violation is the statements.
  volatileEvidence: ['lastAccessed'],
  coverage:
    "IAM is global: a role is the same in every region, and IAM's CloudTrail events reach EventBridge in us-east-1 only (cn-north-1 and " +
    'us-gov-west-1 in their partitions). So roles are judged once per account, by the member stack in that region: a policy put on or ' +
    "attached to a role used by any region's functions is judged there as soon as its CloudTrail event arrives, and its daily sweep lists every role Lambda may " +
    'assume (ListRoles), whichever region its functions run in. A new version of a shared managed policy names the policy, not its roles: ' +
    'the next sweep finds it. AWS Config records IAM roles only where the account chose to record global types: its changes help only ' +
    'when that is this region (elsewhere they are judged not applicable). Other regions judge no roles, and the policy warns when ' +
    'deployment.regions leaves that region out.',
  policyChecks: homeRegionDeployed,
  iacHint: {
    cloudFormation: 'AWS::IAM::Role Policies / ManagedPolicyArns: actions and resources the function uses, no wildcards',
    cdk: "grant the function's resources to it (table.grantReadData(fn), bucket.grantPut(fn)) instead of addToRolePolicy with '*'",
  },
  physicalId: (resourceArn: string) => roleNameOf(resourceArn),
  defaultMode: 'ticket',
  severity: 'high',
  defaults: DEFAULTS,
  get settings() {
    return SETTINGS();
  },
} as const satisfies CheckDefinition;
