import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

/** A policy of defaults only, synthesized beside config/policy.yaml: what a team that changes nothing deploys. */
export const DEFAULTS_POLICY = join(__dirname, '..', 'fixtures', 'policy', 'defaults.yaml');

/** Which policy an assembly was synthesized from: config/policy.yaml, or `DEFAULTS_POLICY`. */
export type AssemblyPolicy = 'config' | 'defaults';

/** The cloud assembly `cdk synth` wrote for this test run (test/support/global-setup.ts). */
export function cloudAssemblyDir(policy: AssemblyPolicy = 'config'): string {
  const variable = policy === 'config' ? 'WARDEN_CDK_OUT' : 'WARDEN_CDK_OUT_DEFAULTS';
  const dir = process.env[variable];
  if (!dir) throw new Error(`${variable} is not set: run the tests through jest (its globalSetup synthesizes the app)`);
  return dir;
}

/** Every template in the assembly, by file name: the stacks and the StackSet's member template. */
export function synthesizedTemplates(policy: AssemblyPolicy = 'config'): Record<string, CfnTemplate> {
  const dir = cloudAssemblyDir(policy);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.template.json'))
      .sort()
      .map((file) => [file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as CfnTemplate]),
  );
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export interface SynthesizedFunction {
  readonly template: string;
  readonly logicalId: string;
  /** The construct path, e.g. `Warden-Standalone/Member/Remediator-<check>/Function/Resource`. */
  readonly path: string;
  /** The bundle directory inside the assembly (what is zipped and deployed). */
  readonly assetDir: string;
  readonly handler: string;
  readonly environment: Record<string, unknown>;
}

/** Every Lambda function Warden bundles, in every template, with the bundle the assembly deploys for it. */
export function synthesizedFunctions(): SynthesizedFunction[] {
  const dir = cloudAssemblyDir();
  return Object.entries(synthesizedTemplates()).flatMap(([template, body]) =>
    resourcesOfType(body, 'AWS::Lambda::Function')
      // Bundled at synth by Warden's NodejsFunction; CDK's own pre-built handlers are not.
      .filter(([, resource]) => typeof resource.Metadata?.['aws:asset:path'] === 'string' && resource.Metadata['aws:asset:is-bundled'] === true)
      .map(([logicalId, resource]) => ({
        template,
        logicalId,
        path: String(resource.Metadata?.['aws:cdk:path']),
        assetDir: join(dir, String(resource.Metadata?.['aws:asset:path'])),
        handler: String(resource.Properties?.['Handler']),
        environment: (resource.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
      })),
  );
}
