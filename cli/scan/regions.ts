import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { UsageError } from '../io';

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/**
 * The regions a scan covers: `--regions all` (every region enabled in the account, as EC2 lists them),
 * `--regions a,b`, else `--region`, else the environment's region.
 */
export async function regionsToScan(
  flags: { readonly regions?: string | undefined; readonly region?: string | undefined },
  home: string | undefined,
  ec2: (region: string) => Pick<EC2Client, 'send'> = (region) => new EC2Client({ region }),
): Promise<readonly string[]> {
  if (flags.regions !== undefined && flags.region !== undefined) throw new UsageError('pass --region or --regions, not both');
  if (flags.regions === undefined) {
    const region = flags.region ?? home;
    if (!region) throw new UsageError('no region: pass --region or --regions, or set AWS_REGION');
    return [region];
  }
  if (flags.regions.trim() === 'all') {
    if (!home) throw new UsageError('--regions all lists the enabled regions from one region: pass --region too, or set AWS_REGION');
    const { Regions = [] } = await ec2(home).send(new DescribeRegionsCommand({ AllRegions: false }));
    return Regions.flatMap(({ RegionName }) => (RegionName ? [RegionName] : [])).sort();
  }
  const named = [...new Set(flags.regions.split(',').map((region) => region.trim()))];
  const bad = named.filter((region) => !REGION.test(region));
  if (bad.length > 0) throw new UsageError(`--regions: '${bad.join("', '")}' is not a region name like eu-west-1 (or use --regions all)`);
  return named;
}

/** Runs `work` on each item, at most `limit` at a time, keeping the items' order in the answers. */
export async function boundedMap<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const answers: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      answers[index] = await work(items[index] as T);
    }
  });
  await Promise.all(workers);
  return answers;
}
