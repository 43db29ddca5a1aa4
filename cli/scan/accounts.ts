import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { UsageError } from '../io';

/** The accounts `--accounts a,b` names, checked: 12-digit ids, each once. */
export function accountsToScan(accounts: string | undefined, roleName: string | undefined): readonly string[] | undefined {
  if (accounts === undefined) {
    if (roleName !== undefined) throw new UsageError('--role-name goes with --accounts');
    return undefined;
  }
  const named = [...new Set(accounts.split(',').map((account) => account.trim()))];
  const bad = named.filter((account) => !/^\d{12}$/.test(account));
  if (bad.length > 0) throw new UsageError(`--accounts: '${bad.join("', '")}' is not an AWS account id (12 digits)`);
  if (!roleName)
    throw new UsageError('--accounts needs --role-name: the role to assume in each account (with the read permissions the README lists)');
  if (!/^[\w+=,.@/-]{1,64}$/.test(roleName)) throw new UsageError(`--role-name '${roleName}' is not an IAM role name`);
  return named;
}

/** Temporary credentials of the role in the account, for one scan (an hour, read-only by the role's own policy). */
export async function assumeIn(
  sts: Pick<STSClient, 'send'>,
  partition: string,
  account: string,
  roleName: string,
): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration?: Date }> {
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:${partition}:iam::${account}:role/${roleName}`, RoleSessionName: 'warden-scan', DurationSeconds: 3600 }),
  );
  if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey || !Credentials.SessionToken)
    throw new Error(`STS returned no credentials for ${roleName} in ${account}`);
  return {
    accessKeyId: Credentials.AccessKeyId,
    secretAccessKey: Credentials.SecretAccessKey,
    sessionToken: Credentials.SessionToken,
    ...(Credentials.Expiration ? { expiration: new Date(Credentials.Expiration) } : {}),
  };
}
