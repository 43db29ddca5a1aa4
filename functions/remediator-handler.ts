import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from '../core/aws/document-client';
import type { CheckId } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import type { Evaluation } from '../core/finding';
import { AppliedFixes } from '../remediators/applied-fixes';
import { type RemediatorAnswer, type RemediatorEvent, runRemediatorAction } from '../remediators/run-action';
import type { ApplyResult, HealthReport, RemediationPlan, Remediator } from '../remediators/remediator';
import { lambdaClientConfig, lambdaHandler, observability, requiredEnv, tracedClients } from './runtime';

export type { RemediatorEvent } from '../remediators/run-action';

/**
 * A remediator Lambda, invoked by the workflow. Errors keep their class name (RetryableRemediationError,
 * StillTransitioningError, ...) as the Lambda error type, which the workflow's Retry and Catch match.
 */
export function remediatorHandler<Id extends CheckId, Clients extends keyof AwsClients, Undo>(
  remediator: Remediator<Id, Clients, Undo>,
  clients: Pick<AwsClients, Clients>,
) {
  const tools = observability(`warden-remediator-${remediator.check}`);
  const { tracer, log, counters } = tools;
  const traced = tracedClients(tracer, clients);
  const context = {
    baselineWebAclArn: process.env['WARDEN_BASELINE_WEB_ACL_ARN'] ?? '',
    appliedFixes: new AppliedFixes(
      new DocumentClient(tracer.captureAWSv3Client(new DynamoDBClient(lambdaClientConfig()))),
      requiredEnv('WARDEN_COUNTER_TABLE'),
    ),
  };
  return lambdaHandler(tools, async (event: RemediatorEvent<Id>): Promise<ApplyResult<Undo> | Evaluation | RemediationPlan | HealthReport> => {
    const where = { check: remediator.check, findingId: event.finding.findingId, resourceArn: event.finding.resourceArn, action: event.action };
    let answer: RemediatorAnswer<Undo>;
    try {
      answer = await runRemediatorAction(remediator, event, traced, context);
    } catch (error) {
      counters.count('RemediationError');
      throw error;
    }
    switch (answer.action) {
      case 'plan':
        log.info('planned', { ...where, calls: answer.result.calls.map((call) => `${call.client}.${call.operation}`) });
        break;
      case 'verify':
        log.info('verified', { ...where, status: answer.result.status });
        break;
      case 'health':
        counters.count(answer.result.healthy ? 'Healthy' : 'Unhealthy');
        log.info('health judged', { ...where, healthy: answer.result.healthy, before: answer.result.before, after: answer.result.after });
        break;
      default: {
        const result = answer.result;
        if (result.undoNotKept) {
          log.warn('the fix is applied but its undo could not be kept for a retry', { ...where, error: result.undoNotKept });
          counters.count('UndoNotKept');
        }
        const outcome = answer.action === 'complete' ? 'Completed' : result.staged ? 'Staged' : result.changed ? 'Remediated' : 'AlreadyCompliant';
        counters.count(outcome);
        log.info(
          {
            Completed: 'second phase made',
            Staged: 'first phase made',
            Remediated: 'remediated',
            AlreadyCompliant: 'already compliant, nothing changed',
          }[outcome],
          where,
        );
      }
    }
    return answer.result;
  });
}
