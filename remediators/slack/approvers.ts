/**
 * Who may decide: user ids (U…/W…) directly, user groups (S…) through Slack's usergroups.users.list,
 * cached for at most 60 s, so someone removed from a group loses the right within a minute.
 */
export const APPROVER_GROUP_CACHE_MS = 60_000;

export function approverCheck(
  approvers: readonly string[],
  listGroup: (groupId: string) => Promise<readonly string[]>,
  ttlMs = APPROVER_GROUP_CACHE_MS,
  now: () => number = Date.now,
) {
  const users = new Set(approvers.filter((id) => !id.startsWith('S')));
  const groups = approvers.filter((id) => id.startsWith('S'));
  let members: { ids: Set<string>; until: number } | undefined;
  return async (userId: string): Promise<boolean> => {
    if (users.has(userId)) return true;
    if (groups.length === 0) return false;
    if (!members || members.until <= now()) {
      const lists = await Promise.all(groups.map(listGroup));
      members = { ids: new Set(lists.flat()), until: now() + ttlMs };
    }
    return members.ids.has(userId);
  };
}

/** POSTs a message to a Slack response_url (update the original, or an ephemeral reply). */
export async function postToResponseUrl(url: string, message: Record<string, unknown>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(2_000),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}
