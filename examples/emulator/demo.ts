/*
 * `npm run demo:emulator`: Warden end to end against moto, an AWS emulator, with real changes and no AWS
 * account. It provisions a sample account, lets `warden scan` judge it, runs each finding through the
 * detector, the real workflow definition (locally), the remediator (apply and verify against the
 * emulator) and the audit trail (a DynamoDB table in the emulator), verifies the trail with
 * `warden audit verify`, and rolls every fix back with `warden undo`.
 */
import { CreateTableCommand, DynamoDBClient, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from '../../core/aws/document-client';
import { join } from 'node:path';
import { createAuditTable } from '../../cli/local-dynamodb';
import { main } from '../../cli/main';
import { AuditStore } from '../../core/audit/audit-store';
import { recordFromEvent } from '../../core/audit/audit-writer';
import { partitionOf } from '../../core/aws/arns';
import { createAwsClients } from '../../core/aws/clients';
import { CATALOGUE, CHECK_IDS, type CheckId } from '../../core/catalogue';
import type { Finding, ResourceRef } from '../../core/finding';
import { NO_COUNTERS, SILENT_LOG } from '../../core/observability';
import { loadPolicyFile } from '../../core/policy/parse-policy';
import type { WorkflowStart } from '../../core/workflow-input';
import { AcceptedRisks } from '../../detectors/accepted-risks';
import { detectResource } from '../../detectors/detect';
import { DETECTORS } from '../../detectors/index';
import { listAll } from '../../detectors/list-all';
import { discoverRemediationContext, remediatorFor, withPlan } from '../../remediators/index';
import { type RemediatorEvent, runRemediatorAction } from '../../remediators/run-action';
import { AUDIT_DETAIL_TYPE, TERMINAL_STATES } from '../../core/events/bus-contract';
import { localTaskHandlers } from '../../statemachines/local-task-handlers';
import { buildWorkflowDefinition } from '../../statemachines/remediation-workflow';
import { runLocally } from '../../statemachines/run-locally';
import { motoAvailable, startMoto, useEmulatorEnvironment } from './moto';
import { CANARY_SECRET, provisionSampleAccount } from './sample-account';

const REGION = 'eu-west-1';
const AUDIT_TABLE = 'warden-audit';
const out = (text = '') => process.stdout.write(`${text}\n`);
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };

async function run(): Promise<number> {
  if (!motoAvailable()) {
    process.stderr.write("demo:emulator needs moto_server on PATH: pip install 'moto[server]'\n");
    return 2;
  }
  const moto = await startMoto();
  try {
    useEmulatorEnvironment(moto, REGION);
    out(`AWS emulator (moto_server) on ${moto.endpoint}; every SDK call below goes there through AWS_ENDPOINT_URL.\n`);
    const account = await provisionSampleAccount(REGION);
    out(`Sample account ${account.account}/${REGION}: tables orders (AWS owned key) and ledger (KMS), REST API stages prod (open) and`);
    out(`guarded (throttled, team web ACL), functions checkout (a live-looking Stripe key in its environment) and reports, queues,`);
    out(`the functions' log groups, and topics order-notifications (EventBridge publishes), internal-jobs and audit-notifications.\n`);

    const policyFile = join(__dirname, 'policy.yaml');
    out('$ warden scan --region eu-west-1');
    // Its progress (a line per check) goes with the rest of the demo's output.
    await main(['scan', '--region', REGION, '--policy', policyFile], { ...io, stderr: process.stdout });

    const dynamodb = new DynamoDBClient({ region: REGION });
    // Warden's own tables are KMS-encrypted, as the stacks create them.
    const encrypted = { SSESpecification: { Enabled: true, SSEType: 'KMS' as const } };
    await createAuditTable(dynamodb, AUDIT_TABLE, encrypted);
    await dynamodb.send(
      new CreateTableCommand({
        ...encrypted,
        TableName: 'warden-blast-radius',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    const audit = new AuditStore(new DocumentClient(dynamodb), AUDIT_TABLE);
    const clients = createAwsClients({ region: REGION });
    const context = await discoverRemediationContext(clients, CHECK_IDS, () => false);
    const policy = loadPolicyFile(policyFile).policy;
    const partition = partitionOf(REGION);
    const definition = buildWorkflowDefinition({
      partition,
      eventBusArn: `arn:${partition}:events:${REGION}:${account.account}:event-bus/warden`,
      counterTableName: 'warden-blast-radius',
      remediatorFunctionArns: Object.fromEntries(
        CATALOGUE.map((check) => [check.id, `arn:${partition}:lambda:${REGION}:${account.account}:function:warden-remediator-${check.id}`]),
      ) as Record<CheckId, string>,
    });
    const handlers = localTaskHandlers(definition, {
      async putEvent(event) {
        if (event.detailType !== AUDIT_DETAIL_TYPE) return;
        const now = new Date();
        await audit.append(
          recordFromEvent(
            {
              version: '0',
              id: `demo-${now.getTime()}`,
              'detail-type': event.detailType,
              source: event.source,
              account: account.account,
              region: REGION,
              time: now.toISOString(),
              resources: [],
              detail: event.detail,
            },
            now,
          ),
        );
      },
      updateItem: (parameters) => dynamodb.send(new UpdateItemCommand(parameters as unknown as UpdateItemCommandInput)),
      async invoke(payload) {
        const event = payload as unknown as RemediatorEvent<CheckId>;
        return (await runRemediatorAction(remediatorFor(event.finding.check), event, clients, context)).result;
      },
      // The owner of a migrated function confirms their code reads the secret (in Slack, on AWS).
      async callback(event) {
        if (event.detail['purpose'] !== 'confirm') throw Object.assign(new Error('no approver in the demo'), { name: 'States.Timeout' });
        out(`    owner told (ticket and Slack): ${String((event.detail['finding'] as Finding).resourceArn)}; the demo's owner confirms`);
        return { actor: 'demo-owner', decision: 'APPROVED' };
      },
    });

    const acceptedRisks = new AcceptedRisks(dynamodb, 'warden-blast-radius');
    /** Detection as the detector Lambda runs it; the workflow input it would start, if any. */
    const detect = async (ref: ResourceRef & { check: CheckId }, trigger = 'demo'): Promise<WorkflowStart | undefined> => {
      let workflow: WorkflowStart | undefined;
      await detectResource(
        ref,
        { kind: 'manual', id: trigger },
        {
          detector: DETECTORS[ref.check],
          clients,
          policy,
          organizationalUnits: [],
          acceptedRisks,
          startWorkflow: (input) => {
            workflow = input;
            return Promise.resolve('started');
          },
          log: SILENT_LOG,
          metrics: NO_COUNTERS,
          now: () => new Date(),
        },
      );
      return workflow;
    };

    out('\nDetect → decide → fix → verify → audit, through the real workflow definition run locally:');
    const remediated: { check: CheckId; findingId: string; resourceArn: string }[] = [];
    for (const check of CATALOGUE) {
      const detector = DETECTORS[check.id];
      for await (const { ref } of listAll(detector, clients, { account: account.account, region: REGION })) {
        const workflow = await detect(ref);
        if (!workflow) continue;
        const { finding, plan, decision } = withPlan(workflow, context);
        const run = await runLocally(definition, workflow, handlers, {
          executionArn: `arn:${partition}:states:${REGION}:${account.account}:execution:warden-remediation:${finding.findingId}-1`,
          now: new Date(),
          taskToken: 'demo-task-token',
          skipWaits: true,
        });
        if (run.status === 'FAILED') out(`    the workflow failed: ${run.error ?? 'unknown error'}`);
        const history = await audit.findingHistory(finding.findingId);
        const terminal = history.find((record) => (TERMINAL_STATES as readonly string[]).includes(record.state));
        out(
          `\n  ${terminal?.state ?? 'NO TERMINAL RECORD'}  ${check.id}  ${ref.resourceArn}  (mode ${decision.mode}, decided by ${decision.decidedBy})`,
        );
        out(`    found: ${finding.reason}`);
        for (const call of plan.calls)
          out(`    ${terminal?.state === 'REMEDIATED' ? 'called' : 'would call'}: ${call.client}.${call.operation} ${JSON.stringify(call.input)}`);
        if (terminal?.state === 'REMEDIATED') {
          const state = await detector.fetch(ref, clients, workflow.decision.settings as never);
          const after = state ? await detector.evaluate(state, workflow.decision.settings as never) : undefined;
          out(`    now: ${after?.status ?? 'gone'}: ${after?.reason ?? ''}`);
          remediated.push({ check: check.id, findingId: finding.findingId, resourceArn: ref.resourceArn });
        }
        out(`    audit trail: ${history.map((record) => record.state).join(' → ')}`);
      }
    }

    out('\n$ warden audit verify --table warden-audit');
    await main(['audit', 'verify', '--table', AUDIT_TABLE, '--region', REGION], io);

    out('\nEvery fix rolled back from its audit record:');
    for (const fix of remediated) {
      const reason = 'the owner keeps it as it was for now';
      out(`$ warden undo ${fix.findingId} --yes --reason "${reason}" --table warden-audit`);
      await main(
        ['undo', fix.findingId, '--yes', '--reason', reason, '--table', AUDIT_TABLE, '--counters-table', 'warden-blast-radius', '--region', REGION],
        io,
      );
      const detector = DETECTORS[fix.check];
      const settings = CATALOGUE.find((entry) => entry.id === fix.check)!.settings.parse({});
      const state = await detector.fetch(
        { check: fix.check, account: account.account, region: REGION, resourceArn: fix.resourceArn },
        clients,
        settings,
      );
      const status = state ? (await detector.evaluate(state, settings)).status : 'gone';
      // moto ignores some undo calls (the README's emulator gaps): the demo says so rather than claim a restore.
      out(
        `  ${fix.check}: ${status === 'COMPLIANT' ? 'still COMPLIANT here: moto ignored the undo call (an emulator gap, see the README)' : `${status} again, as before Warden`}`,
      );
      // The undo's own event (or the next sweep) finds it again: an accepted risk, exempt, not fixed again.
      const again = await detect({ check: fix.check, account: account.account, region: REGION, resourceArn: fix.resourceArn }, 'demo-after-undo');
      if (!again) continue;
      await runLocally(definition, again, handlers, {
        executionArn: `arn:${partition}:states:${REGION}:${account.account}:execution:warden-remediation:${again.finding.findingId}-2`,
        now: new Date(),
      });
      const last = (await audit.findingHistory(again.finding.findingId)).at(-1);
      out(`    detected again → ${last?.state ?? 'no record'} (${again.decision.decidedBy}): nothing is changed`);
    }
    const leaked = (await audit.findingHistory(remediated.find((fix) => fix.check === 'lambda-function-env-secrets')?.findingId ?? '')).some(
      (record) => JSON.stringify(record).includes(CANARY_SECRET),
    );
    out(
      `\nThe planted secret value appears in the audit trail: ${leaked ? 'YES (a defect)' : 'no'}. ${remediated.length} fixes applied, verified, recorded and undone.`,
    );
    return leaked ? 1 : 0;
  } finally {
    await moto.stop();
  }
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo:emulator failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
