import { lazy } from './zod';

/**
 * Value formats the policy file uses, each with the message a user sees when a value does not fit.
 * Messages say what was expected; they never echo the value, which could be a secret pasted by mistake.
 */

export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d{1,2}$/;

const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86400 } as const;
export const DURATION_PATTERN = /^(\d+)(s|m|h|d)$/;

/** Seconds in a duration such as `90s`, `30m`, `24h` or `7d`. */
export function durationSeconds(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new RangeError(`not a duration: ${text}`);
  return Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS];
}

/** A calendar date `YYYY-MM-DD` (end of that day, UTC) or a full ISO-8601 timestamp. */
export function parsePolicyDate(text: string): Date | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const end = new Date(Date.UTC(year, month - 1, date, 23, 59, 59, 999));
    const real = end.getUTCFullYear() === year && end.getUTCMonth() === month - 1 && end.getUTCDate() === date;
    return real ? end : undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const parsed = new Date(text);
    return Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }
  return undefined;
}

export const SECRET_REFERENCE_PATTERN = /^secret:([A-Za-z0-9/_+=.@-]{1,512})$/;

/** The Secrets Manager name inside `secret:<name>`. */
export function secretName(reference: string): string {
  const match = SECRET_REFERENCE_PATTERN.exec(reference);
  if (!match?.[1]) throw new RangeError('not a secret reference');
  return match[1];
}

/** A resource ARN, possibly with `*` wildcards (`arn:aws:apigateway:*::/restapis/a1b2c3/stages/dev`). */
export const ARN_PATTERN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov|\*):([a-z0-9-]+|\*):([a-z0-9-]*|\*):(\d{12}|\*)?:\S+$/;

/**
 * The formats as schemas, each with the message a user sees when a value does not fit. Built on first
 * use (core/policy/zod.ts): a deployed function, which never validates the policy, never builds them.
 */
export const formats = lazy((z) => ({
  accountId: z
    .string({ error: 'expected a 12-digit AWS account id in quotes (an unquoted number loses leading zeros)' })
    .regex(/^\d{12}$/, 'expected a 12-digit AWS account id'),
  organizationalUnitId: z
    .string({ error: 'expected an organizational unit id like ou-abcd-12345678' })
    .regex(
      /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/,
      'expected an organizational unit id like ou-abcd-12345678 (or a root id like r-abcd)',
    ),
  organizationId: z
    .string({ error: 'expected an organization id like o-a1b2c3d4e5' })
    .regex(/^o-[a-z0-9]{10,32}$/, 'expected an organization id like o-a1b2c3d4e5'),
  regionName: z.string({ error: 'expected an AWS region name like us-east-1' }).regex(REGION_PATTERN, 'expected an AWS region name like us-east-1'),
  duration: z
    .string({ error: 'expected a duration like 30m, 24h or 7d' })
    .regex(DURATION_PATTERN, 'expected a duration like 30m, 24h or 7d (a number followed by s, m, h or d)'),
  policyDate: z
    .string({ error: 'expected a date like 2027-03-31' })
    .refine((text) => parsePolicyDate(text) !== undefined, 'expected a real calendar date like 2027-03-31 or an ISO-8601 timestamp'),
  secretReference: z
    .string({ error: 'expected a Secrets Manager reference like secret:warden/slack-bot' })
    .regex(SECRET_REFERENCE_PATTERN, "expected a Secrets Manager reference like secret:warden/slack-bot; write the secret's name, never its value"),
  arnPattern: z
    .string({ error: 'expected a resource ARN such as arn:aws:dynamodb:us-east-1:111122223333:table/orders' })
    .regex(ARN_PATTERN_PATTERN, 'expected a resource ARN (arn:partition:service:region:account:resource, * allowed)'),
  webAclArn: z
    .string({ error: 'expected a regional WAFv2 web ACL ARN' })
    .regex(
      /^arn:aws(-cn|-us-gov)?:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[A-Za-z0-9_-]+\/[0-9a-f-]{36}$/,
      'expected a regional WAFv2 web ACL ARN like arn:aws:wafv2:us-east-1:111122223333:regional/webacl/name/<uuid>',
    ),
  kmsKeyReference: z
    .string({ error: 'expected a KMS key: alias/<name>, a key id or a key ARN' })
    .regex(
      /^(alias\/[A-Za-z0-9/_-]{1,250}|(mrk-)?[0-9a-f-]{32,36}|arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key\/(mrk-)?[0-9a-f-]{32,36}|alias\/[A-Za-z0-9/_-]+))$/,
      'expected a KMS key: alias/<name>, a key id or a key ARN',
    ),
  httpsUrl: z.string({ error: 'expected an https:// URL' }).refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'expected an https:// URL without credentials in it'),
  slackChannelId: z
    .string({ error: 'expected a Slack channel id like C0123456789' })
    .regex(/^[CGD][A-Z0-9]{8,}$/, 'expected a Slack channel id like C0123456789 (not a #name)'),
  slackApproverId: z
    .string({ error: 'expected a Slack user id like U0123ABCD or a user group id like S0123ABCD' })
    .regex(/^[UWS][A-Z0-9]{8,}$/, 'expected a Slack user id like U0123ABCD or a user group id like S0123ABCD'),
}));
