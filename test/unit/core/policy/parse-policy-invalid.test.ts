import { CHECK_IDS } from '../../../../core/catalogue';
import { PolicyInvalidError, type PolicyProblem } from '../../../../core/policy/errors';
import { parsePolicy } from '../../../../core/policy/parse-policy';

const NOW = new Date('2026-11-23T00:00:00Z');

/** Slack approvals and a ticket provider, for cases that need them to be otherwise valid. */
const BASE = `approvals: { slack: { channel: C0123456789, approvers: [U0123ABCD9], botToken: "secret:warden/slack-bot", signingSecret: "secret:warden/slack-signing" } }
tickets: { provider: github, github: { repository: acme/security, token: "secret:warden/github" } }
`;

function errorsOf(text: string): PolicyProblem[] {
  try {
    parsePolicy(text, 'policy.yaml', NOW);
  } catch (error) {
    if (error instanceof PolicyInvalidError) return error.problems.filter((problem) => problem.severity === 'error');
    throw error;
  }
  throw new Error('expected the policy to be invalid');
}

describe('parsePolicy rejects invalid policies with file, line, column and what was expected', () => {
  const cases: { name: string; text: string; line: number; col: number; message: string }[] = [
    {
      name: 'yamlSyntax',
      text: `version: 1\ndefaults: { mode: auto\n`,
      line: 3,
      col: 1,
      message: 'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
    },
    {
      name: 'duplicateKey',
      text: `version: 1\ndefaults:\n  mode: auto\n  mode: report\n`,
      line: 4,
      col: 3,
      message: 'YAML duplicate key: Map keys must be unique',
    },
    { name: 'missingVersion', text: `defaults: { mode: report }\n`, line: 1, col: 1, message: 'version: missing required key "version"' },
    { name: 'wrongVersion', text: `version: 2\n`, line: 1, col: 10, message: 'version: expected version: 1' },
    {
      name: 'unknownTopKey',
      text: `version: 1\nexemption: []\n`,
      line: 2,
      col: 1,
      message: 'exemption: unknown key "exemption"; did you mean "exemptions"?',
    },
    {
      name: 'unknownDefaultsKey',
      text: `version: 1\ndefaults:\n  dryrun: true\n`,
      line: 3,
      col: 3,
      message: 'defaults.dryrun: unknown key "dryrun"; did you mean "dryRun"?',
    },
    {
      name: 'unknownCheck',
      text: `version: 1\nchecks:\n  dynamodb-table-encrypton: { mode: report }\n`,
      line: 3,
      col: 3,
      message: 'checks.dynamodb-table-encrypton: unknown key "dynamodb-table-encrypton"; did you mean "dynamodb-table-encryption"?',
    },
    {
      name: 'unknownCheckFar',
      text: `version: 1\nchecks:\n  s3-bucket-public: { mode: report }\n`,
      line: 3,
      col: 3,
      message: `checks.s3-bucket-public: unknown key "s3-bucket-public"; expected one of: ${CHECK_IDS.join(', ')}`,
    },
    {
      name: 'badMode',
      text: `version: 1\ndefaults:\n  mode: automatic\n`,
      line: 3,
      col: 9,
      message: 'defaults.mode: expected a mode: auto, approval, ticket, report',
    },
    {
      name: 'modeNumber',
      text: `version: 1\ndefaults:\n  mode: 3\n`,
      line: 3,
      col: 9,
      message: 'defaults.mode: expected a mode: auto, approval, ticket, report',
    },
    {
      name: 'dryRunString',
      text: `version: 1\ndefaults:\n  dryRun: "yes"\n`,
      line: 3,
      col: 11,
      message: 'defaults.dryRun: expected true or false, got a string',
    },
    {
      name: 'badDuration',
      text: `version: 1\ndefaults:\n  approvalTimeout: 24 hours\n`,
      line: 3,
      col: 20,
      message: 'defaults.approvalTimeout: expected a duration like 30m, 24h or 7d (a number followed by s, m, h or d)',
    },
    {
      name: 'durationTooShort',
      text: `version: 1\n${BASE}defaults:\n  approvalTimeout: 1m\n`,
      line: 5,
      col: 20,
      message: 'defaults.approvalTimeout: expected an approval timeout between 5m and 30d',
    },
    {
      name: 'maxFixesNegative',
      text: `version: 1\ndefaults:\n  maxAutoFixesPerHour: -1\n`,
      line: 3,
      col: 24,
      message: 'defaults.maxAutoFixesPerHour: expected a number >= 0',
    },
    {
      name: 'maxFixesFraction',
      text: `version: 1\ndefaults:\n  maxAutoFixesPerHour: 2.5\n`,
      line: 3,
      col: 24,
      message: 'defaults.maxAutoFixesPerHour: expected a whole number of fixes per hour, got 2.5',
    },
    {
      name: 'rateLimitString',
      text: `version: 1\nchecks:\n  apigateway-stage-throttling:\n    rateLimit: fast\n`,
      line: 4,
      col: 16,
      message: 'checks.apigateway-stage-throttling.rateLimit: expected a number, got a string',
    },
    {
      name: 'burstZero',
      text: `version: 1\nchecks:\n  apigateway-stage-throttling:\n    burstLimit: 0\n`,
      line: 4,
      col: 17,
      message: 'checks.apigateway-stage-throttling.burstLimit: expected a number > 0',
    },
    {
      name: 'unknownCheckSetting',
      text: `version: 1\nchecks:\n  apigateway-stage-throttling:\n    rateLimt: 50\n`,
      line: 4,
      col: 5,
      message: 'checks.apigateway-stage-throttling.rateLimt: unknown key "rateLimt"; did you mean "rateLimit"?',
    },
    {
      name: 'badKmsKey',
      text: `version: 1\nchecks:\n  dynamodb-table-encryption:\n    kmsKey: my-key\n`,
      line: 4,
      col: 13,
      message: 'checks.dynamodb-table-encryption.kmsKey: expected a KMS key: alias/<name>, a key id or a key ARN',
    },
    {
      name: 'badWebAcl',
      text: `version: 1\nchecks:\n  apigateway-stage-waf:\n    webAcl: arn:aws:wafv2:us-east-1:111122223333:global/webacl/x/y\n`,
      line: 4,
      col: 13,
      message:
        'checks.apigateway-stage-waf.webAcl: expected a regional WAFv2 web ACL ARN like arn:aws:wafv2:us-east-1:111122223333:regional/webacl/name/<uuid>',
    },
    {
      name: 'webAclWrongRegion',
      text: `version: 1\nchecks:\n  apigateway-stage-waf:\n    webAcl:\n      eu-west-1: arn:aws:wafv2:us-east-1:111122223333:regional/webacl/base/a1b2c3d4-5678-90ab-cdef-111122223333\n`,
      line: 5,
      col: 18,
      message: 'checks.apigateway-stage-waf.webAcl.eu-west-1: a web ACL must be in the region of the stages it protects (eu-west-1)',
    },
    {
      name: 'webAclSingleArnOtherRegion',
      text: `version: 1\ndeployment: { regions: [us-east-1, eu-west-1], organizationalUnits: [ou-abcd-12345678], hubAccount: "111122223333" }\nchecks:\n  apigateway-stage-waf:\n    webAcl: arn:aws:wafv2:us-east-1:111122223333:regional/webacl/base/a1b2c3d4-5678-90ab-cdef-111122223333\n`,
      line: 5,
      col: 13,
      message:
        'checks.apigateway-stage-waf.webAcl: this web ACL is in us-east-1 and cannot protect stages in eu-west-1: use a map of region to web ACL ARN',
    },
    {
      name: 'webAclOverrideOtherRegion',
      text: `version: 1\noverrides:\n  - match: { region: eu-west-1 }\n    checks:\n      apigateway-stage-waf: { webAcl: "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/base/a1b2c3d4-5678-90ab-cdef-111122223333" }\n`,
      line: 5,
      col: 39,
      message:
        'overrides[0].checks.apigateway-stage-waf.webAcl: this web ACL is in us-east-1 and cannot protect stages in eu-west-1: use a map of region to web ACL ARN',
    },
    {
      name: 'cmkRequiredWithManagedKey',
      text: `version: 1\nchecks:\n  dynamodb-table-encryption:\n    kmsKey: alias/aws/dynamodb\n    requireCustomerManagedKey: true\n`,
      line: 5,
      col: 32,
      message:
        'checks.dynamodb-table-encryption.requireCustomerManagedKey: requireCustomerManagedKey is true but kmsKey is alias/aws/dynamodb, an AWS managed key: every fix would be judged noncompliant again. Set kmsKey to a customer managed key',
    },
    {
      name: 'cmkRequiredWithDefaultKey',
      text: `version: 1\nchecks:\n  dynamodb-table-encryption: { requireCustomerManagedKey: true }\n`,
      line: 3,
      col: 59,
      message:
        'checks.dynamodb-table-encryption.requireCustomerManagedKey: requireCustomerManagedKey is true but kmsKey is alias/aws/dynamodb, an AWS managed key: every fix would be judged noncompliant again. Set kmsKey to a customer managed key',
    },
    {
      name: 'badIgnoreVar',
      text: `version: 1\nchecks:\n  lambda-function-env-secrets:\n    ignoreVariables: [GOOD_NAME, "bad name"]\n`,
      line: 4,
      col: 34,
      message: 'checks.lambda-function-env-secrets.ignoreVariables[1]: expected an environment variable name',
    },
    {
      name: 'overrideEmptyMatch',
      text: `version: 1\noverrides:\n  - match: {}\n    defaults: { dryRun: true }\n`,
      line: 3,
      col: 12,
      message: 'overrides[0].match: expected at least one of account, organizationalUnit, region',
    },
    {
      name: 'overrideNoSettings',
      text: `version: 1\noverrides:\n  - match: { account: "111122223333" }\n`,
      line: 3,
      col: 5,
      message: 'overrides[0]: an override must set defaults or checks',
    },
    {
      name: 'overrideBadAccount',
      text: `version: 1\noverrides:\n  - match: { account: "11112222333" }\n    defaults: { dryRun: true }\n`,
      line: 3,
      col: 23,
      message: 'overrides[0].match.account: expected a 12-digit AWS account id',
    },
    {
      name: 'overrideNumericAccount',
      text: `version: 1\noverrides:\n  - match: { account: 111122223333 }\n    defaults: { dryRun: true }\n`,
      line: 3,
      col: 23,
      message: 'overrides[0].match.account: expected a 12-digit AWS account id in quotes, or a list of them, got a number',
    },
    {
      name: 'overrideBadOu',
      text: `version: 1\noverrides:\n  - match: { organizationalUnit: prod }\n    defaults: { dryRun: true }\n`,
      line: 3,
      col: 34,
      message: 'overrides[0].match.organizationalUnit: expected an organizational unit id like ou-abcd-12345678 (or a root id like r-abcd)',
    },
    {
      name: 'overrideRegionNotDeployed',
      text: `version: 1\ndeployment: { regions: [us-east-1], organizationalUnits: [ou-abcd-12345678], hubAccount: "111122223333" }\noverrides:\n  - match: { region: eu-central-1 }\n    defaults: { dryRun: true }\n`,
      line: 4,
      col: 22,
      message: 'overrides[0].match.region: this override matches nothing: region eu-central-1 is not in deployment.regions (us-east-1)',
    },
    {
      name: 'overrideUnknownMatchKey',
      text: `version: 1\noverrides:\n  - match: { acount: "111122223333" }\n    defaults: { dryRun: true }\n`,
      line: 3,
      col: 14,
      message: 'overrides[0].match.acount: unknown key "acount"; did you mean "account"?',
    },
    {
      name: 'exemptionNoTarget',
      text: `version: 1\nexemptions:\n  - { check: apigateway-stage-waf, reason: "why not" }\n`,
      line: 3,
      col: 5,
      message: 'exemptions[0]: an exemption needs a resource or a tag',
    },
    {
      name: 'exemptionNoReason',
      text: `version: 1\nexemptions:\n  - { resource: "arn:aws:dynamodb:us-east-1:111122223333:table/orders" }\n`,
      line: 3,
      col: 5,
      message: 'exemptions[0]: an exemption by resource needs a reason (for a tag exemption the tag value is the reason)',
    },
    {
      name: 'exemptionBadArn',
      text: `version: 1\nexemptions:\n  - { resource: "table/orders", reason: legacy }\n`,
      line: 3,
      col: 17,
      message: 'exemptions[0].resource: expected a resource ARN (arn:partition:service:region:account:resource, * allowed)',
    },
    {
      name: 'exemptionBadDate',
      text: `version: 1\nexemptions:\n  - { resource: "arn:aws:dynamodb:us-east-1:111122223333:table/orders", reason: legacy, expires: 2027-02-30 }\n`,
      line: 3,
      col: 98,
      message: 'exemptions[0].expires: expected a real calendar date like 2027-03-31 or an ISO-8601 timestamp',
    },
    {
      name: 'exemptionUnknownCheck',
      text: `version: 1\nexemptions:\n  - { check: apigateway-waf, resource: "arn:aws:apigateway:*::/restapis/a/stages/b", reason: legacy }\n`,
      line: 3,
      col: 14,
      message: `exemptions[0].check: expected a check id: ${CHECK_IDS.join(', ')}; did you mean "apigateway-stage-waf"?`,
    },
    {
      name: 'exemptionServiceMismatch',
      text: `version: 1\nexemptions:\n  - { check: dynamodb-table-encryption, resource: "arn:aws:lambda:us-east-1:111122223333:function:f", reason: legacy }\n`,
      line: 3,
      col: 51,
      message: 'exemptions[0].resource: this exemption matches nothing: dynamodb-table-encryption judges dynamodb resources, not lambda',
    },
    {
      name: 'exemptionDuplicate',
      text: `version: 1\nexemptions:\n  - { tag: { key: "warden:exempt" } }\n  - { resource: "arn:aws:dynamodb:*:*:table/a", reason: legacy }\n  - { tag: { key: "warden:exempt" } }\n`,
      line: 5,
      col: 5,
      message: 'exemptions[2]: duplicate of exemptions[0]',
    },
    {
      name: 'inlineSlackToken',
      text: `version: 1\napprovals:\n  slack:\n    channel: C0123456789\n    approvers: [U0123ABCD9]\n    botToken: xoxb-2048-1234567890-abcdefABCDEF0123\n    signingSecret: "secret:warden/slack-signing"\n`,
      line: 6,
      col: 15,
      message:
        'approvals.slack.botToken: this value looks like a secret (Slack token): never write one in the policy; store it in Secrets Manager and write secret:<name>',
    },
    {
      name: 'inlineTokenInReason',
      text: `version: 1\nexemptions:\n  - { resource: "arn:aws:dynamodb:*:*:table/a", reason: "key AKIAIOSFODNN7EXAMPLE rotated" }\n`,
      line: 3,
      col: 57,
      message:
        'exemptions[0].reason: this value looks like a secret (AWS access key id): never write one in the policy; store it in Secrets Manager and write secret:<name>',
    },
    {
      name: 'secretRefMalformed',
      text: `version: 1\ntickets:\n  provider: webhook\n  webhook: { url: "https://hooks.example.com/w", signingSecret: "warden/webhook" }\n`,
      line: 4,
      col: 65,
      message:
        "tickets.webhook.signingSecret: expected a Secrets Manager reference like secret:warden/slack-bot; write the secret's name, never its value",
    },
    {
      name: 'slackChannelName',
      text: `version: 1\napprovals:\n  slack:\n    channel: "#security"\n    approvers: [U0123ABCD9]\n    botToken: "secret:warden/slack-bot"\n    signingSecret: "secret:warden/slack-signing"\n`,
      line: 4,
      col: 14,
      message: 'approvals.slack.channel: expected a Slack channel id like C0123456789 (not a #name)',
    },
    {
      name: 'approvalWithoutSlack',
      text: `version: 1\ndefaults:\n  mode: approval\n`,
      line: 3,
      col: 9,
      message: 'defaults.mode: mode approval needs approvals.slack (channel, approvers and secrets)',
    },
    {
      name: 'ticketWithoutProvider',
      text: `version: 1\nchecks:\n  lambda-function-env-secrets: { mode: ticket }\n`,
      line: 3,
      col: 40,
      message: 'checks.lambda-function-env-secrets.mode: mode ticket needs a tickets provider (jira, github or webhook)',
    },
    {
      name: 'providerWithoutSection',
      text: `version: 1\ntickets:\n  provider: jira\n`,
      line: 3,
      col: 13,
      message: 'tickets.provider: provider jira needs a tickets.jira section',
    },
    {
      name: 'httpUrl',
      text: `version: 1\ntickets:\n  provider: jira\n  jira: { baseUrl: "http://example.atlassian.net", project: SEC, credentials: "secret:warden/jira" }\n`,
      line: 4,
      col: 20,
      message: 'tickets.jira.baseUrl: expected an https:// URL without credentials in it',
    },
    {
      name: 'badRegion',
      text: `version: 1\ndeployment:\n  regions: [us-east-1, europe-west-1]\n  organizationalUnits: [ou-abcd-12345678]\n  hubAccount: "111122223333"\n`,
      line: 3,
      col: 24,
      message: 'deployment.regions[1]: expected an AWS region name like us-east-1',
    },
    {
      name: 'hubAccountNumber',
      text: `version: 1\ndeployment:\n  regions: [us-east-1]\n  organizationalUnits: [ou-abcd-12345678]\n  hubAccount: 111122223333\n`,
      line: 5,
      col: 15,
      message: 'deployment.hubAccount: expected a 12-digit AWS account id in quotes (an unquoted number loses leading zeros), got 111122223333',
    },
    {
      name: 'missingRegions',
      text: `version: 1\ndeployment:\n  organizationalUnits: [ou-abcd-12345678]\n  hubAccount: "111122223333"\n`,
      line: 3,
      col: 3,
      message: 'deployment.regions: missing required key "regions"',
    },
    {
      name: 'memberKeyWithoutMemberKey',
      text: `version: 1\nchecks:\n  lambda-function-env-secrets: { kmsKey: alias/warden-secrets }\n`,
      line: 3,
      col: 42,
      message:
        "checks.lambda-function-env-secrets.kmsKey: alias/warden-secrets is the member stack's own key, which it creates only with member.encryption: customer-managed: set that, or name another key",
    },
    {
      name: 'memberEncryptionUnknown',
      text: `version: 1\nmember: { encryption: kms }\n`,
      line: 2,
      col: 23,
      message: 'member.encryption: expected a member encryption: aws-managed or customer-managed',
    },
    {
      name: 'checksNotMap',
      text: `version: 1\nchecks: [dynamodb-table-encryption]\n`,
      line: 2,
      col: 9,
      message: 'checks: expected a map, got a list',
    },
  ];

  it.each(cases)('$name', ({ text, line, col, message }) => {
    const [first] = errorsOf(text);
    expect(first).toBeDefined();
    expect(`${first?.line}:${first?.col}: ${first?.path ? `${first.path}: ` : ''}${first?.message}`).toBe(`${line}:${col}: ${message}`);
    expect(first?.file).toBe('policy.yaml');
  });
});
