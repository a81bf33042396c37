import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@madoguchi/calendar';
import { Clock, NotFoundException } from '@madoguchi/common';
import { scopedQueueQuery, type TenantScope } from '@madoguchi/tenancy';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import { dueSoonThreshold } from '../sla/sla-state.util';
import {
  ACTIVE_TICKET_STATUSES,
  isTicketStatus,
  TICKET_STATUSES,
  type TicketStatus,
} from '../ticket/ticket.constant';
import { selectListItemColumns, toListItem } from '../ticket/ticket-list-item.util';
import {
  type Page,
  type PageRequest,
  type QueueSummary,
  type TicketListFilter,
  type TicketListItem,
} from '../ticket/ticket-view.type';
import { ticketFilterSql } from './ticket-list-filter.sql';

export const MAX_PAGE_SIZE = 100;
/** Live updates look this far back again, so a change committed late (or rounded to the second) is not missed. */
const CHANGE_FEED_SETTLE_MS = 2_000;
const CHANGE_FEED_LIMIT = 500;

export interface TicketChangeBatch {
  queueIds: number[];
  references: string[];
  /** Each changed row with its version, so a caller that re-reads a window can tell a repeat from a new change. */
  changes: Array<{ reference: string; queueId: number; version: number }>;
  /** Pass back as `since` on the next call. */
  latest: Date;
}

/** Queues and their ticket lists, always within the caller's scope. */
@Injectable()
export class QueueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: BusinessCalendar,
    private readonly clock: Clock,
  ) {}

  /** Each queue of the scope with its counts; a few grouped queries, no row-by-row work. */
  async summaries(scope: TenantScope, now: Date = this.clock.now()): Promise<QueueSummary[]> {
    const manager = this.dataSource.manager;
    const queues = await scopedQueueQuery(manager, scope)
      .leftJoin('queue.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .orderBy('merchant.name', 'ASC')
      .addOrderBy('queue.id', 'ASC')
      .getMany();
    if (queues.length === 0) return [];
    const queueIds = queues.map((queue) => queue.id);
    const byStatus = await scopedTicketQuery(manager, scope)
      .select('ticket.queueId', 'queueId')
      .addSelect('ticket.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .andWhere('ticket.queueId IN (:...queueIds)', { queueIds })
      .groupBy('ticket.queueId')
      .addGroupBy('ticket.status')
      .getRawMany<{ queueId: number | string; status: string; count: number | string }>();
    const bySla = await scopedTicketQuery(manager, scope)
      .select('ticket.queueId', 'queueId')
      .addSelect('SUM(CASE WHEN ticket.slaDueAt <= :now THEN 1 ELSE 0 END)', 'breached')
      .addSelect(
        'SUM(CASE WHEN ticket.slaDueAt > :now AND ticket.slaDueAt < :soon THEN 1 ELSE 0 END)',
        'dueSoon',
      )
      .addSelect('SUM(CASE WHEN ticket.slaDueAt >= :soon THEN 1 ELSE 0 END)', 'onTrack')
      .addSelect('SUM(CASE WHEN ticket.assigneeId IS NULL THEN 1 ELSE 0 END)', 'unassigned')
      .andWhere('ticket.queueId IN (:...queueIds)', { queueIds })
      .andWhere('ticket.status IN (:...active)', { active: [...ACTIVE_TICKET_STATUSES] })
      .setParameters({ now, soon: dueSoonThreshold(now, this.calendar) })
      .groupBy('ticket.queueId')
      .getRawMany<
        Record<
          'queueId' | 'breached' | 'dueSoon' | 'onTrack' | 'unassigned',
          number | string | null
        >
      >();
    return queues.map((queue) => {
      const countsByStatus = Object.fromEntries(
        TICKET_STATUSES.map((status) => [status, 0]),
      ) as Record<TicketStatus, number>;
      for (const row of byStatus) {
        if (Number(row.queueId) === queue.id && isTicketStatus(row.status))
          countsByStatus[row.status] = Number(row.count);
      }
      const sla = bySla.find((row) => Number(row.queueId) === queue.id);
      return {
        id: queue.id,
        name: queue.name,
        merchantId: queue.merchantId,
        merchantName: queue.merchant?.name ?? '',
        countsByStatus,
        countsBySla: {
          breached: Number(sla?.breached ?? 0),
          due_soon: Number(sla?.dueSoon ?? 0),
          on_track: Number(sla?.onTrack ?? 0),
        },
        unassigned: Number(sla?.unassigned ?? 0),
      };
    });
  }

  /** A queue's name and merchant, for a heading; outside the scope it is NotFound like an unknown id. */
  async header(
    scope: TenantScope,
    queueId: number,
  ): Promise<{ id: number; name: string; merchantName: string }> {
    const queue = await scopedQueueQuery(this.dataSource.manager, scope)
      .leftJoin('queue.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .andWhere('queue.id = :id', { id: queueId })
      .getOne();
    if (!queue) throw new NotFoundException('キューが見つかりません。');
    return { id: queue.id, name: queue.name, merchantName: queue.merchant?.name ?? '' };
  }

  /**
   * A queue's tickets (or, with queueId null, every queue of the scope), most urgent first:
   * by priority (urgent first), then SLA due, then id (issue 15). The default view (active
   * statuses) always has a deadline and reads the (queue_id, priority_rank, sla_due_at) index;
   * lists that include finished tickets put those (no deadline) last.
   */
  async listTickets(
    scope: TenantScope,
    queueId: number | null,
    filter: TicketListFilter,
    page: PageRequest,
    viewerUserId: number,
    now: Date = this.clock.now(),
  ): Promise<Page<TicketListItem>> {
    const manager = this.dataSource.manager;
    const pageSize = Math.min(Math.max(Math.trunc(page.pageSize) || 1, 1), MAX_PAGE_SIZE);
    const pageNumber = Math.max(Math.trunc(page.page) || 1, 1);
    if (queueId !== null) await this.assertQueueInScope(scope, queueId);
    const { statuses, conditions, parameters } = ticketFilterSql(filter, {
      viewerUserId,
      now,
    });
    const query = scopedTicketQuery(manager, scope);
    for (const condition of conditions) query.andWhere(condition);
    query.setParameters(parameters);
    if (queueId !== null) query.andWhere('ticket.queueId = :queueId', { queueId });
    const onlyActive = statuses.every((status) => ACTIVE_TICKET_STATUSES.includes(status));
    // Active tickets always carry a deadline; saying so lets the index give the order.
    if (onlyActive) query.andWhere('ticket.slaDueAt IS NOT NULL');
    // Counted before the list's joins are added, so the count reads the index alone.
    const total = await query.clone().getCount();
    selectListItemColumns(query);
    if (onlyActive) {
      query
        .orderBy('ticket.priorityRank', 'DESC')
        .addOrderBy('ticket.slaDueAt', 'ASC')
        .addOrderBy('ticket.id', 'ASC');
    } else {
      query
        .addSelect('CASE WHEN ticket.slaDueAt IS NULL THEN 1 ELSE 0 END', 'sla_missing')
        .orderBy('sla_missing', 'ASC')
        .addOrderBy('ticket.priorityRank', 'DESC')
        .addOrderBy('ticket.slaDueAt', 'ASC')
        .addOrderBy('ticket.id', 'ASC');
    }
    const tickets = await query
      .offset((pageNumber - 1) * pageSize)
      .limit(pageSize)
      .getMany();
    return {
      items: tickets.map((ticket) => toListItem(ticket, now, this.calendar)),
      total,
      page: pageNumber,
      pageSize,
    };
  }

  /**
   * What changed in the scope after `since` (exclusive), for live queue views. Reads the
   * updated_at index only. Changes of the last two seconds are reported again on the next call
   * (a transaction may commit after a later one, and MySQL rounds to the second), so a client
   * may see a reference twice but never misses one.
   */
  async changesSince(
    scope: TenantScope,
    since: Date,
    now: Date = this.clock.now(),
  ): Promise<TicketChangeBatch> {
    const rows = await scopedTicketQuery(this.dataSource.manager, scope)
      .select([
        'ticket.id',
        'ticket.reference',
        'ticket.queueId',
        'ticket.updatedAt',
        'ticket.version',
      ])
      .andWhere('ticket.updatedAt > :since', { since })
      .orderBy('ticket.updatedAt', 'ASC')
      .limit(CHANGE_FEED_LIMIT)
      .getMany();
    const newest = rows.reduce(
      (latest, row) => (row.updatedAt > latest ? row.updatedAt : latest),
      since,
    );
    const settled = new Date(now.getTime() - CHANGE_FEED_SETTLE_MS);
    // With a full page, continue from the last row seen so nothing is skipped.
    const latest =
      rows.length === CHANGE_FEED_LIMIT
        ? newest
        : new Date(Math.max(since.getTime(), Math.min(newest.getTime(), settled.getTime())));
    return {
      queueIds: [...new Set(rows.map((row) => row.queueId))],
      references: [...new Set(rows.map((row) => row.reference))],
      changes: rows.map((row) => ({
        reference: row.reference,
        queueId: row.queueId,
        version: row.version,
      })),
      latest,
    };
  }

  /**
   * Every ticket a list filter matches (a bulk action's "all matching"), in the list's order,
   * at most `limit`; `total` is the full count, so a caller can refuse a selection that is too
   * big. Reads ids, references and versions only: no personal data.
   */
  async matchingTickets(
    scope: TenantScope,
    queueId: number | null,
    filter: TicketListFilter,
    limit: number,
    viewerUserId: number,
    now: Date = this.clock.now(),
  ): Promise<{
    total: number;
    tickets: Array<{ id: number; reference: string; version: number }>;
  }> {
    if (queueId !== null) await this.assertQueueInScope(scope, queueId);
    const { conditions, parameters } = ticketFilterSql(filter, { viewerUserId, now });
    const query = scopedTicketQuery(this.dataSource.manager, scope);
    for (const condition of conditions) query.andWhere(condition);
    query.setParameters(parameters);
    if (queueId !== null) query.andWhere('ticket.queueId = :queueId', { queueId });
    const total = await query.clone().getCount();
    const tickets = await query
      .select(['ticket.id', 'ticket.reference', 'ticket.version'])
      .orderBy('ticket.slaDueAt', 'ASC')
      .addOrderBy('ticket.id', 'ASC')
      .limit(limit)
      .getMany();
    return {
      total,
      tickets: tickets.map((t) => ({ id: t.id, reference: t.reference, version: t.version })),
    };
  }

  private async assertQueueInScope(scope: TenantScope, queueId: number): Promise<void> {
    const found = Number.isInteger(queueId)
      ? await scopedQueueQuery(this.dataSource.manager, scope)
          .andWhere('queue.id = :queueId', { queueId })
          .getExists()
      : false;
    if (!found) throw new NotFoundException('キューが見つかりません。');
  }
}
