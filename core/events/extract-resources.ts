import { type CheckId, getCheck } from '../catalogue';
import type { ResourceRef } from '../finding';
import { ForeignEventError, MalformedEventError } from './errors';
import { CLOUDTRAIL_DETAIL_TYPE, CONFIG_DETAIL_TYPE } from './event-patterns';

/** EventBridge's own limit on an event's size. */
export const MAX_EVENT_BYTES = 256 * 1024;

/** The EventBridge envelope's fields a detector reads. */
export interface EventEnvelope {
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly region: string;
  readonly time?: string;
  readonly detail: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first envelope field that is missing or malformed, as `field: what was expected`. */
function envelopeProblem(event: Record<string, unknown>): string | undefined {
  for (const field of ['id', 'detail-type', 'source'] as const) {
    if (typeof event[field] !== 'string' || event[field].length === 0) return `${field}: expected a non-empty string`;
  }
  if (typeof event['account'] !== 'string' || !/^\d{12}$/.test(event['account'])) return 'account: expected a 12-digit account';
  if (typeof event['region'] !== 'string' || event['region'].length === 0) return 'region: expected a non-empty string';
  if (event['time'] !== undefined && typeof event['time'] !== 'string') return 'time: expected a string';
  if (!isRecord(event['detail'])) return 'detail: expected an object';
  return undefined;
}

export type TriggerKind = 'cloudtrail' | 'config' | 'sweep';

export interface ExtractedResources {
  readonly kind: TriggerKind;
  readonly eventId: string;
  /** Who made the CloudTrail call (the caller's ARN, or the AWS service that made it): flapping names them. */
  readonly principal?: string;
  readonly refs: readonly ResourceRef[];
  /** Why a legitimate event names no resource to judge (it is counted and logged, not dead-lettered). */
  readonly noResourceBecause?: string;
  /** Where EventBridge says the event came from. */
  readonly source: { readonly account: string; readonly region: string };
}

/**
 * CreateDeployment without `stageName` (how CDK and Terraform deploy) changes no stage: a stage moves to
 * the new deployment through CreateStage or UpdateStage, which the rules also match.
 */
function deploymentWithoutStage(detail: Record<string, unknown>): boolean {
  const request = obj(detail['requestParameters']);
  return (
    detail['eventSource'] === 'apigateway.amazonaws.com' &&
    detail['eventName'] === 'CreateDeployment' &&
    str(request['restApiId']) !== undefined &&
    str(request['stageName']) === undefined &&
    str(obj(request['createDeploymentInput'])['stageName']) === undefined
  );
}

/**
 * The event's resources, if all of them are in the detector's own account and region. Warden's rules
 * only see the member's own events, so anything else is forged or misrouted: refused, never acted on.
 */
export function ownResources(extracted: ExtractedResources, scope: { readonly account: string; readonly region: string }): readonly ResourceRef[] {
  const foreign = extracted.refs.filter((ref) => ref.account !== scope.account || ref.region !== scope.region);
  if (extracted.source.account !== scope.account || extracted.source.region !== scope.region) {
    throw new ForeignEventError(
      `event ${extracted.eventId} comes from ${extracted.source.account}/${extracted.source.region}, outside ${scope.account}/${scope.region}`,
    );
  }
  if (foreign.length > 0) {
    const where = foreign.map((ref) => `${ref.resourceArn} (${ref.account}/${ref.region})`).join(', ');
    throw new ForeignEventError(`event ${extracted.eventId} names a resource outside ${scope.account}/${scope.region}: ${where}`);
  }
  return extracted.refs;
}

/** Validates the EventBridge envelope; throws `MalformedEventError` naming the bad field. */
export function parseEnvelope(event: unknown): EventEnvelope {
  const size = Buffer.byteLength(JSON.stringify(event) ?? '', 'utf8');
  if (size > MAX_EVENT_BYTES) throw new MalformedEventError(`event is ${size} bytes, over EventBridge's 256 KB limit`);
  if (!isRecord(event)) throw new MalformedEventError('not an EventBridge event: event: expected an object');
  const problem = envelopeProblem(event);
  if (problem) throw new MalformedEventError(`not an EventBridge event: ${problem}`);
  // Only the envelope's own fields go on, as the detector reads them.
  const { id, 'detail-type': detailType, source, account, region, time, detail } = event as unknown as EventEnvelope;
  return { id, 'detail-type': detailType, source, account, region, ...(time === undefined ? {} : { time }), detail };
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const obj = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

/** The ARN a Config item names; both the notification (`ARN`) and the API (`arn`) spellings. */
function configArn(item: Record<string, unknown>): string | undefined {
  return str(item['ARN']) ?? str(item['arn']) ?? (str(item['resourceId'])?.startsWith('arn:') ? str(item['resourceId']) : undefined);
}

/**
 * The resources an event asks `check` to look at. The event is only a hint: the detector reads each
 * resource's current state before judging it.
 */
export function extractResources(event: unknown, check: CheckId): ExtractedResources {
  const envelope = parseEnvelope(event);
  const { detail } = envelope;
  const kind = getCheck(check);
  const source = { account: envelope.account, region: envelope.region };
  if (envelope['detail-type'] === CLOUDTRAIL_DETAIL_TYPE) {
    const region = str(detail['awsRegion']) ?? envelope.region;
    const account = str(detail['recipientAccountId']) ?? envelope.account;
    // The check's own trigger for this event source says where the record names its resources.
    const trigger = kind.cloudTrail.find((entry) => entry.eventSource === detail['eventSource']);
    const arns = trigger
      ? [...trigger.resources({ request: obj(detail['requestParameters']), response: obj(detail['responseElements']), region, account })]
      : [];
    if (arns.length === 0 && deploymentWithoutStage(detail)) {
      return {
        kind: 'cloudtrail',
        eventId: str(detail['eventID']) ?? envelope.id,
        refs: [],
        source,
        noResourceBecause: 'CreateDeployment without stageName changes no stage (CreateStage or UpdateStage will follow)',
      };
    }
    if (arns.length === 0) throw new MalformedEventError(`CloudTrail ${String(detail['eventName'])} event names no resource of ${check}`);
    const identity = obj(detail['userIdentity']);
    const principal = str(identity['arn']) ?? str(identity['invokedBy']) ?? str(identity['type']);
    return {
      kind: 'cloudtrail',
      eventId: str(detail['eventID']) ?? envelope.id,
      ...(principal ? { principal } : {}),
      refs: arns.map((resourceArn) => ({ check, account, region, resourceArn })),
      source,
    };
  }
  if (envelope['detail-type'] === CONFIG_DETAIL_TYPE) {
    // The oversized variant carries only a summary; either way the detector reads the API.
    const item = obj(detail['configurationItem'] ?? detail['configurationItemSummary']);
    const resourceArn = configArn(item);
    if (!resourceArn || item['resourceType'] !== kind.configResourceType) {
      throw new MalformedEventError(`Config item names no ${kind.configResourceType} ARN`);
    }
    const account = str(item['awsAccountId']) ?? str(item['accountId']) ?? envelope.account;
    // A global resource's item (an IAM role's) says `global`: it was recorded in the event's region.
    const recorded = str(item['awsRegion']);
    const region = recorded && recorded !== 'global' ? recorded : envelope.region;
    return { kind: 'config', eventId: envelope.id, refs: [{ check, account, region, resourceArn }], source };
  }
  if (envelope.source === 'aws.events' && envelope['detail-type'] === 'Scheduled Event') {
    return { kind: 'sweep', eventId: envelope.id, refs: [], source };
  }
  throw new MalformedEventError(`unexpected detail-type ${envelope['detail-type']} for ${check}`);
}
