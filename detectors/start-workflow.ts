import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowStart } from '../core/workflow-input';
import { episodeSeconds, type FindingEpisodes } from './finding-episodes';

/**
 * Starts the remediation workflow for a finding's new episode, named `<finding id>-<episode>`. A
 * duplicate event (same finding, episode still open) starts nothing and reports `duplicate`.
 */
export function workflowStarter(sfn: SFNClient, stateMachineArn: string, episodes: FindingEpisodes, now: () => Date = () => new Date()) {
  return async (input: WorkflowStart): Promise<'started' | 'duplicate'> => {
    const episode = await episodes.open(input.finding.findingId, now(), episodeSeconds(input.decision.approvalTimeoutSeconds));
    if (episode === 'busy') return 'duplicate';
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `${input.finding.findingId}-${episode}`, input: JSON.stringify(input) }));
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'duplicate';
      throw error;
    }
  };
}
