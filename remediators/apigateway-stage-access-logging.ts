import { GetStageCommand, NotFoundException, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { CreateLogGroupCommand, PutRetentionPolicyCommand, ResourceAlreadyExistsException } from '@aws-sdk/client-cloudwatch-logs';
import { partitionOf } from '../core/aws/arns';
import { ACCESS_LOG_PREFIX } from '../core/catalogue/apigateway-stage-access-logging';
import type { CheckSettings } from '../core/catalogue';
import type { Finding } from '../core/finding';
import { apigatewayStageAccessLoggingDetector as detector } from '../detectors/apigateway-stage-access-logging';
import { FatalRemediationError } from './errors';
import type { PlannedCall, Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

export interface AccessLoggingUndo {
  readonly restApiId: string;
  readonly stageName: string;
  /** The log group the fix pointed the stage at: undo acts only while the stage still writes there. */
  readonly destinationArn: string;
}

type Settings = CheckSettings<'apigateway-stage-access-logging'>;

const logGroupName = (restApiId: string, stageName: string) => `${ACCESS_LOG_PREFIX}${restApiId}/${stageName}`;
const logGroupArn = (region: string, account: string, name: string) => `arn:${partitionOf(region)}:logs:${region}:${account}:log-group:${name}`;

function calls(finding: Finding, restApiId: string, stageName: string, settings: Settings) {
  const name = logGroupName(restApiId, stageName);
  const destinationArn = logGroupArn(finding.region, finding.account, name);
  const createGroup = { logGroupName: name, tags: { 'warden:managed': 'true', 'warden:stage': finding.resourceArn } };
  const retention = { logGroupName: name, retentionInDays: settings.retentionInDays };
  const stage = {
    restApiId,
    stageName,
    patchOperations: [
      { op: 'replace' as const, path: '/accessLogSettings/destinationArn', value: destinationArn },
      { op: 'replace' as const, path: '/accessLogSettings/format', value: settings.format },
    ],
  };
  const planned: PlannedCall[] = [
    { client: 'CloudWatchLogs', operation: 'CreateLogGroup', input: createGroup },
    { client: 'CloudWatchLogs', operation: 'PutRetentionPolicy', input: retention },
    { client: 'APIGateway', operation: 'UpdateStage', input: stage },
  ];
  return { destinationArn, createGroup, retention, stage, planned };
}

const NO_ROLE =
  'API Gateway cannot write logs in this account and region: its CloudWatch role is not set. The account owner must create a role that ' +
  'trusts apigateway.amazonaws.com with the AmazonAPIGatewayPushToCloudWatchLogs managed policy and set it with UpdateAccount ' +
  '(patch /cloudwatchRoleArn); Warden creates no IAM roles';

export const apigatewayStageAccessLoggingRemediator: Remediator<'apigateway-stage-access-logging', 'apigateway' | 'logs', AccessLoggingUndo> =
  defineRemediator({
    check: 'apigateway-stage-access-logging',
    detector,

    plan(finding, settings) {
      const {
        restApiId = '',
        stageName = '',
        cloudWatchRoleArn = null,
      } = finding.evidence as {
        restApiId?: string;
        stageName?: string;
        cloudWatchRoleArn?: string | null;
      };
      if (!cloudWatchRoleArn) return { calls: [], notes: [`Warden will not turn access logging on: ${NO_ROLE}.`] };
      return {
        calls: calls(finding, restApiId, stageName, settings).planned,
        notes: [
          `Callers see no change. Each request adds a log line (CloudWatch Logs ingestion is $0.50 per GB), kept ${settings.retentionInDays} days.`,
          `API Gateway writes with the account's role ${cloudWatchRoleArn}.`,
        ],
      };
    },

    async fix({ state }, finding, settings, clients) {
      if (!state.cloudWatchRoleArn) throw new FatalRemediationError(`stage ${state.restApiId}/${state.stageName}: ${NO_ROLE}`);
      const { destinationArn, createGroup, retention, stage } = calls(finding, state.restApiId, state.stageName, settings);
      try {
        await clients.logs.send(new CreateLogGroupCommand(createGroup));
      } catch (error) {
        // A retried invocation finds the group it created: keep it.
        if (!(error instanceof ResourceAlreadyExistsException)) throw error;
      }
      await clients.logs.send(new PutRetentionPolicyCommand(retention));
      try {
        await clients.apigateway.send(new UpdateStageCommand(stage));
      } catch (error) {
        if (error instanceof NotFoundException)
          throw new FatalRemediationError(`stage ${state.restApiId}/${state.stageName} no longer exists`, { cause: error });
        throw error;
      }
      return { changed: true, undo: { restApiId: state.restApiId, stageName: state.stageName, destinationArn } };
    },

    async prepareUndo(record, clients) {
      const { accessLogSettings } = await clients.apigateway.send(new GetStageCommand({ restApiId: record.restApiId, stageName: record.stageName }));
      const now = accessLogSettings?.destinationArn ?? '';
      const drift =
        now === record.destinationArn ? [] : [{ field: 'accessLogSettings.destinationArn', warden: record.destinationArn, now: now || '(none)' }];
      const input = {
        restApiId: record.restApiId,
        stageName: record.stageName,
        patchOperations: [{ op: 'remove' as const, path: '/accessLogSettings' }],
      };
      return {
        drift,
        calls: [{ client: 'APIGateway', operation: 'UpdateStage', input }],
        notes: [
          `The stage stops writing access logs. The log group ${record.destinationArn} and the logs in it stay; delete it by hand if they are not wanted.`,
        ],
        run: async () => void (await clients.apigateway.send(new UpdateStageCommand(input))),
      };
    },
  });
