import { App } from 'aws-cdk-lib';
import { join } from 'node:path';
import { formatProblem, PolicyInvalidError } from '../core/policy/errors';
import { loadPolicyFile } from '../core/policy/parse-policy';
import { defineWardenStacks } from '../stacks/warden-app';

/** The CDK app: validates the policy (an invalid one stops the deploy with file:line:col), then defines the stacks. */
function policyOrExit(file: string) {
  try {
    return loadPolicyFile(file).policy;
  } catch (error) {
    if (error instanceof PolicyInvalidError) {
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      process.stderr.write(`\nthe policy is invalid: fix ${file} and synthesize again\n`);
      process.exit(1);
    }
    throw error;
  }
}

const app = new App();
const policyFile = (app.node.tryGetContext('policy') as string | undefined) ?? join(__dirname, '..', 'config', 'policy.yaml');
const stacks = defineWardenStacks(app, policyOrExit(policyFile));
if (stacks.skipped) process.stderr.write(`Warden-Hub not defined: ${stacks.skipped}\n`);
app.synth();
