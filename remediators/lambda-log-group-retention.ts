import {
  DeleteRetentionPolicyCommand,
  InvalidParameterException,
  PutRetentionPolicyCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Finding } from '../core/finding';
import { describeLogGroup, lambdaLogGroupRetentionDetector as detector } from '../detectors/lambda-log-group-retention';
import { FatalRemediationError } from './errors';
import type { PlannedCall, Remediator } from './remediator';
import { defineRemediator } from './define-remediator';

export interface LogGroupRetentionUndo {
  readonly logGroupName: string;
  /** The retention before the fix; absent: the group never expired its events. */
  readonly previousRetentionInDays?: number;
  /** What the fix set: undo acts only while the group still has it. */
  readonly retentionInDays: number;
}

const kept = (days: number | undefined) => (days === undefined ? 'never expires' : `${days} days`);

function restoreCall(record: LogGroupRetentionUndo): PlannedCall {
  const { logGroupName, previousRetentionInDays } = record;
  return previousRetentionInDays === undefined
    ? { client: 'CloudWatchLogs', operation: 'DeleteRetentionPolicy', input: { logGroupName } }
    : { client: 'CloudWatchLogs', operation: 'PutRetentionPolicy', input: { logGroupName, retentionInDays: previousRetentionInDays } };
}

export const lambdaLogGroupRetentionRemediator: Remediator<'lambda-log-group-retention', 'logs', LogGroupRetentionUndo> = defineRemediator({
  check: 'lambda-log-group-retention',
  detector,

  plan(finding: Finding, settings) {
    const { logGroupName, retentionInDays } = finding.evidence as { logGroupName?: string; retentionInDays?: number | null };
    const days = settings.retentionInDays;
    return {
      calls: [{ client: 'CloudWatchLogs', operation: 'PutRetentionPolicy', input: { logGroupName, retentionInDays: days } }],
      notes: [
        `The group now ${kept(retentionInDays ?? undefined)}; from the fix on it keeps ${days} days. CloudWatch Logs deletes events older than ` +
          `${days} days within about 72 hours, and undo restores the setting, not those events: whoever needs them (audits, investigations) ` +
          'must export them (CreateExportTask to S3) before this is applied.',
        'The function keeps logging; nothing it does changes.',
      ],
    };
  },

  async fix({ state }, _finding, settings, clients) {
    try {
      await clients.logs.send(new PutRetentionPolicyCommand({ logGroupName: state.logGroupName, retentionInDays: settings.retentionInDays }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException || error instanceof InvalidParameterException)
        throw new FatalRemediationError(`log group ${state.logGroupName}: ${error.name}: ${error.message}`, { cause: error });
      throw error;
    }
    const undo: LogGroupRetentionUndo = {
      logGroupName: state.logGroupName,
      retentionInDays: settings.retentionInDays,
      ...(state.retentionInDays !== undefined ? { previousRetentionInDays: state.retentionInDays } : {}),
    };
    return { changed: true, undo };
  },

  async prepareUndo(record, clients) {
    const group = await describeLogGroup(clients.logs, record.logGroupName);
    if (!group) throw new FatalRemediationError(`log group ${record.logGroupName} no longer exists`);
    const drift =
      group.retentionInDays === record.retentionInDays
        ? []
        : [
            {
              field: 'retentionInDays',
              warden: String(record.retentionInDays),
              now: group.retentionInDays === undefined ? '(never expires)' : String(group.retentionInDays),
            },
          ];
    const call = restoreCall(record);
    return {
      drift,
      calls: [call],
      notes: [`The group then ${kept(record.previousRetentionInDays)} again. Events the fix's retention deleted are not restored.`],
      run: async () => {
        const { logGroupName, previousRetentionInDays } = record;
        if (previousRetentionInDays === undefined) await clients.logs.send(new DeleteRetentionPolicyCommand({ logGroupName }));
        else await clients.logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: previousRetentionInDays }));
      },
    };
  },
});
