import { APIGatewayClient, GetAccountCommand, GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { apigatewayStageAccessLogging } from '../../../core/catalogue/apigateway-stage-access-logging';
import { FatalRemediationError, UndoRefusedError, VerificationFailedError } from '../../../remediators/errors';
import { apigatewayStageAccessLoggingRemediator as remediator } from '../../../remediators/apigateway-stage-access-logging';
import { apiFixture } from '../../support/fixtures';
import { findingFor, NO_WAIT } from '../../support/findings';

const apigateway = mockClient(APIGatewayClient);
const logs = mockClient(CloudWatchLogsClient);
// Clients per test: the detector remembers the account's role per client for a minute.
let clients: { apigateway: APIGatewayClient; logs: CloudWatchLogsClient };
const ref = {
  check: 'apigateway-stage-access-logging' as const,
  account: '111122223333',
  region: 'us-east-1',
  resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
};
const ROLE = 'arn:aws:iam::111122223333:role/apigateway-cloudwatch';
const GROUP = '/aws/apigateway/access-logs/a1b2c3d4e5/prod';
const DESTINATION = `arn:aws:logs:us-east-1:111122223333:log-group:${GROUP}`;
const findingWith = (cloudWatchRoleArn: string | null) =>
  findingFor(ref, {
    reason: 'stage a1b2c3d4e5/prod writes no access logs',
    evidence: { restApiId: 'a1b2c3d4e5', stageName: 'prod', cloudWatchRoleArn },
  });
const settings = apigatewayStageAccessLogging.settings.parse({});
const logged = () => ({
  ...apiFixture('apigateway-get-stage-no-method-settings'),
  accessLogSettings: { destinationArn: DESTINATION, format: settings.format },
});

beforeEach(() => {
  apigateway.reset();
  logs.reset();
  clients = { apigateway: new APIGatewayClient({ region: 'us-east-1' }), logs: new CloudWatchLogsClient({ region: 'us-east-1' }) };
  apigateway.on(GetStageCommand).resolves(apiFixture('apigateway-get-stage-no-method-settings'));
  apigateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: ROLE });
});

describe('apigateway-stage-access-logging remediator', () => {
  it("plans the stage's own log group, its retention, and the stage's access log settings", () => {
    const plan = remediator.plan(findingWith(ROLE), settings, {});
    expect(plan.calls).toEqual([
      {
        client: 'CloudWatchLogs',
        operation: 'CreateLogGroup',
        input: { logGroupName: GROUP, tags: { 'warden:managed': 'true', 'warden:stage': ref.resourceArn } },
      },
      { client: 'CloudWatchLogs', operation: 'PutRetentionPolicy', input: { logGroupName: GROUP, retentionInDays: 365 } },
      {
        client: 'APIGateway',
        operation: 'UpdateStage',
        input: {
          restApiId: 'a1b2c3d4e5',
          stageName: 'prod',
          patchOperations: [
            { op: 'replace', path: '/accessLogSettings/destinationArn', value: DESTINATION },
            { op: 'replace', path: '/accessLogSettings/format', value: settings.format },
          ],
        },
      },
    ]);
    expect(plan.notes.join(' ')).toContain('Callers see no change');
  });

  it('plans nothing without the account CloudWatch role, and says what the account owner must set', () => {
    const plan = remediator.plan(findingWith(null), settings, {});
    expect(plan.calls).toEqual([]);
    expect(plan.notes[0]).toMatch(/CloudWatch role is not set.*AmazonAPIGatewayPushToCloudWatchLogs.*UpdateAccount/);
  });

  it('applies exactly the planned calls, in order, and keeps a group a retried invocation made', async () => {
    logs.on(CreateLogGroupCommand).rejects(new ResourceAlreadyExistsException({ message: 'The specified log group already exists', $metadata: {} }));
    const result = await remediator.apply(findingWith(ROLE), settings, clients, {});
    const [create, retention, stage] = remediator.plan(findingWith(ROLE), settings, {}).calls;
    expect(logs).toHaveReceivedCommandWith(CreateLogGroupCommand, create!.input);
    expect(logs).toHaveReceivedCommandWith(PutRetentionPolicyCommand, retention!.input);
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, stage!.input);
    expect(result).toEqual({ changed: true, undo: { restApiId: 'a1b2c3d4e5', stageName: 'prod', destinationArn: DESTINATION } });
  });

  it('refuses at apply time too when the account has no CloudWatch role, creating nothing', async () => {
    apigateway.on(GetAccountCommand).resolves({});
    await expect(remediator.apply(findingWith(ROLE), settings, clients, {})).rejects.toBeInstanceOf(FatalRemediationError);
    expect(logs).not.toHaveReceivedAnyCommand();
  });

  it('verifies with the detector', async () => {
    await expect(remediator.verify(findingWith(ROLE), settings, clients, NO_WAIT)).rejects.toBeInstanceOf(VerificationFailedError);
    apigateway.on(GetStageCommand).resolves(logged());
    await expect(remediator.verify(findingWith(ROLE), settings, clients, NO_WAIT)).resolves.toMatchObject({ status: 'COMPLIANT' });
  });

  it('undo removes the access log settings while the stage still writes to the group Warden set, and keeps the group', async () => {
    apigateway.on(GetStageCommand).resolves(logged());
    const review = await remediator.undo({ restApiId: 'a1b2c3d4e5', stageName: 'prod', destinationArn: DESTINATION }, clients);
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, {
      restApiId: 'a1b2c3d4e5',
      stageName: 'prod',
      patchOperations: [{ op: 'remove', path: '/accessLogSettings' }],
    });
    expect(review.notes[0]).toContain('the logs in it stay');
  });

  it('undo refuses, and changes nothing, once the stage writes elsewhere', async () => {
    apigateway.on(GetStageCommand).resolves({
      ...logged(),
      accessLogSettings: { destinationArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/amazon-apigateway-logs' },
    });
    await expect(remediator.undo({ restApiId: 'a1b2c3d4e5', stageName: 'prod', destinationArn: DESTINATION }, clients)).rejects.toBeInstanceOf(
      UndoRefusedError,
    );
    expect(apigateway).not.toHaveReceivedCommand(UpdateStageCommand);
  });
});
