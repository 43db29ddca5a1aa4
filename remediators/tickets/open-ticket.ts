import type { AuditStore } from '../../core/audit/audit-store';
import type { Counters, Log } from '../../core/observability';
import type { Delivery } from '../../core/callbacks/task-callback';
import { TicketProviderError } from './http';
import type { OpenedTicket, TicketProvider } from './providers';
import { type TicketRequest, ticketContent } from './ticket-request';
import type { TicketStore } from './ticket-store';

export interface OpenTicketDeps {
  readonly provider: () => Promise<TicketProvider>;
  readonly store: TicketStore;
  readonly audit: AuditStore;
  deliver(delivery: Delivery, result: { output: Record<string, unknown> } | { error: string; cause: string }): Promise<'delivered' | 'gone'>;
  readonly log: Log;
  readonly metrics: Counters;
  now(): Date;
}

/** A ticket is being opened for this finding by another invocation; EventBridge retries this one later. */
export class TicketInFlightError extends TicketProviderError {
  override name = 'TicketInFlightError';
}

/**
 * The hub's ticket opener: one ticket per finding (a repeated request reuses the open one), then the
 * ticket key goes back to the waiting workflow, if one waits. A permanent failure is recorded in the
 * audit trail, counted for the alarm, and reported to the waiting workflow; it is never swallowed.
 */
export async function openTicket(request: TicketRequest, deps: OpenTicketDeps): Promise<OpenedTicket> {
  const { finding } = request.input;
  const claim = await deps.store.claim(finding.findingId, deps.now());
  if (claim === 'in-flight') throw new TicketInFlightError(`a ticket for finding ${finding.findingId} is being opened`, undefined);
  let ticket: OpenedTicket;
  if (claim === 'claimed') {
    try {
      ticket = await (await deps.provider())(ticketContent(request), finding.findingId);
    } catch (error) {
      await deps.store.release(finding.findingId);
      deps.metrics.count('TicketFailed');
      const status = error instanceof TicketProviderError ? error.status : undefined;
      deps.log.error('ticket could not be opened', {
        findingId: finding.findingId,
        account: request.account,
        status,
        error: (error as { name?: string }).name,
      });
      await deps.audit.append({
        findingId: finding.findingId,
        account: request.account,
        region: request.region,
        check: finding.check,
        resourceArn: finding.resourceArn,
        state: 'TICKET_FAILED',
        actor: 'warden',
        time: deps.now().toISOString(),
        executionArn: request.executionArn,
        details: { reason: request.reason, error: error instanceof Error ? error.message : 'unknown', ...(status ? { status } : {}) },
      });
      if (request.taskToken)
        await deps.deliver(
          { account: request.account, region: request.region, taskToken: request.taskToken },
          { error: 'Warden.TicketFailed', cause: 'the ticket provider refused or kept failing' },
        );
      throw error;
    }
    await deps.store.opened(finding.findingId, ticket);
    deps.metrics.count('TicketOpened');
    deps.log.info('ticket opened', { findingId: finding.findingId, ticketKey: ticket.ticketKey, account: request.account });
  } else {
    ticket = claim.existing;
    deps.metrics.count('TicketReused');
    deps.log.info('finding already has a ticket', { findingId: finding.findingId, ticketKey: ticket.ticketKey });
  }
  if (request.taskToken) {
    await deps.deliver(
      { account: request.account, region: request.region, taskToken: request.taskToken },
      { output: { ticketKey: ticket.ticketKey, url: ticket.url ?? '' } },
    );
  }
  return ticket;
}
