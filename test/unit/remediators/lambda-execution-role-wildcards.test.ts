import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lambdaExecutionRoleWildcards } from '../../../core/catalogue/lambda-execution-role-wildcards';
import { lambdaExecutionRoleWildcardsRemediator as remediator } from '../../../remediators/lambda-execution-role-wildcards';
import { findingFor } from '../../support/findings';

const iam = mockClient(IAMClient);
const ref = {
  check: 'lambda-execution-role-wildcards' as const,
  account: '111122223333',
  region: 'us-east-1',
  resourceArn: 'arn:aws:iam::111122223333:role/service-role/orders-role',
};
const settings = lambdaExecutionRoleWildcards.settings.parse({});
const offending = [
  { policy: 'inline:orders-data', sid: 'Uploads', actions: ['s3:*'], resources: ['*'], why: 'allows every s3 action (s3:*) on *' },
  { policy: 'arn:aws:iam::aws:policy/AdministratorAccess', actions: ['*'], resources: ['*'], why: 'allows every action (*) on *' },
];

describe('lambda-execution-role-wildcards remediator', () => {
  it('plans no call, so the workflow tickets it, with the statements and a starting policy from what the role used', () => {
    const finding = findingFor(ref, {
      reason: 'execution role orders-role: …',
      evidence: {
        roleName: 'orders-role',
        offendingCount: 2,
        offending,
        permissionsBoundary: 'arn:aws:iam::111122223333:policy/workload-boundary',
        lastAccessed: {
          status: 'COMPLETED',
          used: [
            { service: 'dynamodb', lastUsed: '2026-11-19' },
            { service: 's3', lastUsed: '2026-11-18', actions: ['s3:CreateBucket', 's3:PutBucketPolicy'] },
          ],
          neverUsed: ['ec2', 'iam'],
        },
      },
    });
    const plan = remediator.plan(finding, settings, {});
    expect(plan.calls).toEqual([]);
    expect(plan.notes).toEqual([
      'Offending statements: inline:orders-data (Uploads): allows every s3 action (s3:*) on *; arn:aws:iam::aws:policy/AdministratorAccess: allows every action (*) on *.',
      'The permissions boundary arn:aws:iam::111122223333:policy/workload-boundary limits what these statements allow; the statements themselves still need narrowing.',
      'A starting least-privilege policy, from what the role used (IAM last-accessed data): the services dynamodb (last 2026-11-19), ' +
        's3 (last 2026-11-18; of its management actions: s3:CreateBucket, s3:PutBucketPolicy). IAM names the services used, and for some ' +
        'of them the management actions, never the data actions (object reads and writes, item reads and writes): take the exact actions ' +
        "from CloudTrail or IAM Access Analyzer's policy generation, and scope each to the resources the function uses.",
      'Granted and never used in the tracking period, to drop: ec2, iam.',
      expect.stringMatching(/^Warden changes no IAM: .* fail at run time\. The function owner must .* exemption\.$/),
    ]);
    expect(iam).not.toHaveReceivedAnyCommand();
  });

  it('says when what the role used is not known, and how many more statements offend than the finding names', () => {
    const finding = findingFor(ref, {
      reason: 'r',
      evidence: {
        offendingCount: 30,
        offending: offending.slice(0, 1),
        lastAccessed: { status: 'UNAVAILABLE', why: 'IAM refused the last-accessed report (AccessDenied)' },
      },
    });
    const notes = remediator.plan(finding, settings, {}).notes;
    expect(notes[0]).toMatch(/; and 29 more\.$/);
    expect(notes[1]).toBe(
      'What the role used is not known: IAM refused the last-accessed report (AccessDenied). IAM\'s Access Advisor (the role\'s "Last accessed" tab) shows it.',
    );
  });

  it('has no fix and nothing to undo', async () => {
    const clients = { iam: new IAMClient({ region: 'us-east-1' }) };
    await expect(remediator.reviewUndo(undefined as never, clients)).rejects.toThrow(/made no change to undo/);
  });
});
