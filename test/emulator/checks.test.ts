import { GetStageCommand } from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DocumentClient } from '../../core/aws/document-client';
import { AppliedFixes } from '../../remediators/applied-fixes';
import { AcceptedRisks } from '../../detectors/accepted-risks';
import { StackLookup } from '../../detectors/managed-by';
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  GetPolicyCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  PublishVersionCommand,
  RemovePermissionCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetResourcePolicyCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetWebACLForResourceCommand } from '@aws-sdk/client-wafv2';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetTopicAttributesCommand, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { CATALOGUE, type CheckId, type CheckSettings } from '../../core/catalogue';
import type { AwsClients } from '../../core/aws/clients';
import type { ResourceRef } from '../../core/finding';
import { apigatewayStageWafDetector } from '../../detectors/apigateway-stage-waf';
import { lambdaFunctionEnvSecretsDetector } from '../../detectors/lambda-function-env-secrets';
import { DETECTORS } from '../../detectors/index';
import { VerificationFailedError } from '../../detectors/errors';
import { remediatorFor } from '../../remediators/index';
import { CANARY_SECRET, provisionSampleAccount, type SampleAccount } from '../../examples/emulator/sample-account';
import { findingFor, NO_WAIT } from '../support/findings';
import { type Moto, startMoto, useEmulatorEnvironment } from '../../examples/emulator/moto';
import { describeWithEmulator } from '../support/describe-with-emulator';
import { SdkCallLog } from '../support/sdk-call-log';
import { inventoryOf } from '../support/iam-requests';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listedArns, listedStates } from '../support/listed';

/*
 * The AWS emulator layer: the real detectors' fetch and evaluate, and the real remediators' plan, apply,
 * verify and undo, against moto over the real wire protocol. No SDK mocks. The emulator's state is read
 * back after every step with clients of our own, not Warden's.
 */

const REGION = 'eu-west-1';
const OBSERVED_REQUESTS = join(__dirname, '..', 'fixtures', 'iam', 'observed-requests.json');
const COUNTERS_TABLE = 'warden-blastradius';
/** Settings the checks run with here beyond their defaults: the stage WAF check fixes only with a web ACL named. */
const POLICY_SETTINGS: Partial<Record<CheckId, Record<string, unknown>>> = { 'apigateway-stage-waf': { webAcl: 'baseline' } };
const settingsOf = <Id extends CheckId>(check: Id) =>
  CATALOGUE.find((entry) => entry.id === check)!.settings.parse(POLICY_SETTINGS[check] ?? {}) as CheckSettings<Id>;

describeWithEmulator('AWS emulator (moto): every check end to end over the wire', () => {
  let moto: Moto;
  let account: SampleAccount;
  const log = new SdkCallLog();
  let clients: AwsClients;
  let probe: AwsClients;
  let appliedFixes: AppliedFixes;

  beforeAll(async () => {
    moto = await startMoto();
    useEmulatorEnvironment(moto, REGION);
    account = await provisionSampleAccount(REGION);
    clients = log.clients(REGION);
    probe = new SdkCallLog().clients(REGION);
    // The member's counters table, named after its construct as the IAM layer expects (Member/BlastRadius).
    await probe.dynamodb.send(
      new CreateTableCommand({
        TableName: COUNTERS_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    appliedFixes = new AppliedFixes(new DocumentClient(clients.dynamodb), COUNTERS_TABLE);
  }, 60_000);

  afterAll(() => moto?.stop());

  const ref = (check: CheckId, resourceArn: string): ResourceRef => ({ check, account: account.account, region: REGION, resourceArn });

  async function judge(check: CheckId, resourceArn: string) {
    const detector = DETECTORS[check];
    return log.as(`Detector-${check}`, async () => {
      const state = await detector.fetch(ref(check, resourceArn), clients, settingsOf(check));
      if (!state) throw new Error(`${resourceArn} not found`);
      return detector.evaluate(state, settingsOf(check));
    });
  }

  /** `using`: the remediator's own clients, as its Lambda has them (a detector's answers cached per client are not its). */
  async function fix(check: CheckId, resourceArn: string, using: AwsClients = clients) {
    const evaluation = await judge(check, resourceArn);
    const finding = findingFor(ref(check, resourceArn), evaluation);
    const remediator = remediatorFor(check);
    // As the Lambda's context has it: the undo of each fix kept in the member's counters table.
    const context = { baselineWebAclArn: account.baselineWebAclArn, appliedFixes, execution: `${finding.findingId}-1` };
    const plan = remediator.plan(finding, settingsOf(check), context);
    const applied = await log.as(`Remediator-${check}`, () => remediator.apply(finding, settingsOf(check), using, context));
    return { evaluation, finding, plan, applied, remediator };
  }

  const verify = (check: CheckId, finding: ReturnType<typeof findingFor>) =>
    log.as(`Remediator-${check}`, () => remediatorFor(check).verify(finding, settingsOf(check), clients, NO_WAIT));
  const undo = (check: CheckId, record: unknown, options: { force?: boolean } = {}) =>
    log.as(`Remediator-${check}`, () => remediatorFor(check).undo(record, clients, options));

  describe('lists every resource of each check', () => {
    it.each(CATALOGUE.map((check) => [check.id] as const))('%s: the sweep lists the compliant and the noncompliant resource', async (check) => {
      const listed: string[] = [];
      await log.as(`Detector-${check}`, async () => {
        listed.push(...(await listedArns(DETECTORS[check], clients, { account: account.account, region: REGION })));
      });
      // Roles are global: IAM's home region lists them (below), this region none.
      const none = { noncompliant: undefined, compliant: undefined };
      const expected = {
        'dynamodb-table-encryption': account.tables,
        'apigateway-stage-throttling': account.stages,
        'apigateway-stage-waf': account.stages,
        'lambda-function-env-secrets': account.functions,
        'sqs-queue-encryption': account.queues,
        'lambda-log-group-retention': account.logGroups,
        'sns-topic-encryption': account.topics,
        'lambda-function-url-auth': account.functions,
        'apigateway-method-authorization': account.restApis,
        'lambda-function-public-access': account.functions,
        'apigateway-stage-access-logging': account.stages,
        'lambda-execution-role-wildcards': none,
      }[check];
      const wanted = expected === none ? [] : [expected.noncompliant, expected.compliant];
      expect(listed).toEqual(expect.arrayContaining(wanted));
      expect(listed.length === 0).toBe(wanted.length === 0);
    });
  });

  describe('dynamodb-table-encryption', () => {
    const check = 'dynamodb-table-encryption';

    it('judges the table on the AWS owned key noncompliant and the KMS-encrypted one compliant', async () => {
      expect(await judge(check, account.tables.noncompliant)).toMatchObject({ status: 'NON_COMPLIANT', evidence: { sseType: 'AWS_OWNED' } });
      expect(await judge(check, account.tables.compliant)).toMatchObject({
        status: 'COMPLIANT',
        evidence: { sseType: 'KMS', kmsKeyArn: account.keyArn },
      });
    });

    it('sends UpdateTable with the SSE specification; moto accepts it but does not reflect it (an emulator gap), so verify cannot pass there', async () => {
      const { applied, finding, plan } = await fix(check, account.tables.noncompliant);
      expect(applied.changed).toBe(true);
      const sent = log.calls.filter((call) => call.operation === 'UpdateTable');
      expect(sent.at(-1)).toMatchObject({ input: plan.calls[0]!.input });
      expect(sent.at(-1)?.error).toBeUndefined();
      // moto gap: UpdateTable ignores SSESpecification, so the table still reports no SSEDescription.
      const { Table } = await probe.dynamodb.send(new DescribeTableCommand({ TableName: 'orders' }));
      expect(Table?.SSEDescription).toBeUndefined();
      await expect(verify(check, finding)).rejects.toBeInstanceOf(VerificationFailedError);
      // The same gap makes the table look changed since the fix (no SSE at all), so undo refuses unless forced.
      await expect(undo(check, applied.undo)).rejects.toMatchObject({ name: 'UndoRefusedError', drift: [{ field: 'SSE' }] });
      await undo(check, applied.undo, { force: true });
      expect(log.calls.at(-1)).toMatchObject({ operation: 'UpdateTable', input: { TableName: 'orders', SSESpecification: { Enabled: false } } });
    });

    it('changes nothing on the compliant table', async () => {
      const evaluation = await judge(check, account.tables.compliant);
      const finding = findingFor(ref(check, account.tables.compliant), evaluation);
      const result = await log.as(`Remediator-${check}`, () => remediatorFor(check).apply(finding, settingsOf(check), clients, {}));
      expect(result).toEqual({ changed: false });
    });
  });

  describe('apigateway-stage-throttling', () => {
    const check = 'apigateway-stage-throttling';

    it('judges the stage without */* throttling noncompliant and the throttled one compliant', async () => {
      expect((await judge(check, account.stages.noncompliant)).status).toBe('NON_COMPLIANT');
      expect((await judge(check, account.stages.compliant)).status).toBe('COMPLIANT');
    });

    it('sets the policy limits, verifies them, and undo takes away the setting it added', async () => {
      const { applied, finding } = await fix(check, account.stages.noncompliant);
      expect(applied.changed).toBe(true);
      const stage = await probe.apigateway.send(new GetStageCommand({ restApiId: account.restApiId, stageName: 'prod' }));
      expect(stage.methodSettings?.['*/*']).toMatchObject({ throttlingRateLimit: 100, throttlingBurstLimit: 200 });
      expect(await verify(check, finding)).toMatchObject({ status: 'COMPLIANT' });
      // The workflow retries an invocation that failed after the fix: the retry reports that fix and its undo.
      const retried = await log.as(`Remediator-${check}`, () =>
        remediatorFor(check).apply(finding, settingsOf(check), clients, {
          baselineWebAclArn: account.baselineWebAclArn,
          appliedFixes,
          execution: `${finding.findingId}-1`,
        }),
      );
      expect(retried).toEqual({ changed: true, undo: applied.undo });
      await undo(check, applied.undo);
      // Warden created the stage's */* setting, so undo removes it (what Terraform does to delete method
      // settings). moto accepts the call but ignores a removal of method settings: an emulator gap.
      expect(log.calls.filter((call) => call.operation === 'UpdateStage').at(-1)).toMatchObject({
        input: { patchOperations: [{ op: 'remove', path: '/*/*' }] },
      });
      expect(log.calls.filter((call) => call.operation === 'UpdateStage').at(-1)?.error).toBeUndefined();
    });
  });

  describe('apigateway-stage-waf', () => {
    const check = 'apigateway-stage-waf';

    it('judges the stage without a web ACL noncompliant and the protected one compliant', async () => {
      expect((await judge(check, account.stages.noncompliant)).status).toBe('NON_COMPLIANT');
      expect((await judge(check, account.stages.compliant)).status).toBe('COMPLIANT');
    });

    it("the sweep judges from GetStages' webAclArn, and asks WAF only about the stage that names none", async () => {
      const detector = apigatewayStageWafDetector;
      const verdicts: Record<string, string> = {};
      const before = log.calls.length;
      await log.as(`Detector-${check}`, async () => {
        for (const { ref: listed, state } of await listedStates(detector, clients, { account: account.account, region: REGION })) {
          const completed = await detector.complete!(state, listed, clients);
          verdicts[listed.resourceArn] = (await detector.evaluate(completed!, settingsOf(check))).status;
        }
      });
      expect(verdicts).toMatchObject({ [account.stages.noncompliant]: 'NON_COMPLIANT', [account.stages.compliant]: 'COMPLIANT' });
      const asked = log.calls.slice(before).filter((call) => call.operation === 'GetWebACLForResource');
      expect(asked).toHaveLength(Object.values(verdicts).filter((verdict) => verdict === 'NON_COMPLIANT').length);
    });

    it('associates the baseline web ACL, verifies it, and undo disassociates it', async () => {
      const { applied, finding } = await fix(check, account.stages.noncompliant);
      expect(applied.changed).toBe(true);
      const associated = await probe.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: account.stages.noncompliant }));
      expect(associated.WebACL?.ARN).toBe(account.baselineWebAclArn);
      expect(await verify(check, finding)).toMatchObject({ status: 'COMPLIANT' });
      await undo(check, applied.undo);
      const after = await probe.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: account.stages.noncompliant }));
      expect(after.WebACL).toBeUndefined();
      const other = await probe.wafv2.send(new GetWebACLForResourceCommand({ ResourceArn: account.stages.compliant }));
      expect(other.WebACL?.ARN).toBe(account.teamWebAclArn);
    });
  });

  describe('lambda-function-env-secrets', () => {
    const check = 'lambda-function-env-secrets';

    it('judges the function with a live key noncompliant, the other compliant, and the evidence holds no value', async () => {
      const noncompliant = await judge(check, account.functions.noncompliant);
      expect(noncompliant.status).toBe('NON_COMPLIANT');
      expect(JSON.stringify(noncompliant)).not.toContain(CANARY_SECRET);
      expect((await judge(check, account.functions.compliant)).status).toBe('COMPLIANT');
    });

    it("the sweep judges from ListFunctions' pages, which carry the environment, and reads tags only for the finding", async () => {
      const detector = lambdaFunctionEnvSecretsDetector;
      const verdicts: Record<string, string> = {};
      const tagged: (Readonly<Record<string, string>> | undefined)[] = [];
      const before = log.calls.length;
      await log.as(`Detector-${check}`, async () => {
        for (const { ref: listed, state } of await listedStates(detector, clients, { account: account.account, region: REGION })) {
          const evaluation = await detector.evaluate(state, settingsOf(check));
          verdicts[listed.resourceArn] = evaluation.status;
          if (evaluation.status === 'NON_COMPLIANT') tagged.push(await detector.tagsOf(state, clients));
        }
      });
      expect(verdicts).toMatchObject({ [account.functions.noncompliant]: 'NON_COMPLIANT', [account.functions.compliant]: 'COMPLIANT' });
      expect(tagged).toEqual([expect.any(Object)]);
      const operations = log.calls.slice(before).map((call) => call.operation);
      expect(operations.filter((operation) => operation !== 'ListFunctions')).toEqual(['ListTags']);
    });

    const variablesOf = async () =>
      (await probe.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'checkout' }))).Environment?.Variables ?? {};

    it('phase 1 keeps the variable and adds its secret beside it, phase 2 removes it, verify passes, undo restores it', async () => {
      const { applied, finding, plan } = await fix(check, account.functions.noncompliant);
      expect(applied.changed).toBe(true);
      expect(applied.staged).toMatchObject({ confirmWithinSeconds: 7 * 86400 });
      expect(JSON.stringify([plan, applied])).not.toContain(CANARY_SECRET);
      // Phase 1: nothing the running code reads is gone.
      const during = await variablesOf();
      expect(during).toMatchObject({ STRIPE_SECRET_KEY: CANARY_SECRET, STAGE: 'prod', TABLE_NAME: 'orders' });
      const secretArn = during['STRIPE_SECRET_KEY_SECRET_ARN'] ?? '';
      expect(secretArn).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:/);
      expect((await probe.secretsManager.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString).toBe(CANARY_SECRET);
      const { ResourcePolicy } = await probe.secretsManager.send(new GetResourcePolicyCommand({ SecretId: secretArn }));
      expect(JSON.parse(ResourcePolicy ?? '{}')).toMatchObject({
        Statement: [expect.objectContaining({ Effect: 'Allow', Principal: { AWS: account.roleArn }, Action: 'secretsmanager:GetSecretValue' })],
      });
      // The detection Warden's own change triggers names the same finding: it joins this remediation.
      expect(findingFor(ref(check, account.functions.noncompliant), await judge(check, account.functions.noncompliant)).findingId).toBe(
        finding.findingId,
      );
      const health = await log.as(`Remediator-${check}`, () =>
        remediatorFor(check).checkHealth!(finding, settingsOf(check), clients, applied.staged!.startedAt),
      );
      expect(health).toMatchObject({ healthy: true, after: { invocations: 0 } });
      // Phase 2, then the detector's verdict.
      const completed = await log.as(`Remediator-${check}`, () => remediatorFor(check).complete!(finding, settingsOf(check), clients, applied));
      const after = await variablesOf();
      expect(after).not.toHaveProperty('STRIPE_SECRET_KEY');
      expect(after).toMatchObject({ STAGE: 'prod', TABLE_NAME: 'orders', STRIPE_SECRET_KEY_SECRET_ARN: secretArn });
      expect(await verify(check, finding)).toMatchObject({ status: 'COMPLIANT' });
      await undo(check, completed.undo);
      expect(await variablesOf()).toEqual({ STRIPE_SECRET_KEY: CANARY_SECRET, STAGE: 'prod', TABLE_NAME: 'orders' });
      const logged = JSON.stringify(log.calls.filter((call) => call.caller.startsWith('Detector-')).map((call) => call.input));
      expect(logged).not.toContain(CANARY_SECRET);
    });

    it("judges the function unhealthy when its errors rose after phase 1, from CloudWatch's AWS/Lambda metrics", async () => {
      const since = new Date(Date.now() - 10 * 60_000);
      const datum = (name: string, value: number, minutesAgo: number) => ({
        MetricName: name,
        Dimensions: [{ Name: 'FunctionName', Value: 'checkout' }],
        Value: value,
        Timestamp: new Date(Date.now() - minutesAgo * 60_000),
      });
      // Before phase 1: 100 invocations, 1 error. Since: 100 invocations, 20 errors.
      await probe.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Lambda',
          MetricData: [datum('Invocations', 100, 15), datum('Errors', 1, 15), datum('Invocations', 100, 5), datum('Errors', 20, 5)],
        }),
      );
      const finding = findingFor(ref(check, account.functions.noncompliant), await judge(check, account.functions.noncompliant));
      const report = await log.as(`Remediator-${check}`, () =>
        remediatorFor(check).checkHealth!(finding, settingsOf(check), clients, since.toISOString()),
      );
      expect(report).toMatchObject({ healthy: false, before: { invocations: 100, errors: 1 }, after: { invocations: 100, errors: 20 } });
      expect(report.reason).toMatch(/^errors rose by 19\.0%/);
    });

    it('names the published versions and aliases that still hold the value, and undo between the phases keeps it', async () => {
      const { FunctionArn = '' } = await probe.lambda.send(new PublishVersionCommand({ FunctionName: 'checkout' }));
      await probe.lambda.send(new CreateAliasCommand({ FunctionName: 'checkout', Name: 'live', FunctionVersion: FunctionArn.split(':').at(-1) }));
      const { applied } = await fix(check, account.functions.noncompliant);
      expect(applied.leftBehind).toEqual([
        expect.stringMatching(/^version \d+ \(alias live\) holds STRIPE_SECRET_KEY \(the same value\) in plain text/),
      ]);
      expect(JSON.stringify(applied)).not.toContain(CANARY_SECRET);
      await undo(check, applied.undo);
      expect(await variablesOf()).toEqual({ STRIPE_SECRET_KEY: CANARY_SECRET, STAGE: 'prod', TABLE_NAME: 'orders' });
    });
  });

  describe('sqs-queue-encryption', () => {
    const check = 'sqs-queue-encryption';
    const attributes = async (url: string) =>
      (await probe.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['SqsManagedSseEnabled', 'KmsMasterKeyId'] })))
        .Attributes ?? {};

    it('judges the unencrypted queue noncompliant, names the service that sends to it, and the SSE-SQS queue compliant', async () => {
      expect(await judge(check, account.queues.noncompliant)).toMatchObject({
        status: 'NON_COMPLIANT',
        evidence: { queueName: 'order-events', sqsManagedSse: false, servicePublishers: ['sns.amazonaws.com'] },
      });
      expect(await judge(check, account.queues.compliant)).toMatchObject({ status: 'COMPLIANT', evidence: { sqsManagedSse: true } });
    });

    it('turns SSE-SQS on, verifies it, and undo turns it off while the queue is as Warden left it', async () => {
      const { applied, finding, plan } = await fix(check, account.queues.noncompliant);
      expect(applied.changed).toBe(true);
      expect(log.calls.filter((call) => call.operation === 'SetQueueAttributes').at(-1)).toMatchObject({ input: plan.calls[0]!.input });
      expect(await attributes(account.queues.noncompliantUrl)).toMatchObject({ SqsManagedSseEnabled: 'true' });
      expect(await verify(check, finding)).toMatchObject({ status: 'COMPLIANT' });
      await undo(check, applied.undo);
      expect(await attributes(account.queues.noncompliantUrl)).toMatchObject({ SqsManagedSseEnabled: 'false' });
    });

    it("refuses to undo once the owner changed the queue's encryption after the fix, and changes nothing", async () => {
      const { applied } = await fix(check, account.queues.noncompliant);
      await probe.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: account.queues.noncompliantUrl,
          Attributes: { SqsManagedSseEnabled: 'false', KmsMasterKeyId: account.keyArn },
        }),
      );
      await expect(undo(check, applied.undo)).rejects.toThrow(/changed since Warden's fix.*nothing was undone/);
      expect(await attributes(account.queues.noncompliantUrl)).toMatchObject({ KmsMasterKeyId: account.keyArn });
      await probe.sqs.send(new SetQueueAttributesCommand({ QueueUrl: account.queues.noncompliantUrl, Attributes: { KmsMasterKeyId: '' } }));
    });
  });

  describe('lambda-log-group-retention', () => {
    const check = 'lambda-log-group-retention';
    const retention = async (name: string) =>
      (await probe.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups?.find((group) => group.logGroupName === name)
        ?.retentionInDays;

    it('judges the group that never expires noncompliant and the one that keeps 30 days compliant', async () => {
      expect(await judge(check, account.logGroups.noncompliant)).toMatchObject({
        status: 'NON_COMPLIANT',
        evidence: { logGroupName: '/aws/lambda/checkout', retentionInDays: null, maxRetentionInDays: 365 },
      });
      expect(await judge(check, account.logGroups.compliant)).toMatchObject({ status: 'COMPLIANT', evidence: { retentionInDays: 30 } });
    });

    it("sets the policy's retention, verifies it, and undo makes the group never expire again", async () => {
      const { applied, finding, plan } = await fix(check, account.logGroups.noncompliant);
      expect(applied.changed).toBe(true);
      expect(log.calls.filter((call) => call.operation === 'PutRetentionPolicy').at(-1)).toMatchObject({ input: plan.calls[0]!.input });
      expect(await retention('/aws/lambda/checkout')).toBe(365);
      expect(await verify(check, finding)).toMatchObject({ status: 'COMPLIANT' });
      await undo(check, applied.undo);
      expect(await retention('/aws/lambda/checkout')).toBeUndefined();
    });

    it('refuses to undo once the owner set another retention after the fix, and changes nothing', async () => {
      const { applied } = await fix(check, account.logGroups.noncompliant);
      await probe.logs.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/checkout', retentionInDays: 14 }));
      await expect(undo(check, applied.undo)).rejects.toMatchObject({
        name: 'UndoRefusedError',
        drift: [{ field: 'retentionInDays', warden: '365', now: '14' }],
      });
      expect(await retention('/aws/lambda/checkout')).toBe(14);
      await undo(check, applied.undo, { force: true });
      expect(await retention('/aws/lambda/checkout')).toBeUndefined();
    });
  });

  describe('sns-topic-encryption', () => {
    const check = 'sns-topic-encryption';
    const keyOf = async (arn: string) => (await probe.sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes?.['KmsMasterKeyId'];

    it('judges the unencrypted topic noncompliant, naming the service that publishes to it, and the KMS-encrypted one compliant', async () => {
      expect(await judge(check, account.topics.noncompliant)).toMatchObject({
        status: 'NON_COMPLIANT',
        evidence: { topicName: 'order-notifications', servicePublishers: ['events.amazonaws.com'], openPublish: false },
      });
      expect(await judge(check, account.topics.compliant)).toMatchObject({ status: 'COMPLIANT', evidence: { kmsMasterKeyId: account.keyArn } });
    });

    it('refuses the AWS managed key for a topic EventBridge publishes to: the plan has no call and says what is needed, and apply changes nothing', async () => {
      const { plan, finding, remediator } = await fixPlanOnly();
      expect(plan.calls).toEqual([]);
      expect(plan.notes[0]).toMatch(/will not encrypt this topic with alias\/aws\/sns: .*events\.amazonaws\.com.*customer managed key/);
      await expect(log.as(`Remediator-${check}`, () => remediator.apply(finding, settingsOf(check), clients, {}))).rejects.toThrow(
        /cannot be granted to AWS services/,
      );
      expect(await keyOf(account.topics.noncompliant)).toBeUndefined();

      async function fixPlanOnly() {
        const evaluation = await judge(check, account.topics.noncompliant);
        const found = findingFor(ref(check, account.topics.noncompliant), evaluation);
        return { plan: remediatorFor(check).plan(found, settingsOf(check), {}), finding: found, remediator: remediatorFor(check) };
      }
    });

    it('encrypts a topic only the account publishes to with the AWS managed key, verifies it, and undo removes the key while the topic is as Warden left it', async () => {
      const topic = account.topics.accountOnly;
      expect(await judge(check, topic)).toMatchObject({ status: 'NON_COMPLIANT', evidence: { servicePublishers: [], openPublish: false } });
      const { applied, finding, plan } = await fix(check, topic);
      expect(applied.changed).toBe(true);
      expect(log.calls.filter((call) => call.operation === 'SetTopicAttributes').at(-1)).toMatchObject({ input: plan.calls[0]!.input });
      expect(await keyOf(topic)).toBe('alias/aws/sns');
      expect(await verify(check, finding)).toMatchObject({ status: 'COMPLIANT' });
      await probe.sns.send(new SetTopicAttributesCommand({ TopicArn: topic, AttributeName: 'KmsMasterKeyId', AttributeValue: account.keyArn }));
      await expect(undo(check, applied.undo)).rejects.toMatchObject({
        name: 'UndoRefusedError',
        drift: [{ field: 'KmsMasterKeyId', now: account.keyArn }],
      });
      expect(await keyOf(topic)).toBe(account.keyArn);
      await probe.sns.send(new SetTopicAttributesCommand({ TopicArn: topic, AttributeName: 'KmsMasterKeyId', AttributeValue: 'alias/aws/sns' }));
      await undo(check, applied.undo);
      expect(await keyOf(topic)).toBeFalsy();
    });
  });

  describe('lambda-function-url-auth', () => {
    const check = 'lambda-function-url-auth';

    // moto 5.2 does not model ListFunctionUrlConfigs (an HTML 404): the read fails there, so the unit layer
    // covers fetch, fix and undo. What moto does model goes over the wire: the list request, and the exact
    // calls the plan names, which moto applies to the unqualified function's URL.
    it("states the emulator's gap, then sends the plan's calls as planned and reads the URL back", async () => {
      const fn = account.functions.noncompliant;
      await probe.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn, AuthType: 'NONE' }));
      await expect(judge(check, fn)).rejects.toThrow(/not valid JSON|Deserialization/);
      const { FunctionUrl = '' } = await probe.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: fn }));
      const finding = findingFor(ref(check, fn), {
        reason: `function checkout has a function URL anyone can invoke (AuthType NONE): ${FunctionUrl}`,
        evidence: { functionName: 'checkout', urls: 1, openUrls: [{ functionUrl: FunctionUrl }] },
      });
      const remediator = remediatorFor(check);
      await expect(log.as(`Remediator-${check}`, () => remediator.apply(finding, settingsOf(check), clients, {}))).rejects.toThrow();
      const { calls } = remediator.plan(finding, settingsOf(check), {});
      expect(calls).toEqual([{ client: 'Lambda', operation: 'UpdateFunctionUrlConfig', input: { FunctionName: fn, AuthType: 'AWS_IAM' } }]);
      for (const call of calls)
        await log.as(`Remediator-${check}`, () =>
          clients.lambda.send(new UpdateFunctionUrlConfigCommand(call.input as { FunctionName: string; AuthType: 'AWS_IAM' })),
        );
      expect((await probe.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: fn }))).AuthType).toBe('AWS_IAM');
    });
  });

  describe('apigateway-method-authorization', () => {
    const check = 'apigateway-method-authorization';

    it('judges the API with an open GET noncompliant, naming it, and the API whose methods need IAM compliant', async () => {
      expect(await judge(check, account.restApis.noncompliant)).toMatchObject({
        status: 'NON_COMPLIANT',
        evidence: { openCount: 1, openMethods: [{ httpMethod: 'GET', path: '/' }] },
      });
      expect(await judge(check, account.restApis.compliant)).toMatchObject({ status: 'COMPLIANT', evidence: { openCount: 0 } });
    });

    it('plans no call for a ticket, and verify reads the API again (still open: not verified)', async () => {
      const evaluation = await judge(check, account.restApis.noncompliant);
      const finding = findingFor(ref(check, account.restApis.noncompliant), evaluation);
      expect(remediatorFor(check).plan(finding, settingsOf(check), {}).calls).toEqual([]);
      await expect(verify(check, finding)).rejects.toBeInstanceOf(VerificationFailedError);
    });
  });

  describe('lambda-function-public-access', () => {
    const check = 'lambda-function-public-access';
    // A function left with no statement has no policy: GetPolicy then answers ResourceNotFoundException.
    const sids = async (fn: string) => {
      try {
        const { Policy = '{}' } = await probe.lambda.send(new GetPolicyCommand({ FunctionName: fn }));
        return ((JSON.parse(Policy) as { Statement?: { Sid: string }[] }).Statement ?? []).map((statement) => statement.Sid);
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFoundException') return [];
        throw error;
      }
    };

    it('judges the function anyone may invoke noncompliant and the one only its S3 bucket may invoke compliant', async () => {
      expect(await judge(check, account.functions.noncompliant)).toMatchObject({
        status: 'NON_COMPLIANT',
        evidence: { openStatements: [{ sid: 'public-invoke', principal: '*', why: 'anyone' }] },
      });
      expect(await judge(check, account.functions.compliant)).toMatchObject({ status: 'COMPLIANT' });
    });

    it('removes exactly that statement, verifies it, refuses undo once it is back, and undo adds it back otherwise', async () => {
      const { applied, finding, plan } = await fix(check, account.functions.noncompliant);
      expect(log.calls.filter((call) => call.operation === 'RemovePermission').at(-1)).toMatchObject({ input: plan.calls[0]!.input });
      expect(await sids(account.functions.noncompliant)).not.toContain('public-invoke');
      expect(await verify(check, finding)).toMatchObject({ status: 'COMPLIANT' });
      await probe.lambda.send(
        new AddPermissionCommand({
          FunctionName: account.functions.noncompliant,
          StatementId: 'public-invoke',
          Action: 'lambda:InvokeFunction',
          Principal: '*',
        }),
      );
      await expect(undo(check, applied.undo)).rejects.toMatchObject({ name: 'UndoRefusedError' });
      await probe.lambda.send(new RemovePermissionCommand({ FunctionName: account.functions.noncompliant, StatementId: 'public-invoke' }));
      await undo(check, applied.undo);
      expect(await sids(account.functions.noncompliant)).toContain('public-invoke');
    });
  });

  describe('apigateway-stage-access-logging', () => {
    const check = 'apigateway-stage-access-logging';
    const destination = async () =>
      (await probe.apigateway.send(new GetStageCommand({ restApiId: account.restApiId, stageName: 'prod' }))).accessLogSettings?.destinationArn;

    it("judges the stage without access logs noncompliant, with the account's CloudWatch role, and the logged one compliant", async () => {
      expect(await judge(check, account.stages.noncompliant)).toMatchObject({
        status: 'NON_COMPLIANT',
        evidence: { cloudWatchRoleArn: expect.stringContaining(':role/apigateway-cloudwatch') },
      });
      expect(await judge(check, account.stages.compliant)).toMatchObject({ status: 'COMPLIANT' });
    });

    it('creates the log group with its retention, points the stage at it, verifies, and undo removes the settings while they are as Warden left them', async () => {
      const { applied, finding, plan } = await fix(check, account.stages.noncompliant, log.clients(REGION));
      expect(log.calls.filter((call) => call.operation === 'CreateLogGroup').at(-1)).toMatchObject({ input: plan.calls[0]!.input });
      const groups = await probe.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/apigateway/access-logs/' }));
      expect(groups.logGroups?.[0]).toMatchObject({ retentionInDays: 365 });
      expect(await destination()).toBe(groups.logGroups?.[0]?.logGroupArn);
      expect(await verify(check, finding)).toMatchObject({ status: 'COMPLIANT' });
      await undo(check, applied.undo);
      expect(await destination()).toBeUndefined();
    });
  });

  describe('lambda-execution-role-wildcards', () => {
    const check = 'lambda-execution-role-wildcards';
    // IAM is global: roles are judged in IAM's home region, whichever region the account's functions are in.
    const HOME = 'us-east-1';
    const homeRef = (resourceArn: string): ResourceRef => ({ check, account: account.account, region: HOME, resourceArn });
    const judgeRole = (resourceArn: string) =>
      log.as(`Detector-${check}`, async () => {
        const state = await DETECTORS[check].fetch(homeRef(resourceArn), log.clients(HOME), settingsOf(check));
        if (!state) throw new Error(`${resourceArn} not found`);
        return DETECTORS[check].evaluate(state, settingsOf(check));
      });

    it('judges the role with s3:* on everything noncompliant, the scoped one compliant, and a role Lambda cannot assume not applicable', async () => {
      const broad = await judgeRole(account.roles.noncompliant);
      expect(broad).toMatchObject({
        status: 'NON_COMPLIANT',
        evidence: {
          roleName: 'reports-role',
          offending: [{ policy: 'inline:reports-data', sid: 'ReportsData', actions: ['s3:*'], resources: ['*'] }],
          // moto does not model IAM's last-accessed reports: the finding names the refusal and keeps its verdict.
          lastAccessed: { status: 'UNAVAILABLE', why: expect.stringMatching(/^IAM refused the last-accessed report/) },
        },
      });
      expect(await judgeRole(account.roles.compliant)).toMatchObject({
        status: 'COMPLIANT',
        evidence: { policies: ['inline:checkout-data', expect.stringMatching(/:policy\/function-logs$/)] },
      });
      expect(await judgeRole(account.roles.notExecution)).toMatchObject({ status: 'NOT_APPLICABLE' });
    });

    it("the sweep lists the execution roles, with their paths, in IAM's home region", async () => {
      const listed = await log.as(`Detector-${check}`, () =>
        listedArns(DETECTORS[check], log.clients(HOME), { account: account.account, region: HOME }),
      );
      expect(listed).toEqual(expect.arrayContaining([account.roles.noncompliant, account.roles.compliant]));
      expect(account.roles.noncompliant).toMatch(/:role\/service-role\/reports-role$/);
      expect(listed).not.toContain(account.roles.notExecution);
    });

    it('plans no call for a ticket, and verify reads the role again (still broad: not verified)', async () => {
      const evaluation = await judgeRole(account.roles.noncompliant);
      const finding = findingFor(homeRef(account.roles.noncompliant), evaluation);
      expect(remediatorFor(check).plan(finding, settingsOf(check), {}).calls).toEqual([]);
      await expect(verify(check, finding)).rejects.toBeInstanceOf(VerificationFailedError);
    });
  });

  it('a risk accepted on undo is read back by the detector from the counters table, as the detector role may', async () => {
    const arn = account.queues.noncompliant;
    const risk = {
      check: 'sqs-queue-encryption',
      resourceArn: arn,
      findingId: 'f1',
      by: 'alice',
      reason: 'consumer cannot decrypt yet',
      until: '2099-01-01T00:00:00.000Z',
    };
    // Written as `warden undo` writes it (with the person's credentials, not recorded for a Warden role).
    await new AcceptedRisks(probe.dynamodb, COUNTERS_TABLE).accept(risk);
    const found = await log.as('Detector-sqs-queue-encryption', () =>
      new AcceptedRisks(clients.dynamodb, COUNTERS_TABLE).find(risk.check, arn, new Date()),
    );
    expect(found).toEqual(risk);
  });

  it("names the stack that manages a finding's resource from the tags CloudFormation puts on it", async () => {
    const template = { Resources: { Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'stacked-jobs' } } } };
    await probe.cloudformation.send(new CreateStackCommand({ StackName: 'jobs-stack', TemplateBody: JSON.stringify(template) }));
    const { QueueUrl = '' } = await probe.sqs.send(new GetQueueUrlCommand({ QueueName: 'stacked-jobs' }));
    // The tags as CloudFormation puts them on resources that take them (Lambda functions do; SQS queues and
    // DynamoDB tables do not, so AWS finds those by physical id). moto adds none and ignores the physical
    // id: the unit layer covers that path.
    const tags = { 'aws:cloudformation:stack-name': 'jobs-stack', 'aws:cloudformation:logical-id': 'Jobs' };
    const found = await log.as('Detector-sqs-queue-encryption', () => new StackLookup(clients.cloudformation).managedBy(tags, QueueUrl));
    expect(found).toEqual({ tool: 'cloudformation', stack: 'jobs-stack', logicalId: 'Jobs' });
    const gone = { 'aws:cloudformation:stack-name': 'deleted-stack', 'aws:cloudformation:logical-id': 'Jobs' };
    await expect(
      log.as('Detector-sqs-queue-encryption', () => new StackLookup(clients.cloudformation).managedBy(gone, undefined)),
    ).resolves.toBeUndefined();
  });

  // Last: every IAM request the calls above made (the tests' own SDK call log). The IAM layer proves each
  // one allowed by the synthesized policies, so a call a new code path makes cannot escape it.
  it('the IAM requests these calls make are the ones the IAM simulation layer checks', () => {
    const observed = inventoryOf(log.calls, account.account, REGION);
    if (process.env['WARDEN_UPDATE_OBSERVED_REQUESTS'] === '1') writeFileSync(OBSERVED_REQUESTS, `${JSON.stringify(observed, null, 2)}\n`);
    const recorded = JSON.parse(readFileSync(OBSERVED_REQUESTS, 'utf8')) as unknown;
    // On a difference: WARDEN_UPDATE_OBSERVED_REQUESTS=1 npm test -- test/emulator/checks, then review the file.
    expect(observed).toEqual(recorded);
  });
});
