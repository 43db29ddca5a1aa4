import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployedCounts } from './cost-model';

interface Template {
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: { readonly Rules?: readonly unknown[] } }>;
}

function countsOf(template: Template) {
  const resources = Object.values(template.Resources);
  const count = (type: string) => resources.filter((resource) => resource.Type === type).length;
  return {
    functions: count('AWS::Lambda::Function'),
    keys: count('AWS::KMS::Key'),
    alarms: count('AWS::CloudWatch::Alarm'),
    dashboards: count('AWS::CloudWatch::Dashboard'),
    webAcls: count('AWS::WAFv2::WebACL'),
    webAclRules: resources
      .filter((resource) => resource.Type === 'AWS::WAFv2::WebACL')
      .reduce((sum, acl) => sum + (acl.Properties?.Rules?.length ?? 0), 0),
  };
}

/** What the member template (the StackSet's) and the hub template deploy, as the cost model counts it. */
export function deployedCounts(assembly: string): DeployedCounts {
  const files = readdirSync(assembly);
  const read = (file: string | undefined): Template => {
    if (!file) throw new Error(`no such template in ${assembly}`);
    return JSON.parse(readFileSync(join(assembly, file), 'utf8')) as Template;
  };
  const member = countsOf(read(files.find((file) => file.endsWith('.stackset.template.json'))));
  const hub = countsOf(read(files.find((file) => file === 'Warden-Hub.template.json')));
  return {
    memberFunctions: member.functions,
    memberKeys: member.keys,
    memberAlarms: member.alarms,
    memberDashboards: member.dashboards,
    memberWebAcls: member.webAcls,
    memberWebAclRules: member.webAclRules,
    hubFunctions: hub.functions,
    hubKeys: hub.keys,
    hubAlarms: hub.alarms,
    hubDashboards: hub.dashboards,
    hubWebAcls: hub.webAcls,
    hubWebAclRules: hub.webAclRules,
  };
}
