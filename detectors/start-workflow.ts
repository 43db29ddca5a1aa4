import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowInput } from '../core/workflow-input';

/**
 * Starts the remediation workflow named after the finding id. Step Functions refuses a second execution
 * of the same name, so a duplicate event cannot start a second remediation: it reports `duplicate`.
 */
export function workflowStarter(sfn: SFNClient, stateMachineArn: string) {
  return async (input: WorkflowInput): Promise<'started' | 'duplicate'> => {
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: input.finding.findingId, input: JSON.stringify(input) }));
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'duplicate';
      throw error;
    }
  };
}
