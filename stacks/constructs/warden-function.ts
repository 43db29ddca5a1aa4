import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { isAbsolute, join } from 'node:path';
import type { Policy } from '../../core/policy/schema';

const ROOT = join(__dirname, '..', '..');

export interface WardenFunctionProps {
  /** Entry file under functions/ (e.g. `audit-writer.ts`), or an absolute path (a check's generated entry). */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** Role name; a fixed name lets EventBridge rules recognise Warden's own calls. */
  readonly roleName?: string;
  readonly statements: readonly iam.PolicyStatement[];
  readonly timeout?: Duration;
  readonly memorySize?: number;
  /** Embedded into the bundle at build time (not an environment variable). */
  readonly policy?: Policy;
  /** Dead-letter queue for asynchronous invocations (EventBridge targets). */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Where Lambda sends an asynchronous event that still fails after its two retries: an EventBridge
   * bus, as a "Lambda Function Invocation Result - Failure" event (the member bus forwards it to the hub).
   */
  readonly onFailure?: events.IEventBus;
  /**
   * Packages the function loads only on first use (a `require` inside the code that needs them), bundled into their own file in
   * the asset's node_modules rather than into index.js: Node then parses them only when they load, not
   * at every cold start (the Slack Web API is a quarter of the Slack functions' code).
   */
  readonly loadedOnFirstUse?: readonly string[];
}

/** The shell command that bundles `module` on its own into the asset's node_modules (after the main bundle). */
function separateBundle(module: string, outputDir: string): string {
  const esbuild = join(ROOT, 'node_modules', '.bin', 'esbuild');
  const entry = require.resolve(module, { paths: [ROOT] });
  const outfile = join(outputDir, 'node_modules', module, 'index.js');
  return [
    esbuild,
    entry,
    '--bundle',
    '--minify',
    '--platform=node',
    '--target=node24',
    '--format=cjs',
    '--external:@aws-sdk/*',
    `--outfile=${outfile}`,
    '--log-level=warning',
  ]
    .map((part) => JSON.stringify(part))
    .join(' ');
}

/**
 * One Warden Lambda: its own role with exactly the given statements (no managed policies), its own log
 * group, X-Ray tracing, Node.js 24 on arm64, bundled locally by esbuild (minified, tree-shaken, source maps).
 */
export class WardenFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WardenFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    this.role = new iam.Role(this, 'Role', {
      ...(props.roleName ? { roleName: props.roleName } : {}),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    for (const statement of props.statements) this.role.addToPolicy(statement);
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    );
    // Lambda sends failed asynchronous events to the dead-letter queue as the function's role.
    props.deadLetterQueue?.encryptionMasterKey?.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.function = new NodejsFunction(this, 'Function', {
      entry: isAbsolute(props.entry) ? props.entry : join(ROOT, 'functions', props.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(60),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      description: props.description,
      // No --enable-source-maps: it adds ~14% to a cold start. The map ships (without the sources) to
      // decode a minified stack trace offline; error names are literal, so logs and Catch read as is.
      environment: { POWERTOOLS_METRICS_NAMESPACE: 'Warden', ...props.environment },
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue, retryAttempts: 2 } : {}),
      ...(props.onFailure ? { onFailure: new destinations.EventBridgeDestination(props.onFailure), retryAttempts: 2 } : {}),
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The runtime provides the SDK. zod is left out: a deployed function runs on the policy validated
        // at synth and never loads a schema (core/policy/zod.ts); the bundle tests run every function
        // without it on the module path, so one that did would fail there, not in an account.
        externalModules: ['@aws-sdk/*', 'zod', ...(props.loadedOnFirstUse ?? [])],
        ...(props.loadedOnFirstUse?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) =>
                  (props.loadedOnFirstUse ?? []).map((module) => separateBundle(module, outputDir)),
              },
            }
          : {}),
        target: 'node24',
        format: OutputFormat.CJS,
        mainFields: ['module', 'main'],
        ...(props.policy ? { define: { 'process.env.WARDEN_POLICY_JSON': JSON.stringify(JSON.stringify(props.policy)) } } : {}),
      },
    });
  }
}
