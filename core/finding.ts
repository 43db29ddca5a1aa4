import { createHash } from 'node:crypto';
import type { CheckId } from './catalogue';

/** `NOT_EVALUATED`: the detector could not read what it judges (a customer managed key it may not use); never COMPLIANT. */
export type EvaluationStatus = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'NOT_EVALUATED';

/** A resource a check should look at, as named by an event or a sweep. */
export interface ResourceRef {
  readonly check: CheckId;
  readonly account: string;
  readonly region: string;
  readonly resourceArn: string;
}

/**
 * What a detector concluded. `evidence` is redacted by construction: names, rule ids, settings and
 * fingerprints, never a secret value, so it may be logged, stored, posted and ticketed.
 */
export interface Evaluation {
  readonly status: EvaluationStatus;
  /** One sentence a human reads in Slack or a ticket. */
  readonly reason: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/**
 * The infrastructure-as-code stack that owns a resource: its next deploy puts back what its template
 * says, so a fix that is not also made in the template is reverted. `cdk` when the template is CDK's.
 */
export interface ManagedBy {
  readonly tool: 'cloudformation' | 'cdk';
  readonly stack: string;
  readonly logicalId: string;
}

/** A noncompliant resource, ready for the remediation workflow. */
export interface Finding extends ResourceRef {
  /** Hash of account, region, check, resource ARN and the evaluated (redacted) state. */
  readonly findingId: string;
  readonly reason: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly detectedAt: string;
  /** What triggered the detection: a CloudTrail event id, a Config item, or the sweep. */
  readonly trigger: {
    readonly kind: 'cloudtrail' | 'config' | 'sweep' | 'manual';
    readonly id?: string;
    /** Who made the change a CloudTrail event reports (its caller's ARN). */
    readonly principal?: string;
  };
  /** Set when a CloudFormation (or CDK) stack manages the resource. */
  readonly managedBy?: ManagedBy;
}

/** How reports name a finding: noncompliant, or not evaluated (the detector could not read the resource). */
export function findingStatus(finding: Pick<Finding, 'evidence'>): 'NON_COMPLIANT' | 'NOT_EVALUATED' {
  return finding.evidence['notEvaluated'] !== undefined ? 'NOT_EVALUATED' : 'NON_COMPLIANT';
}

/** Canonical JSON: object keys sorted at every level, so equal states hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The finding id: 40 hex characters of SHA-256 over the resource and its evaluated state, so every
 * event that reports the same violation names the same finding. The workflow execution is named
 * `<finding id>-<episode>` (detectors/finding-episodes.ts): duplicates cannot start a second
 * remediation, and the same violation coming back after a fix starts a new episode.
 */
export function findingIdOf(ref: ResourceRef, evidence: Readonly<Record<string, unknown>>): string {
  return createHash('sha256')
    .update(canonicalJson([ref.account, ref.region, ref.check, ref.resourceArn, evidence]))
    .digest('hex')
    .slice(0, 40);
}

/** A short, non-reversible fingerprint of a secret value: first 4 hex characters of its SHA-256. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 4);
}
