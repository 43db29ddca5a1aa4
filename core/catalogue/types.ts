import type * as z from 'zod';
import type { ClientName } from '../aws/client-config';
import type { CloudTrailResources } from '../events/cloudtrail-resources';

/** What Warden does with a noncompliant resource. */
export const MODES = ['auto', 'approval', 'ticket', 'report'] as const;
export type Mode = (typeof MODES)[number];

/** How bad a finding of the check is, as reports and tickets rank it (the scale Security Hub and Prowler use). */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * An ARN with placeholders that a stack or a test fills in: `{partition}`, `{region}`, `{account}`.
 * `*` is a literal IAM wildcard inside the resource part; it never appears as a whole action.
 */
export type ArnTemplate = string;

/** One IAM statement a check's detector or remediator needs. */
export interface PermissionStatement {
  readonly actions: readonly string[];
  readonly resources: readonly ArnTemplate[];
  /** IAM condition block; ARN templates in its values are filled like the resources. */
  readonly conditions?: ConditionBlock;
}

/**
 * One place in the policy that sets a check's own settings (`checks.<id>` or `overrides[i].checks.<id>`),
 * as written: no defaults applied.
 */
export interface CheckSettingsLayer {
  /** Where this section is, e.g. `['overrides', 0, 'checks', '<id>']`. */
  readonly path: readonly (string | number)[];
  readonly own: Readonly<Record<string, unknown>>;
  /** For an override: the `checks.<id>` section it lays itself over (empty at checks level). */
  readonly base: Readonly<Record<string, unknown>>;
  /** The regions this section can apply to: an override's `match.region`, else `deployment.regions`. */
  readonly regions: readonly string[];
  readonly atChecksLevel: boolean;
}

/** A problem a check's own policy checks find, located by a path below its layer's path. */
export interface CheckPolicyProblem {
  readonly path: readonly (string | number)[];
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** An IAM condition block: operator → key → value(s); values may hold `{partition}`, `{region}`, `{account}`. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/**
 * What a check needs of the member stack's KMS key (the key of its counters and dead letters), declared
 * so the stack builds it without naming the check.
 */
export interface MemberKeyUse {
  /** An alias the key gets, for the policy to name it. */
  readonly alias: string;
  /** What the check's remediator does with the key. */
  readonly remediatorActions: readonly string[];
  /**
   * A key policy statement for every principal of the member account (`*` limited by kms:CallerAccount,
   * as AWS managed keys do), with the conditions that keep it to the check's own use.
   */
  readonly accountPrincipals?: { readonly sid: string; readonly actions: readonly string[]; readonly conditions: ConditionBlock };
}

/** Items of a finding's evidence a person is shown: names and rules, never values. */
export interface EvidenceItems {
  /** What the items are, e.g. `Flagged variables`. */
  readonly label: string;
  readonly items: readonly { readonly name: string; readonly detail: string; readonly fingerprint?: string }[];
}

/** The CloudTrail calls that can make a resource of this check noncompliant. */
export interface CloudTrailTrigger {
  readonly eventSource: string;
  /** Exact event names as CloudTrail records them (Lambda's are versioned, e.g. `CreateFunction20150331`). */
  readonly eventNames: readonly string[];
  /** Where a record of these calls names the resources to judge (core/events/cloudtrail-resources.ts). */
  readonly resources: CloudTrailResources;
}

/**
 * A check, declared once. Everything else (policy schema, EventBridge rules, IAM roles, docs, meta-tests)
 * is derived from these entries.
 */
/** Where the fix belongs in a stack's template, so the next deploy keeps it instead of reverting it. */
export interface IacHint {
  /** The CloudFormation resource property, e.g. `AWS::DynamoDB::Table SSESpecification`. */
  readonly cloudFormation: string;
  /** The CDK construct prop, e.g. `dynamodb.Table encryption: TableEncryption.CUSTOMER_MANAGED`. */
  readonly cdk: string;
}

export interface CheckDefinition<Settings extends z.ZodObject = z.ZodObject> {
  readonly id: string;
  readonly title: string;
  /** One sentence: when a resource is noncompliant. */
  readonly noncompliantWhen: string;
  /** One sentence: what the fix does and how it is undone. */
  readonly fix: string;
  /** CloudFormation / Config resource type of the resources this check judges. */
  readonly resourceType: string;
  readonly cloudTrail: readonly CloudTrailTrigger[];
  /** The AWS Config resource type whose item changes trigger the detector. */
  readonly configResourceType: string;
  /** The SDK clients its detector and its remediator use (the Lambda entries build exactly these). */
  readonly clients: { readonly detect: readonly ClientName[]; readonly remediate: readonly ClientName[] };
  readonly permissions: {
    /** Read-only calls of the detector (and of the sweep, and of verify). */
    readonly detect: readonly PermissionStatement[];
    /** Calls of the remediator: apply, verify and undo. */
    readonly remediate: readonly PermissionStatement[];
  };
  readonly defaultMode: Mode;
  readonly severity: Severity;
  /**
   * Strict zod object of the check's own policy settings; every field has a default. Built on first
   * use (core/policy/zod.ts): only synth, the CLI and the docs validate settings.
   */
  readonly settings: Settings;
  /**
   * The settings with no layer of the policy setting any: `settings.parse({})` as plain data (a unit
   * test holds them equal), what a deployed function resolves on without loading a schema library.
   */
  readonly defaults: Readonly<Record<string, unknown>>;
  /**
   * Remediator permissions that depend on the policy (a key the policy names): given each distinct
   * settings the policy can resolve to, the extra statements. The stack grants their union.
   */
  readonly policyPermissions?: (settings: z.output<Settings>) => readonly PermissionStatement[];
  /**
   * The web ACL this check can ask the member stack for (what `webAcl: baseline` names), from its
   * checks-level settings: one ACL per member template, so overrides cannot vary its rules. It is
   * created only in the regions some section of the policy asks for it (`regionsOf` of that section's
   * own settings, within the regions the section applies to).
   */
  readonly memberWebAcl?: (settings: z.output<Settings>) => {
    readonly name: string;
    readonly rateLimitPer5Minutes: number;
    readonly countCommonRules: readonly string[];
    readonly regionsOf: (own: Readonly<Record<string, unknown>>) => 'all' | readonly string[];
  };
  /**
   * The items of its evidence a person is shown (names, never values), e.g. the variables it flagged:
   * Slack, tickets and the CLI list them without knowing the evidence's shape.
   */
  readonly evidenceItems?: (evidence: Readonly<Record<string, unknown>>) => EvidenceItems;
  /**
   * Evidence keys that describe the resource's use when it was read (a role's last-accessed services),
   * not the violation: the finding id leaves them out, so a new reading of the same violation is the
   * same finding, not a new remediation.
   */
  readonly volatileEvidence?: readonly string[];
  /** How events and the sweep reach the check's resources, when not region by region as usual (shown in the docs). */
  readonly coverage?: string;
  /** What the check needs of the member stack's key. */
  readonly memberKey?: MemberKeyUse;
  /** Settings that pass the schema but can never work together, found in each layer that sets them. */
  readonly policyChecks?: (layer: CheckSettingsLayer) => readonly CheckPolicyProblem[];
  /** Where the fix belongs in a stack's template (shown when the resource is stack-managed). */
  readonly iacHint: IacHint;
  /**
   * The fix may stop after a first phase that is safe beside the old state (its remediator's apply then
   * returns `staged`): the workflow waits for the owner or a deadline, judges health, then completes it.
   */
  readonly staged?: boolean;
  /**
   * The resource's CloudFormation physical id, to find its stack when its tags do not name one
   * (absent when the physical id is not unique in an account, as a stage's name is not).
   */
  readonly physicalId?: (resourceArn: string, evidence: Readonly<Record<string, unknown>>) => string | undefined;
}
