import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CheckId, CheckSettings } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import type { Evaluation, Finding } from '../core/finding';
import { AppliedFixes } from '../remediators/applied-fixes';
import { FatalRemediationError } from '../remediators/errors';
import type { ApplyResult, RemediationPlan, Remediator } from '../remediators/remediator';
import { lambdaClientConfig, lambdaHandler, observability, requiredEnv, tracedClients } from './runtime';

export interface RemediatorEvent<Id extends CheckId> {
  /** `plan`: the exact calls `apply` would make, for the approval, the ticket and the record (pure, no AWS call). */
  readonly action: 'plan' | 'apply' | 'verify';
  /** The workflow execution's name: one per finding and episode. */
  readonly execution?: string;
  readonly finding: Finding;
  readonly settings: CheckSettings<Id>;
}

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
      DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient(lambdaClientConfig()))),
      requiredEnv('WARDEN_COUNTER_TABLE'),
    ),
  };
  return lambdaHandler(tools, async (event: RemediatorEvent<Id>): Promise<ApplyResult<Undo> | Evaluation | RemediationPlan> => {
    try {
      const where = { check: remediator.check, findingId: event.finding.findingId, resourceArn: event.finding.resourceArn };
      if (event.action === 'plan') {
        const plan = remediator.plan(event.finding, event.settings, context);
        log.info('planned', { ...where, calls: plan.calls.map((call) => `${call.client}.${call.operation}`) });
        return plan;
      }
      if (event.action === 'verify') {
        const evaluation = await remediator.verify(event.finding, event.settings, traced);
        log.info('verified', { ...where, status: evaluation.status });
        return evaluation;
      }
      if (event.action !== 'apply') throw new FatalRemediationError(`unknown remediator action ${JSON.stringify(event.action)}`);
      const result = await remediator.apply(event.finding, event.settings, traced, {
        ...context,
        ...(event.execution ? { execution: event.execution } : {}),
      });
      if (result.undoNotKept) {
        log.warn('the fix is applied but its undo could not be kept for a retry', { ...where, error: result.undoNotKept });
        counters.count('UndoNotKept');
      }
      counters.count(result.changed ? 'Remediated' : 'AlreadyCompliant');
      log.info(result.changed ? 'remediated' : 'already compliant, nothing changed', where);
      return result;
    } catch (error) {
      counters.count('RemediationError');
      throw error;
    }
  });
}
