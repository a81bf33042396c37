import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page, PageRequest } from '@madoguchi/tickets';
import type { TenantScope } from '@madoguchi/tenancy';
import type { Call } from '../call/call.entity';
import { tokyoDayEnd, tokyoDayStart } from '@madoguchi/common';
import { assertDateRange, type CallLogFilter } from './call-log-filter.util';
import type { CallLogItem, TicketCallItem } from './call-log.type';
import { scopedCallQuery } from './scoped-call-query';

/**
 * The call log for the desk. The scope is a required argument and applied first
 * ({@link scopedCallQuery}); the filters only narrow it: a merchant user asking for another
 * merchant's id gets an empty page, never that merchant's calls.
 */
@Injectable()
export class CallLogService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    scope: TenantScope,
    page: PageRequest,
    filter: CallLogFilter = {},
  ): Promise<Page<CallLogItem>> {
    assertDateRange(filter.from, filter.to);
    const query = scopedCallQuery(this.dataSource.manager, scope)
      // Only the columns shown: never a user's hash or a ticket's requester ciphertext.
      .leftJoin('call.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .leftJoin('call.agent', 'agent')
      .addSelect(['agent.id', 'agent.displayName'])
      .leftJoin('call.ticket', 'ticket')
      .addSelect(['ticket.id', 'ticket.reference']);
    // Dates filter on when the call started (Tokyo days, `to` inclusive).
    if (filter.from !== undefined)
      query.andWhere('call.startedAt >= :from', { from: tokyoDayStart(filter.from) });
    if (filter.to !== undefined)
      query.andWhere('call.startedAt < :to', { to: tokyoDayEnd(filter.to) });
    if (filter.outcome !== undefined)
      query.andWhere('call.outcome = :outcome', { outcome: filter.outcome });
    if (filter.merchantId !== undefined)
      query.andWhere('call.merchantId = :merchantId', { merchantId: filter.merchantId });
    const [calls, total] = await query
      .orderBy('call.createdAt', 'DESC')
      .addOrderBy('call.id', 'DESC')
      .skip((page.page - 1) * page.pageSize)
      .take(page.pageSize)
      .getManyAndCount();
    return { items: calls.map(toItem), total, page: page.page, pageSize: page.pageSize };
  }

  /** The calls linked to a ticket of the scope, oldest first (none for another merchant's). */
  async linkedToTicket(scope: TenantScope, reference: string): Promise<TicketCallItem[]> {
    const calls = await scopedCallQuery(this.dataSource.manager, scope)
      .innerJoin('call.ticket', 'ticket')
      .leftJoin('call.agent', 'agent')
      .addSelect(['agent.id', 'agent.displayName'])
      .andWhere('ticket.reference = :reference', { reference })
      .orderBy('call.createdAt', 'ASC')
      .addOrderBy('call.id', 'ASC')
      .getMany();
    return calls.map((call) => ({
      id: call.id,
      startedAt: call.startedAt,
      outcome: call.outcome,
      talkSeconds: call.talkSeconds,
      agentName: call.agent?.displayName ?? null,
    }));
  }
}

function toItem(call: Call): CallLogItem {
  return {
    id: call.id,
    merchantId: call.merchantId,
    merchantName: call.merchant?.name ?? null,
    ticketReference: call.ticket?.reference ?? null,
    status: call.status,
    outcome: call.outcome,
    callerIdWithheld: call.callerIdWithheld,
    withinHours: call.withinHours,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    waitSeconds: call.waitSeconds,
    talkSeconds: call.talkSeconds,
    agent: call.agent ? { id: call.agent.id, displayName: call.agent.displayName } : null,
    hasRecording: call.recordingSid !== null || call.recordingUrl !== null,
    createdAt: call.createdAt,
  };
}
