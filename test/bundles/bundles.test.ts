import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_CLASSES, type ClientName } from '../../core/aws/client-config';
import { CATALOGUE } from '../../core/catalogue';
import { MALFORMED_EVENT_ERROR } from '../../core/events/errors';
import { SWEEP_INCOMPLETE_ERROR } from '../../detectors/errors';
import { SWEEP_STEP_KEY } from '../../detectors/sweep-step';
import { RETRYABLE_REMEDIATION_ERROR, STILL_TRANSITIONING_ERROR } from '../../remediators/errors';
import { resourcesOfType, type SynthesizedFunction, synthesizedFunctions, synthesizedTemplates } from '../support/cloud-assembly';
import { loopbackServer, type Received, type Responder } from '../support/loopback';
import { eventFixture } from '../support/events';
import { CANARY, expectNoCanary } from '../support/fixtures';
import { type BundleOutcome, runBundle } from '../support/run-bundle';

/*
 * The bundles as `cdk synth` built them (the construct's own esbuild options), each loaded in a fresh
 * Node process, as Lambda loads them (test/support/run-bundle.ts).
 */

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

/** A placeholder for each environment value the template fills in at deploy time. */
function environmentOf(fn: SynthesizedFunction): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fn.environment).map(([name, value]) => {
      if (typeof value === 'string') return [name, value];
      if (name.endsWith('_ARN')) return [name, `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:warden-remediation`];
      return [name, `warden-bundle-test-${name.toLowerCase()}`];
    }),
  );
}

const run = (fn: SynthesizedFunction, endpoint: string, event?: unknown): Promise<BundleOutcome> =>
  runBundle(fn, { endpoint, region: REGION, environment: environmentOf(fn), event });

/** One bundle per distinct asset (the standalone and member templates deploy the same code). */
const functions = [...new Map(synthesizedFunctions().map((fn) => [fn.assetDir, fn])).values()];

const bundleOf = (role: 'Remediator' | 'Detector', check: string) => {
  const fn = functions.find((entry) => entry.path.endsWith(`/${role}-${check}/Function/Resource`));
  if (!fn) throw new Error(`no ${role.toLowerCase()} bundle for ${check}`);
  return fn;
};
const remediatorOf = (check: string) => bundleOf('Remediator', check);

/** The custom error names the synthesized workflow's Retry and Catch wait for (not States.*, not Service.*). */
function customErrorNames(): string[] {
  const names = new Set<string>();
  for (const template of Object.values(synthesizedTemplates())) {
    for (const [, machine] of resourcesOfType(template, 'AWS::StepFunctions::StateMachine')) {
      const definition = machine.Properties?.['DefinitionString'];
      const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
      for (const match of text.matchAll(/\\?"ErrorEquals\\?":\[([^\]]*)\]/g)) {
        for (const name of (match[1] ?? '').split(',').map((entry) => entry.replace(/\\?"/g, ''))) {
          if (name && !name.startsWith('States.') && !name.includes('.')) names.add(name);
        }
      }
    }
  }
  return [...names].sort();
}

const finding = (check: string, resourceArn: string) => ({
  check,
  account: ACCOUNT,
  region: REGION,
  resourceArn,
  findingId: '0123456789abcdef0123456789abcdef01234567',
  reason: 'bundle test',
  evidence: {},
  tags: {},
  detectedAt: '2026-11-20T10:00:05.000Z',
  trigger: { kind: 'manual' },
});

/** Settings the checks run with here beyond their defaults: the stage WAF check fixes only with a web ACL named. */
const POLICY_SETTINGS: Readonly<Record<string, Record<string, unknown>>> = { 'apigateway-stage-waf': { webAcl: 'baseline' } };
const settingsOf = (check: string) => {
  const entry = CATALOGUE.find((candidate) => candidate.id === check);
  if (!entry) throw new Error(`unknown check ${check}`);
  return entry.settings.parse(POLICY_SETTINGS[check] ?? {});
};

const awsError = (type: string, message: string) => ({ status: 400, headers: { 'x-amzn-errortype': type }, body: { __type: type, message } });
const target = (request: Received) => String(request.headers['x-amz-target'] ?? `${request.method} ${request.path}`);
const table = (status: string) => ({
  Table: { TableName: 'orders', TableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`, TableStatus: status },
});

interface Scenario {
  readonly check: string;
  readonly why: string;
  readonly resourceArn: string;
  readonly respond: Responder;
  /** A step of the sweep workflow, which invokes the check's detector; without it, the remediator applies its fix. */
  readonly sweepStep?: Record<string, unknown>;
}

/** How each custom error is thrown through a remediator's bundled code path, with AWS answering as it does. */
const SCENARIOS: Readonly<Record<string, readonly Scenario[]>> = {
  [RETRYABLE_REMEDIATION_ERROR]: [
    {
      check: 'dynamodb-table-encryption',
      why: 'UpdateTable answers ResourceInUseException while the table is busy',
      resourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      respond: (request) => {
        const operation = target(request);
        if (operation.endsWith('.DescribeTable')) return { body: table('ACTIVE') };
        if (operation.endsWith('.ListTagsOfResource')) return { body: { Tags: [] } };
        if (operation.endsWith('.UpdateTable')) return awsError('ResourceInUseException', 'Attempt to change a resource which is still in use');
        return awsError('UnknownOperationException', operation);
      },
    },
    {
      check: 'apigateway-stage-waf',
      why: 'AssociateWebACL answers WAFUnavailableEntityException for a stage WAF does not see yet',
      resourceArn: `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5/stages/prod`,
      respond: (request) => {
        const operation = target(request);
        if (operation.startsWith('GET /restapis/a1b2c3d4e5/stages/prod'))
          return { body: { stageName: 'prod', deploymentId: 'abc123', methodSettings: {} } };
        if (operation.endsWith('.GetWebACLForResource')) return { body: {} };
        if (operation.endsWith('.AssociateWebACL'))
          return awsError('WAFUnavailableEntityException', 'AWS WAF could not perform the operation because your resource is being created');
        return awsError('UnknownOperationException', operation);
      },
    },
    {
      check: 'apigateway-stage-throttling',
      why: 'UpdateStage answers ConflictException (the WAF fix changed the stage at the same time)',
      resourceArn: `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5/stages/prod`,
      respond: (request) => {
        const operation = target(request);
        if (operation.startsWith('GET /restapis/a1b2c3d4e5/stages/prod'))
          return { body: { stageName: 'prod', deploymentId: 'abc123', methodSettings: {} } };
        if (operation.startsWith('PATCH /restapis/a1b2c3d4e5/stages/prod'))
          return { ...awsError('ConflictException', 'Unable to complete operation due to concurrent modification'), status: 409 };
        return awsError('UnknownOperationException', operation);
      },
    },
  ],
  [STILL_TRANSITIONING_ERROR]: [
    {
      check: 'dynamodb-table-encryption',
      why: 'the table stays UPDATING past the bounded wait',
      resourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      respond: (request) => {
        const operation = target(request);
        if (operation.endsWith('.DescribeTable')) return { body: table('UPDATING') };
        if (operation.endsWith('.ListTagsOfResource')) return { body: { Tags: [] } };
        return awsError('UnknownOperationException', operation);
      },
    },
  ],
  [SWEEP_INCOMPLETE_ERROR]: [
    {
      check: 'dynamodb-table-encryption',
      why: 'the last page of its sweep has a table DescribeTable refuses',
      resourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      sweepStep: { check: 'dynamodb-table-encryption', cursor: null, outcomes: {}, done: false },
      respond: (request) => {
        const operation = target(request);
        if (operation.endsWith('.ListTables')) return { body: { TableNames: ['orders'] } };
        if (operation.endsWith('.DescribeTable')) return awsError('AccessDeniedException', 'not authorized to perform: dynamodb:DescribeTable');
        return awsError('UnknownOperationException', operation);
      },
    },
  ],
  [MALFORMED_EVENT_ERROR]: [
    {
      check: 'dynamodb-table-encryption',
      why: "a sweep step names another check's sweep",
      resourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`,
      sweepStep: { check: 'sqs-queue-encryption', cursor: null, outcomes: {}, done: false },
      respond: (request) => awsError('UnknownOperationException', target(request)),
    },
  ],
};

let aws: Awaited<ReturnType<typeof loopbackServer>>;
beforeAll(async () => {
  aws = await loopbackServer();
});
afterAll(() => aws.close());

describe('every deployed bundle', () => {
  it('covers every Lambda function of every synthesized template', () => {
    const paths = synthesizedFunctions().map((fn) => fn.path.replace(/^[^/]+\/(MemberTemplate\/)?/, ''));
    for (const check of CATALOGUE) {
      expect(paths).toContain(`Member/Detector-${check.id}/Function/Resource`);
      expect(paths).toContain(`Member/Remediator-${check.id}/Function/Resource`);
    }
    expect(functions.length).toBeGreaterThanOrEqual(CATALOGUE.length * 2 + 5);
  });

  it.each(functions.map((fn) => [fn.path, fn] as const))('%s loads in a fresh Node process and exports its handler', async (_path, fn) => {
    const { output: _output, ...outcome } = await run(fn, aws.url);
    expect(outcome).toEqual({ loaded: true, handlerType: 'function' });
  });

  // zod validates the policy at synth; a deployed function runs on the validated policy (core/policy/zod.ts).
  it.each(functions.map((fn) => [fn.path, fn] as const))('%s contains no aws-cdk-lib, schema library, test code or fixture', (_path, fn) => {
    const map = JSON.parse(readFileSync(join(fn.assetDir, 'index.js.map'), 'utf8')) as { sources: string[] };
    const offenders = map.sources.filter((source) =>
      /node_modules\/(aws-cdk-lib|constructs|cdk-nag|aws-sdk-client-mock|jest|zod)\/|(^|\/)test\/|fixtures\/|\.test\.ts$/.test(source),
    );
    expect(offenders).toEqual([]);
    expect(map.sources.length).toBeGreaterThan(0);
  });
});

describe('what a check function loads at cold start', () => {
  // Each AWS SDK client module a bundle requires is loaded at init; a check's function must load only the
  // clients its catalogue entry declares (a detector also starts executions and writes finding episodes).
  const checkFunctions = functions.flatMap((fn) => {
    const match = /\/(Detector|Remediator)-([a-z0-9-]+)\/Function\/Resource$/.exec(fn.path);
    const check = match ? CATALOGUE.find((entry) => entry.id === match[2]) : undefined;
    return check && match ? [[fn.path, fn, check, match[1] === 'Detector' ? 'detector' : 'remediator'] as const] : [];
  });

  // Failed when functions/runtime.ts imported core/aws/clients.ts: every bundle then required all seven clients.
  it.each(checkFunctions)('%s requires only the SDK clients its check declares', (_path, fn, check, role) => {
    const source = readFileSync(join(fn.assetDir, 'index.js'), 'utf8');
    const required = [...new Set([...source.matchAll(/require\("(@aws-sdk\/client-[a-z0-9-]+)"\)/g)].map((match) => match[1]))].sort();
    // Both also use the counters table: the detector for finding episodes, the remediator for the undo of its fixes.
    const declared = (role === 'detector' ? [...check.clients.detect, 'sfn', 'dynamodb'] : [...check.clients.remediate, 'dynamodb']).map(
      (name) => CLIENT_CLASSES[name as ClientName].module,
    );
    // The detector also asks CloudFormation which stack, if any, manages a finding's resource.
    const shared = role === 'detector' ? ['@aws-sdk/client-cloudformation'] : [];
    expect(required).toEqual([...new Set([...declared, ...shared])].sort());
  });

  // Failed when functions/hub-clients.ts built all three clients: the notifier loaded STS, the expiry monitor Secrets Manager.
  const hubClientModules: Record<string, readonly ClientName[]> = {
    AuditWriter: ['dynamodb'],
    AuditDigest: ['dynamodb'],
    SlackNotifier: ['dynamodb', 'secretsManager'],
    // A callback resumes the member's workflow with SFN, as the role STS assumes there.
    SlackInteractions: ['dynamodb', 'secretsManager', 'sfn'],
    TicketOpener: ['dynamodb', 'secretsManager', 'sfn'],
    ApprovalExpiryMonitor: ['dynamodb', 'sfn'],
  };
  const hubFunctions = functions.flatMap((fn) => {
    const name = /\/Hub\/([A-Za-z]+)\/Function\/Resource$/.exec(fn.path)?.[1];
    const clients = name ? hubClientModules[name] : undefined;
    return name && clients ? [[name, fn, clients] as const] : [];
  });

  it('covers every hub function', () => {
    expect(new Set(hubFunctions.map(([name]) => name))).toEqual(new Set(Object.keys(hubClientModules)));
  });

  // Failed while the stores used lib-dynamodb's document client: its own package, 2-3 ms of each cold start.
  it.each(functions.map((fn) => [fn.path, fn] as const))('%s requires no SDK package beyond clients and util-dynamodb', (_path, fn) => {
    const source = readFileSync(join(fn.assetDir, 'index.js'), 'utf8');
    const others = [...source.matchAll(/require\("(@aws-sdk\/[a-z0-9-]+)"\)/g)]
      .map((match) => match[1] ?? '')
      .filter((module) => !module.startsWith('@aws-sdk/client-') && module !== '@aws-sdk/util-dynamodb');
    expect(others).toEqual([]);
  });

  it.each(hubFunctions)('%s requires only the SDK clients it calls', (_name, fn, clients) => {
    const source = readFileSync(join(fn.assetDir, 'index.js'), 'utf8');
    const required = [...new Set([...source.matchAll(/require\("(@aws-sdk\/client-[a-z0-9-]+)"\)/g)].map((match) => match[1]))].sort();
    const callback = clients.includes('sfn') ? ['@aws-sdk/client-sts'] : [];
    expect(required).toEqual([...clients.map((name) => CLIENT_CLASSES[name].module), ...callback].sort());
  });
});

describe('packages a function loads on first use', () => {
  // The Slack functions load the Slack Web API on first use from its own file in the asset, so their
  // cold start does not parse it. Deployed, nothing but the asset is on the module path: each such
  // require must resolve inside the asset, and the file must load there on its own.
  const nameOf = (fn: SynthesizedFunction) => fn.path.split('/').at(-3) ?? fn.path;
  const lazy = functions.flatMap((fn) =>
    [...readFileSync(join(fn.assetDir, 'index.js'), 'utf8').matchAll(/require\("(@slack\/[a-z-]+)"\)/g)].map(
      (match) => [nameOf(fn), fn, match[1]!] as const,
    ),
  );

  it('are required by the Slack functions', () => {
    expect(new Set(lazy.map(([name]) => name))).toEqual(new Set(['SlackNotifier', 'SlackInteractions']));
  });

  it.each(lazy)('%s: %s loads from the asset alone', (_name, fn, module) => {
    const file = join(fn.assetDir, 'node_modules', module, 'index.js');
    expect(statSync(file).size).toBeGreaterThan(10_000);
    const script = `process.stdout.write(typeof require(${JSON.stringify(module)}).WebClient)`;
    const loaded = execFileSync(process.execPath, ['-e', script], { cwd: fn.assetDir, env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8' });
    expect(loaded).toBe('function');
  });
});

describe('the secret detector as deployed', () => {
  // The rule sets load on first use (a lazy require in the bundle): this proves each one is in the bundle
  // and judges, and that no planted value leaves the function in a request or a log line.
  const planted = {
    STRIPE_SECRET_KEY: CANARY.stripe,
    DATABASE_URL: CANARY.databaseUrl,
    GITHUB_TOKEN: 'ghp_Canary0Wd7kQ2mX9vL4pR8sT1nB6cY3hJ5fG',
    DB_PW: 'Canary-Pw-7f3kq!9',
    STAGE: 'prod',
  };
  const functionArn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:cloudtrail-events-test`;
  const respond: Responder = (request) => {
    const operation = target(request);
    if (operation.startsWith('GET /2015-03-31/functions/'))
      return {
        body: {
          FunctionName: 'cloudtrail-events-test',
          FunctionArn: functionArn,
          Runtime: 'nodejs20.x',
          Role: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-events-test-lambda-fn`,
          RevisionId: '729c925e-627c-42b2-abf1-55e7f8f7177c',
          Environment: { Variables: planted },
        },
      };
    if (operation.startsWith('GET /2017-03-31/tags/')) return { body: { Tags: {} } };
    if (operation.endsWith('.GetItem')) return { body: {} };
    if (operation.endsWith('.UpdateItem')) return { body: { Attributes: { episode: { N: '1' } } } };
    if (operation.endsWith('.StartExecution')) return { body: { executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:w:x', startDate: 0 } };
    if (request.body.includes('Action=DescribeStackResources'))
      return {
        status: 400,
        headers: { 'content-type': 'text/xml' },
        body: '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack for cloudtrail-events-test does not exist</Message></Error><RequestId>1</RequestId></ErrorResponse>',
      };
    return awsError('UnknownOperationException', operation);
  };

  it('finds each planted secret by its rule, and sends and logs names, rule ids and fingerprints only', async () => {
    const detector = functions.find((fn) => fn.path.endsWith('/Detector-lambda-function-env-secrets/Function/Resource'));
    if (!detector) throw new Error('no detector bundle for lambda-function-env-secrets');
    aws.setResponder(respond);
    const from = aws.received.length;
    const event = JSON.parse(JSON.stringify(eventFixture('cloudtrail-lambda-update-function-configuration')).replaceAll('us-east-1', REGION));
    const outcome = await run(detector, aws.url, event);
    expect(outcome.error).toBeUndefined();
    const started = aws.received.slice(from).filter((request) => target(request).endsWith('.StartExecution'));
    expect(started).toHaveLength(1);
    const input = JSON.parse((JSON.parse(started[0]?.body ?? '{}') as { input: string }).input) as {
      finding: { evidence: { flagged: { name: string; rule: string }[] } };
    };
    expect(input.finding.evidence.flagged.map(({ name, rule }) => [name, rule]).sort()).toEqual([
      ['DATABASE_URL', 'warden:url-credentials'],
      ['DB_PW', 'warden:name-password'],
      ['GITHUB_TOKEN', 'secretlint:github'],
      ['STRIPE_SECRET_KEY', 'gitleaks:stripe-access-token'],
    ]);
    const sent = aws.received
      .slice(from)
      .map((request) => request.body)
      .join('\n');
    for (const [name, value] of Object.entries(planted)) {
      if (name === 'STAGE') continue;
      expect(sent).not.toContain(value);
      expect(outcome.output).not.toContain(value);
    }
    expectNoCanary([sent, outcome.output]);
  });
});

describe('error names the workflow retries on', () => {
  const names = customErrorNames();

  it('the workflow waits for custom error names, and each has a scenario that throws it through a bundle', () => {
    expect(names).toEqual(expect.arrayContaining([RETRYABLE_REMEDIATION_ERROR, STILL_TRANSITIONING_ERROR]));
    for (const name of names) expect(Object.keys(SCENARIOS)).toContain(name);
  });

  const cases = Object.entries(SCENARIOS).flatMap(([name, scenarios]) =>
    scenarios.map((scenario) => [name, scenario.check, scenario.why, scenario] as const),
  );
  // Failed before the error classes carried literal names: minified, they arrived as 'qi', 'an', ...
  // The sweep workflow's names come from a detector bundle, the remediation workflow's from a remediator.
  it.each(cases)('%s is what the %s bundle throws when %s', async (name, check, _why, scenario) => {
    aws.setResponder(scenario.respond);
    const outcome = scenario.sweepStep
      ? await run(bundleOf('Detector', check), aws.url, { [SWEEP_STEP_KEY]: scenario.sweepStep })
      : await run(remediatorOf(check), aws.url, { action: 'apply', finding: finding(check, scenario.resourceArn), settings: settingsOf(check) });
    expect(outcome.error?.name).toBe(name);
  });
});
