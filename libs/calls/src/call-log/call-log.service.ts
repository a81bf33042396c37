import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  type Page,
  type PageRequest,
  scopedQueueQuery,
  type TicketScope,
} from '@madoguchi/tickets';
import { Call } from '../call/call.entity';
import type { CallLogItem } from './call-log.type';

/**
 * The call log for the desk. The scope is a required argument: a merchant user's list holds
 * only its merchant's calls (calls not yet tied to a merchant are staff-only); admins and
 * supervisors see all, agents the merchants of their queues.
 */
@Injectable()
export class CallLogService {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: TicketScope, page: PageRequest): Promise<Page<CallLogItem>> {
    const query = this.dataSource
      .getRepository(Call)
      .createQueryBuilder('call')
      // Only the columns shown: never a user's hash or a ticket's requester ciphertext.
      .leftJoin('call.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .leftJoin('call.agent', 'agent')
      .addSelect(['agent.id', 'agent.displayName'])
      .leftJoin('call.ticket', 'ticket')
      .addSelect(['ticket.id', 'ticket.reference']);
    switch (scope.kind) {
      case 'merchant':
        query.where('call.merchantId = :merchantId', { merchantId: scope.merchantId });
        break;
      case 'staff':
        if (scope.queueIds !== 'all') {
          // An agent sees the calls of the merchants whose queues they work, by the tickets' own
          // scope rule, plus the window's calls not yet tied to any merchant.
          const merchants = scopedQueueQuery(this.dataSource.manager, scope).select(
            'queue.merchantId',
          );
          query.where(
            `(call.merchantId IS NULL OR call.merchantId IN (${merchants.getQuery()}))`,
            merchants.getParameters(),
          );
        }
        break;
    }
    const [calls, total] = await query
      .orderBy('call.createdAt', 'DESC')
      .addOrderBy('call.id', 'DESC')
      .skip((page.page - 1) * page.pageSize)
      .take(page.pageSize)
      .getManyAndCount();
    return { items: calls.map(toItem), total, page: page.page, pageSize: page.pageSize };
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
