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

/** The cloud assembly `cdk synth` wrote for this test run (test/support/global-setup.ts). */
export function cloudAssemblyDir(): string {
  const dir = process.env['WARDEN_CDK_OUT'];
  if (!dir) throw new Error('WARDEN_CDK_OUT is not set: run the tests through jest (its globalSetup synthesizes the app)');
  return dir;
}

/** Every template in the assembly, by file name: the stacks and the StackSet's member template. */
export function synthesizedTemplates(): Record<string, CfnTemplate> {
  const dir = cloudAssemblyDir();
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
