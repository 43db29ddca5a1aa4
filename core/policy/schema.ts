import type * as z from 'zod';
import { CATALOGUE, type CheckId, CHECK_IDS, MODES } from '../catalogue';
import { formats } from './formats';
import { lazy } from './zod';

/** What a common setting is when no layer of the policy sets it. */
export const BUILT_IN_DEFAULTS = {
  enabled: true,
  dryRun: false,
  approvalTimeout: '24h',
  maxAutoFixesPerHour: 10,
  iacManaged: 'fix',
  flapping: { maxRebreaks: 3, window: '24h' },
} as const;

/** How the member stack encrypts its own data: AWS managed encryption, or a Warden key per member. */
export const MEMBER_ENCRYPTION = ['aws-managed', 'customer-managed'] as const;

/**
 * The policy file's schema, built on first use (core/policy/zod.ts): at synth, in the CLI and in the
 * docs. A deployed function runs on the policy validated at synth and never builds it.
 */
export const policySchemas = lazy((z) => {
  const {
    accountId,
    arnPattern,
    duration,
    httpsUrl,
    organizationalUnitId,
    organizationId,
    policyDate,
    regionName,
    secretReference,
    slackApproverId,
    slackChannelId,
  } = formats();

  /** Settings every check has, whatever it judges. All optional in the file; `BUILT_IN_DEFAULTS` fills gaps. */
  const commonSettingsShape = {
    enabled: z.boolean().optional().describe('Whether Warden evaluates this check at all.'),
    mode: z
      .enum(MODES, { error: `expected a mode: ${MODES.join(', ')}` })
      .optional()
      .describe('auto: fix at once; approval: ask in Slack, fix on yes; ticket: open a ticket; report: record only.'),
    dryRun: z.boolean().optional().describe('Record what would be done, with the planned API calls, and change nothing.'),
    approvalTimeout: duration.optional().describe('How long an approval request waits before it expires and becomes a ticket.'),
    maxAutoFixesPerHour: z
      .number({ error: (issue) => (issue.code === 'invalid_type' ? 'expected a whole number of fixes per hour' : undefined) })
      .int()
      .min(0)
      .max(10_000)
      .optional()
      .describe('Blast-radius budget per account and check; past it, auto degrades to approval.'),
    flapping: z
      .strictObject({
        maxRebreaks: z.number().int().min(1).max(100).describe('How many times a fixed resource may become noncompliant again within the window.'),
        window: duration.describe('The window re-breaks are counted in, e.g. 24h.'),
      })
      .optional()
      .describe(
        'When a resource Warden fixed keeps breaking again (a deploy pipeline, a script), stop auto-fixing it: record FLAPPING, open one ticket naming who re-broke it, and ask for a human decision.',
      ),
    iacManaged: z
      .enum(['fix', 'ticket'], { error: 'expected fix or ticket' })
      .optional()
      .describe(
        "For a resource a CloudFormation or CDK stack manages: fix (as the mode says, and tell the owner the stack's next deploy reverts it unless the template changes) or ticket (ask the stack's owner to change the template instead).",
      ),
  };

  const defaultsSchema = z.strictObject(commonSettingsShape);

  /** The file form of a check's own settings: every field optional, no defaults applied yet. */
  function optionalShape(settings: z.ZodObject): Record<string, z.ZodType> {
    return Object.fromEntries(
      Object.entries(settings.shape).map(([key, field]) => {
        const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
        return [key, inner.optional()];
      }),
    );
  }

  /** A check's section in the file: the common settings plus the check's own (typed loosely here). */
  type FileCheckSchema = z.ZodOptional<z.ZodObject<typeof commonSettingsShape & Record<string, z.ZodOptional<z.ZodType>>, z.core.$strict>>;

  const checkFileSchemas = Object.fromEntries(
    CATALOGUE.map((check) => [check.id, z.strictObject({ ...commonSettingsShape, ...optionalShape(check.settings) }).optional()]),
  ) as unknown as Record<CheckId, FileCheckSchema>;

  const checksSchema = z.strictObject(checkFileSchemas);

  const oneOrMany = <T extends z.ZodType>(item: T, what: string) =>
    z.union([item, z.array(item).min(1)], { error: `expected ${what}, or a list of them` });

  const overrideSchema = z
    .strictObject({
      match: z
        .strictObject({
          account: oneOrMany(accountId, 'a 12-digit AWS account id in quotes').optional(),
          organizationalUnit: oneOrMany(organizationalUnitId, 'an organizational unit id').optional(),
          region: oneOrMany(regionName, 'a region name').optional(),
        })
        .refine((match) => Object.keys(match).length > 0, 'expected at least one of account, organizationalUnit, region'),
      defaults: defaultsSchema.optional(),
      checks: checksSchema.optional(),
    })
    .refine((override) => override.defaults !== undefined || override.checks !== undefined, 'an override must set defaults or checks');

  const checkIdSchema = z.enum(CHECK_IDS as [CheckId, ...CheckId[]], { error: `expected a check id: ${CHECK_IDS.join(', ')}` });

  const exemptionSchema = z
    .strictObject({
      check: oneOrMany(checkIdSchema, 'a check id').optional().describe('Check(s) the exemption applies to; all checks when absent.'),
      resource: arnPattern.optional().describe('Resource ARN, * matches any run of characters.'),
      tag: z
        .strictObject({
          key: z.string().min(1).max(128),
          value: z.string().max(256).optional(),
        })
        .optional()
        .describe('Resource tag; with no value, any value matches and the value is the reason.'),
      reason: z.string().min(3, 'expected a reason of at least 3 characters').optional(),
      expires: policyDate.optional().describe('Last day the exemption holds (UTC); expired exemptions are ignored and reported.'),
    })
    .refine((exemption) => exemption.resource !== undefined || exemption.tag !== undefined, 'an exemption needs a resource or a tag')
    .refine(
      (exemption) => exemption.reason !== undefined || exemption.tag !== undefined,
      'an exemption by resource needs a reason (for a tag exemption the tag value is the reason)',
    );

  const slackSchema = z.strictObject({
    channel: slackChannelId,
    approvers: z.array(slackApproverId).min(1, 'expected at least one approver'),
    botToken: secretReference,
    signingSecret: secretReference,
  });

  const ticketsSchema = z.strictObject({
    provider: z.enum(['jira', 'github', 'webhook', 'none'], { error: 'expected a ticket provider: jira, github, webhook or none' }),
    jira: z
      .strictObject({
        baseUrl: httpsUrl,
        project: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'expected a Jira project key like SEC'),
        issueType: z.string().min(1).default('Task'),
        credentials: secretReference,
      })
      .optional(),
    github: z
      .strictObject({
        repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected a repository as owner/name'),
        token: secretReference,
        labels: z.array(z.string().min(1).max(50)).default(['warden']),
      })
      .optional(),
    webhook: z.strictObject({ url: httpsUrl, signingSecret: secretReference }).optional(),
  });

  const deploymentSchema = z.strictObject({
    regions: z.array(regionName).min(1, 'expected at least one region'),
    organizationalUnits: z.array(organizationalUnitId).min(1, 'expected at least one organizational unit'),
    hubAccount: accountId,
    organizationId: organizationId.optional(),
    maxConcurrentPercentage: z.number().int().min(1).max(100).default(25),
    failureTolerancePercentage: z.number().int().min(0).max(100).default(10),
  });

  const ownersSchema = z
    .strictObject({
      tag: z.string().min(1).max(128).default('owner').describe('The resource tag that names its owner (a Slack user id, an email or a team).'),
      defaultAssignee: z.string().min(1).max(256).optional().describe('Who is told when a resource has no owner tag, e.g. the platform team.'),
    })
    .describe('Who owns a resource: told when a fix needs them to act (a secret migration), named in tickets.');

  const apiRatesSchema = z.strictObject({
    share: z.number().gt(0).max(1).optional().describe('The share of each limit Warden may use, above 0 and at most 1 (default 0.5).'),
    perSecond: z
      .strictObject({
        lambda: z.number().positive().optional().describe('The Lambda control plane rate to take the share of (default 15/s).'),
        apigateway: z.number().positive().optional().describe('The API Gateway management rate to take the share of (default 10/s).'),
      })
      .optional()
      .describe('The account-wide rates, requests per second, where they differ from the documented ones.'),
  });

  const memberSchema = z
    .strictObject({
      encryption: z
        .enum(MEMBER_ENCRYPTION, { error: `expected a member encryption: ${MEMBER_ENCRYPTION.join(' or ')}` })
        .default('aws-managed')
        .describe(
          "aws-managed (the default): the member stack's counters table is encrypted under the AWS managed key aws/dynamodb and its dead-letter queue with SQS managed encryption (SSE-SQS), so no key is billed. customer-managed: one Warden KMS key per member account and region encrypts both ($1 a month, $2-3 with rotation), and gives checks the alias/warden-secrets alias.",
        ),
      apiRates: apiRatesSchema
        .extend({
          accounts: z
            .record(accountId, apiRatesSchema)
            .optional()
            .describe('The same, for one account: its keys replace the ones above in that account.'),
        })
        .optional()
        .describe("How much of each AWS API's account-wide rate limit Warden's sweeps may use, so the account's own tooling keeps the rest."),
    })
    .describe('What Warden deploys in every member account and region.');

  const policySchema = z.strictObject({
    version: z.literal(1, { error: 'expected version: 1' }),
    defaults: defaultsSchema.default({}),
    checks: checksSchema.default({}),
    overrides: z.array(overrideSchema).default([]),
    exemptions: z.array(exemptionSchema).default([]),
    approvals: z.strictObject({ slack: slackSchema }).optional(),
    tickets: ticketsSchema.optional(),
    owners: ownersSchema.default({ tag: 'owner' }),
    member: memberSchema.default({ encryption: 'aws-managed' }),
    deployment: deploymentSchema.optional(),
  });

  return { commonSettingsShape, defaultsSchema, policySchema };
});

export type Policy = z.output<ReturnType<typeof policySchemas>['policySchema']>;
export type CommonSettings = z.output<ReturnType<typeof policySchemas>['defaultsSchema']>;
export type Override = Policy['overrides'][number];
export type Exemption = Policy['exemptions'][number];
