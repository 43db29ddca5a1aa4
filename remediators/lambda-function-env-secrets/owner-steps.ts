/*
 * What the owner of a function must change before Warden removes the plaintext variable: the exact code
 * for Node.js and Python, and the AWS Parameters and Secrets Lambda Extension as the option that needs no
 * SDK call. Names only: never a value.
 */

/** The Node.js change: read NAME from its secret once per execution environment, at start-up. */
function nodeSteps(name: string, pointer: string): string {
  return [
    `Node.js (AWS SDK v3), instead of process.env.${name}:`,
    `  import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';`,
    `  const secrets = new SecretsManagerClient({});`,
    `  const ${camel(name)} = (await secrets.send(new GetSecretValueCommand({ SecretId: process.env.${pointer} }))).SecretString;`,
    `  (top level of an ES module, or once in the handler's first call: not on every invocation)`,
  ].join('\n');
}

function pythonSteps(name: string, pointer: string): string {
  return [
    `Python (boto3), instead of os.environ["${name}"]:`,
    `  import os, boto3`,
    `  ${name.toLowerCase()} = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["${pointer}"])["SecretString"]`,
    `  (at module level, so it runs once per execution environment)`,
  ].join('\n');
}

const EXTENSION_STEP =
  'Or, with no SDK call in the code: add the AWS Parameters and Secrets Lambda Extension layer and read ' +
  'http://localhost:2773/secretsmanager/get?secretId=<the ARN in the _SECRET_ARN variable> with the header ' +
  'X-Aws-Parameters-Secrets-Token: $AWS_SESSION_TOKEN (it caches the value for the execution environment).';

function camel(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());
}

/** The steps the owner is given, one per moved variable, then the extension option and what happens next. */
export function ownerSteps(names: readonly string[], pointerOf: (name: string) => string, deadline: string): string[] {
  return [
    ...names.flatMap((name) => [nodeSteps(name, pointerOf(name)), pythonSteps(name, pointerOf(name))]),
    EXTENSION_STEP,
    `Deploy the change, then confirm. Warden removes ${names.join(', ')} from the environment once you confirm, or at ${deadline} if nobody does, and only if the function's error rate has not risen since ${names.length === 1 ? 'its secret was' : 'the secrets were'} added.`,
  ];
}
