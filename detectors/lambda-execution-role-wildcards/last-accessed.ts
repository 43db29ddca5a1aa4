import { GenerateServiceLastAccessedDetailsCommand, GetServiceLastAccessedDetailsCommand, type ServiceLastAccessed } from '@aws-sdk/client-iam';
import { awsErrorName } from '../../core/errors';
import type { Iam } from './role-policies';

/** What the role used, from IAM's last-accessed data (tracked for up to 400 days), or why it is missing. */
export type LastAccessed =
  | {
      readonly status: 'COMPLETED';
      /** `actions`: those IAM tracks for the service (management actions, not data reads and writes), as used. */
      readonly used: readonly { readonly service: string; readonly lastUsed: string; readonly actions?: readonly string[] }[];
      readonly neverUsed: readonly string[];
    }
  | { readonly status: 'UNAVAILABLE'; readonly why: string };

/** How long to wait between reads of a last-accessed job (IAM usually finishes in seconds): about 10 s in all. */
const POLL_MS = [200, 400, 800, 1600, 2000, 2000, 3000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NAMED_SERVICES = 50;

function summarise(services: readonly ServiceLastAccessed[]): LastAccessed {
  const used = services
    .filter((service) => service.LastAuthenticated)
    .map((service) => {
      const actions = (service.TrackedActionsLastAccessed ?? []).flatMap(({ ActionName, LastAccessedTime }) =>
        ActionName && LastAccessedTime ? [`${service.ServiceNamespace}:${ActionName}`] : [],
      );
      return {
        service: service.ServiceNamespace ?? '',
        lastUsed: new Date(service.LastAuthenticated ?? 0).toISOString().slice(0, 10),
        ...(actions.length > 0 ? { actions: actions.sort() } : {}),
      };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
  const neverUsed = services.flatMap((service) => (!service.LastAuthenticated && service.ServiceNamespace ? [service.ServiceNamespace] : [])).sort();
  return { status: 'COMPLETED', used: used.slice(0, NAMED_SERVICES), neverUsed: neverUsed.slice(0, NAMED_SERVICES) };
}

/**
 * The services (and, where IAM tracks them, the actions) the role used, for the ticket's starting policy.
 * Only context for people: the verdict never depends on it, so IAM's refusal (no permission, a job that does
 * not finish in time, an emulator that does not model it) is named in the finding instead of failing it.
 */
export async function lastAccessed(iam: Iam, Arn: string): Promise<LastAccessed> {
  try {
    const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn, Granularity: 'ACTION_LEVEL' }));
    if (!JobId) return { status: 'UNAVAILABLE', why: 'IAM started no job' };
    for (const wait of POLL_MS) {
      await sleep(wait);
      const services: ServiceLastAccessed[] = [];
      let Marker: string | undefined;
      let status: string | undefined;
      do {
        const page = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, MaxItems: 1000, ...(Marker ? { Marker } : {}) }));
        status = page.JobStatus;
        if (status !== 'COMPLETED') break;
        services.push(...(page.ServicesLastAccessed ?? []));
        Marker = page.IsTruncated ? page.Marker : undefined;
      } while (Marker);
      if (status === 'COMPLETED') return summarise(services);
      if (status === 'FAILED') return { status: 'UNAVAILABLE', why: 'IAM could not build the last-accessed report' };
    }
    return { status: 'UNAVAILABLE', why: `IAM had not finished the last-accessed report after ${POLL_MS.reduce((a, b) => a + b, 0) / 1000} s` };
  } catch (error) {
    // IAM's answers only (they carry $metadata): a fault of Warden's own still fails the detection.
    if (typeof error !== 'object' || error === null || !('$metadata' in error)) throw error;
    return { status: 'UNAVAILABLE', why: `IAM refused the last-accessed report (${awsErrorName(error) ?? 'error'})` };
  }
}
