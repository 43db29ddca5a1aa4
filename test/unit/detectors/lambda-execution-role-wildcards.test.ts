import {
  GenerateServiceLastAccessedDetailsCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  IAMClient,
  IAMServiceException,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaExecutionRoleWildcards } from '../../../core/catalogue/lambda-execution-role-wildcards';
import { lambdaExecutionRoleWildcardsDetector as detector } from '../../../detectors/lambda-execution-role-wildcards';
import { apiFixture } from '../../support/fixtures';
import { parsePolicy } from '../../../core/policy/parse-policy';
import { handleDetectorEvent } from '../../../detectors/handle-event';
import { detectionDeps } from '../../support/detection-deps';
import { eventFixture } from '../../support/events';

const iam = mockClient(IAMClient);
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const defaults = lambdaExecutionRoleWildcards.settings.parse({});
const ref = (region = 'us-east-1') => ({
  check: 'lambda-execution-role-wildcards' as const,
  account: '111122223333',
  region,
  resourceArn: 'arn:aws:iam::111122223333:role/orders-role',
});
/** A fresh client per test: the detector remembers policy answers per client. */
let clients: { iam: IAMClient };

beforeEach(() => {
  iam.reset();
  clients = { iam: new IAMClient({ region: 'us-east-1' }) };
  iam.on(GetRoleCommand).resolves(apiFixture('iam-get-role-lambda'));
  iam.on(ListRolePoliciesCommand).resolves(apiFixture('iam-list-role-policies'));
  iam.on(GetRolePolicyCommand).resolves(apiFixture('iam-get-role-policy-scoped'));
  iam.on(ListAttachedRolePoliciesCommand).resolves(apiFixture('iam-list-attached-role-policies-basic'));
  iam.on(GetPolicyCommand, { PolicyArn: BASIC }).resolves(apiFixture('iam-get-policy-basic-execution'));
  iam.on(GetPolicyCommand, { PolicyArn: ADMIN }).resolves(apiFixture('iam-get-policy-administrator-access'));
  iam.on(GetPolicyVersionCommand, { PolicyArn: BASIC }).resolves(apiFixture('iam-get-policy-version-basic-execution'));
  iam.on(GetPolicyVersionCommand, { PolicyArn: ADMIN }).resolves(apiFixture('iam-get-policy-version-administrator-access'));
  iam.on(GenerateServiceLastAccessedDetailsCommand).resolves(apiFixture('iam-generate-service-last-accessed-details'));
  iam.on(GetServiceLastAccessedDetailsCommand).resolves(apiFixture('iam-get-service-last-accessed-details'));
});

async function judge(region?: string, settings = defaults) {
  const state = await detector.fetch(ref(region), clients, settings);
  if (!state) throw new Error('expected a state');
  return { state, evaluation: await detector.evaluate(state, settings) };
}

describe('lambda-execution-role-wildcards detector', () => {
  it("judges a role scoped to its resources compliant, with Lambda's own execution policy on * and reads on *, and asks IAM for no usage", async () => {
    const { state, evaluation } = await judge();
    expect(evaluation).toEqual({
      status: 'COMPLIANT',
      reason: 'execution role orders-role grants no wildcard and no write on any resource',
      evidence: { roleName: 'orders-role', policies: ['inline:orders-data', BASIC] },
    });
    // The finding names the role as IAM does, with its path; its tags come with GetRole.
    expect(state).toMatchObject({ resourceArn: 'arn:aws:iam::111122223333:role/service-role/orders-role', tags: { owner: 'orders-team' } });
    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: 'orders-role' });
    expect(iam).toHaveReceivedCommandWith(GetRolePolicyCommand, { RoleName: 'orders-role', PolicyName: 'orders-data' });
    expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, { PolicyArn: BASIC, VersionId: 'v1' });
    expect(iam).not.toHaveReceivedCommand(GenerateServiceLastAccessedDetailsCommand);
  });

  it('finds a service wildcard and writes on * in an inline policy, ignores Deny, and records what the role used', async () => {
    iam.on(GetRolePolicyCommand).resolves(apiFixture('iam-get-role-policy-s3-wildcard'));
    const { evaluation } = await judge();
    expect(evaluation.status).toBe('NON_COMPLIANT');
    expect(evaluation.reason).toBe(
      'execution role orders-role: inline:orders-data (Uploads) allows every s3 action (s3:*) on *; ' +
        'inline:orders-data (Events) allows write actions on any resource (*): events:PutEvents, sqs:SendMessage',
    );
    expect(evaluation.evidence).toEqual({
      roleName: 'orders-role',
      policies: ['inline:orders-data', BASIC],
      offendingCount: 2,
      offending: [
        { policy: 'inline:orders-data', sid: 'Uploads', actions: ['s3:*'], resources: ['*'], why: 'allows every s3 action (s3:*) on *' },
        {
          policy: 'inline:orders-data',
          sid: 'Events',
          actions: ['events:PutEvents', 'sqs:SendMessage'],
          resources: ['*'],
          why: 'allows write actions on any resource (*): events:PutEvents, sqs:SendMessage',
        },
      ],
      lastAccessed: {
        status: 'COMPLETED',
        used: [
          { service: 'dynamodb', lastUsed: '2026-11-19' },
          { service: 's3', lastUsed: '2026-11-18', actions: ['s3:CreateBucket', 's3:PutBucketPolicy'] },
        ],
        neverUsed: ['ec2', 'iam'],
      },
    });
    const role = 'arn:aws:iam::111122223333:role/service-role/orders-role';
    expect(iam).toHaveReceivedCommandWith(GenerateServiceLastAccessedDetailsCommand, { Arn: role, Granularity: 'ACTION_LEVEL' });
    expect(iam).toHaveReceivedCommandWith(GetServiceLastAccessedDetailsCommand, { JobId: 'examplef-1305-c245-eba4-71fe298bcda7' });
  });

  it('finds AdministratorAccess attached, and says a permissions boundary is there', async () => {
    iam.on(GetRoleCommand).resolves(apiFixture('iam-get-role-lambda-boundary'));
    iam.on(ListAttachedRolePoliciesCommand).resolves(apiFixture('iam-list-attached-role-policies-admin'));
    const { evaluation } = await judge();
    expect(evaluation.evidence).toMatchObject({
      permissionsBoundary: 'arn:aws:iam::111122223333:policy/workload-boundary',
      offending: [{ policy: ADMIN, actions: ['*'], resources: ['*'], why: 'allows every action (*) on *' }],
    });
  });

  it('waits for the last-accessed report while IAM builds it', async () => {
    iam.on(GetRolePolicyCommand).resolves(apiFixture('iam-get-role-policy-s3-wildcard'));
    iam
      .on(GetServiceLastAccessedDetailsCommand)
      .resolvesOnce(apiFixture('iam-get-service-last-accessed-details-in-progress'))
      .resolves(apiFixture('iam-get-service-last-accessed-details'));
    const { evaluation } = await judge();
    expect(evaluation.evidence['lastAccessed']).toMatchObject({ status: 'COMPLETED' });
    expect(iam).toHaveReceivedCommandTimes(GetServiceLastAccessedDetailsCommand, 2);
  });

  it("names IAM's refusal of the last-accessed report in the finding, and still judges the role", async () => {
    iam.on(GetRolePolicyCommand).resolves(apiFixture('iam-get-role-policy-s3-wildcard'));
    iam
      .on(GenerateServiceLastAccessedDetailsCommand)
      .rejects(new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'denied' }));
    const { evaluation } = await judge();
    expect(evaluation.status).toBe('NON_COMPLIANT');
    expect(evaluation.evidence['lastAccessed']).toEqual({ status: 'UNAVAILABLE', why: 'IAM refused the last-accessed report (AccessDenied)' });
  });

  it('judges a role Lambda cannot assume not applicable, without reading its policies', async () => {
    iam.on(GetRoleCommand).resolves(apiFixture('iam-get-role-ec2'));
    const { evaluation } = await judge();
    expect(evaluation.status).toBe('NOT_APPLICABLE');
    expect(iam).not.toHaveReceivedCommand(ListRolePoliciesCommand);
  });

  it("judges a role outside IAM's home region not applicable, with no call (the home region judges it once)", async () => {
    const { evaluation } = await judge('eu-west-1');
    expect(evaluation).toMatchObject({ status: 'NOT_APPLICABLE', reason: expect.stringContaining("judged in IAM's home region") });
    expect(iam.calls()).toHaveLength(0);
  });

  it('treats a deleted role as gone, and lets access denied propagate', async () => {
    iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ $metadata: {}, message: 'The role with name orders-role cannot be found.' }));
    await expect(detector.fetch(ref(), clients, defaults)).resolves.toBeUndefined();
    iam
      .on(GetRoleCommand)
      .rejects(new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'denied' }));
    await expect(detector.fetch(ref(), clients, defaults)).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('reads a managed policy shared by many roles once per client', async () => {
    await judge();
    await judge();
    expect(iam).toHaveReceivedCommandTimes(GetPolicyVersionCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(GetPolicyCommand, 1);
  });

  it("lists only the roles Lambda may assume, in IAM's home region only", async () => {
    iam.on(ListRolesCommand).resolves(apiFixture('iam-list-roles'));
    const page = await detector.listPage(clients, { account: '111122223333', region: 'us-east-1' });
    expect(page).toEqual({
      items: [
        {
          ref: {
            check: 'lambda-execution-role-wildcards',
            account: '111122223333',
            region: 'us-east-1',
            resourceArn: 'arn:aws:iam::111122223333:role/service-role/orders-role',
          },
        },
      ],
      next: 'AAEAAExampleMarker',
    });
    await expect(detector.listPage(clients, { account: '111122223333', region: 'eu-west-1' })).resolves.toEqual({ items: [] });
    expect(iam).toHaveReceivedCommandTimes(ListRolesCommand, 1);
  });
});

describe('lambda-execution-role-wildcards findings', () => {
  it('are the same finding whatever the role used since: last-accessed data is shown, not part of its id', async () => {
    iam.on(GetRolePolicyCommand).resolves(apiFixture('iam-get-role-policy-s3-wildcard'));
    const now = new Date('2026-11-20T10:00:05Z');
    const { policy } = parsePolicy('version: 1\n', 'policy.yaml', now);
    const { deps, started } = detectionDeps(detector, clients, policy, { now });
    await handleDetectorEvent(eventFixture('cloudtrail-iam-put-role-policy'), deps);
    iam.on(GetServiceLastAccessedDetailsCommand).resolves(apiFixture('iam-get-service-last-accessed-details-in-progress'));
    iam.on(GenerateServiceLastAccessedDetailsCommand).resolves({});
    await handleDetectorEvent(eventFixture('cloudtrail-iam-attach-role-policy'), deps);
    const [first, second] = started.map((input) => input.finding);
    expect(first?.evidence['lastAccessed']).toMatchObject({ status: 'COMPLETED' });
    expect(second?.evidence['lastAccessed']).toEqual({ status: 'UNAVAILABLE', why: 'IAM started no job' });
    expect(second?.findingId).toBe(first?.findingId);
    expect(first).toMatchObject({ resourceArn: 'arn:aws:iam::111122223333:role/service-role/orders-role', tags: { owner: 'orders-team' } });
  });
});
