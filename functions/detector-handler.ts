import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { CheckId } from '../core/catalogue';
import type { AwsClients } from '../core/aws/clients';
import { rateBuckets, rateLimited, ratesFor } from '../core/aws/rate-limit';
import { handleDetectorEvent } from '../detectors/handle-event';
import type { DetectionSummary, SweepProgress } from '../detectors/sweep';
import type { Detector, FetchedState } from '../detectors/detector';
import { AcceptedRisks } from '../detectors/accepted-risks';
import { FindingEpisodes } from '../detectors/finding-episodes';
import { StackLookup } from '../detectors/managed-by';
import { Rebreaks } from '../detectors/rebreaks';
import { workflowStarter } from '../detectors/start-workflow';
import { embeddedPolicy, lambdaClientConfig, lambdaHandler, observability, organizationalUnits, requiredEnv, tracedClients } from './runtime';

/**
 * A detector Lambda: thin wiring of clients, policy and observability around `handleDetectorEvent`.
 * Everything is built once per container (cold start), not per event.
 */
export function detectorHandler<Id extends CheckId, State extends FetchedState, Clients extends keyof AwsClients>(
  detector: Detector<Id, State, Clients>,
  clients: Pick<AwsClients, Clients>,
) {
  const tools = observability(`warden-detector-${detector.check}`);
  const { tracer, log, counters } = tools;
  const region = requiredEnv('AWS_REGION');
  const sfn = tracer.captureAWSv3Client(new SFNClient(lambdaClientConfig()));
  const counterTable = requiredEnv('WARDEN_COUNTER_TABLE');
  const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient(lambdaClientConfig()));
  const policy = embeddedPolicy();
  const traced = tracedClients(tracer, clients);
  let limited: Pick<AwsClients, Clients> | undefined;
  const deps = {
    detector,
    policy,
    organizationalUnits: organizationalUnits(),
    startWorkflow: workflowStarter(sfn, requiredEnv('WARDEN_STATE_MACHINE_ARN'), new FindingEpisodes(dynamodb, counterTable)),
    acceptedRisks: new AcceptedRisks(dynamodb, counterTable),
    rebreaks: new Rebreaks(dynamodb, counterTable),
    stacks: new StackLookup(tracer.captureAWSv3Client(new CloudFormationClient(lambdaClientConfig()))),
    log,
    metrics: counters,
    now: () => new Date(),
  };
  return lambdaHandler(tools, (event: unknown, lambdaContext): Promise<DetectionSummary | SweepProgress> => {
    // The function's own ARN names the account the sweep lists resources in.
    const account = lambdaContext.invokedFunctionArn.split(':')[4] ?? '';
    // A sweep runs at the policy's share (half by default) of the documented rate of the APIs it lists,
    // so the account's own tooling keeps the rest. A container serves one account: built once.
    limited ??= rateLimited(traced, rateBuckets(ratesFor(policy.member.apiRates, account)));
    // A sweep step pages while the function has time for another page (three of the slowest yet, and a
    // minute to spare), then hands its progress to the workflow's next step.
    const another = (slowestPageMs: number) => lambdaContext.getRemainingTimeInMillis() > Math.max(60_000, 3 * slowestPageMs);
    return handleDetectorEvent(event, { ...deps, clients: limited, scope: { account, region }, another });
  });
}
