import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import { User } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import { Clock, DomainException, ErrorCode, tokyoDayOf } from '@madoguchi/common';
import { Merchant, type TenantScope } from '@madoguchi/tenancy';
import { scopedTicketQuery, dueSoonThreshold, ACTIVE_TICKET_STATUSES } from '@madoguchi/tickets';

/** One merchant's active tickets (new, open, pending_*) against their SLA. */
export interface MerchantLoad {
  merchantId: number;
  merchantName: string;
  open: number;
  breached: number;
  dueSoon: number;
  unassigned: number;
}

/** One staff member's workload: active tickets assigned, tickets resolved today (Tokyo). */
export interface AgentLoad {
  userId: number;
  displayName: string;
  active: number;
  resolvedToday: number;
}

export interface DashboardSnapshot {
  at: Date;
  merchants: MerchantLoad[];
  agents: AgentLoad[];
  totals: Omit<MerchantLoad, 'merchantId' | 'merchantName'> & { resolvedToday: number };
}

/**
 * The supervisors' view of the whole desk: open tickets and SLA state per merchant, each staff
 * member's workload. Grouped queries only. Needs a staff scope that sees every queue: it shows
 * every merchant at once, so a narrower scope is refused rather than silently shown a part.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendar: BusinessCalendar,
    private readonly clock: Clock,
  ) {}

  async snapshot(scope: TenantScope, now: Date = this.clock.now()): Promise<DashboardSnapshot> {
    if (scope.kind !== 'staff' || scope.queueIds !== 'all') {
      throw new DomainException(
        ErrorCode.Forbidden,
        '状況画面は全キューを見られる担当者のみ利用できます。',
      );
    }
    const manager = this.dataSource.manager;
    const active = [...ACTIVE_TICKET_STATUSES];
    const perMerchant = await scopedTicketQuery(manager, scope)
      .innerJoin(Merchant, 'merchant', 'merchant.id = ticket.merchantId')
      .select('merchant.id', 'merchantId')
      .addSelect('merchant.name', 'merchantName')
      .addSelect('COUNT(*)', 'open')
      // Same comparisons as QueueService.summaries, so both screens agree.
      .addSelect('SUM(CASE WHEN ticket.slaDueAt <= :now THEN 1 ELSE 0 END)', 'breached')
      .addSelect(
        'SUM(CASE WHEN ticket.slaDueAt > :now AND ticket.slaDueAt < :soon THEN 1 ELSE 0 END)',
        'dueSoon',
      )
      .addSelect('SUM(CASE WHEN ticket.assigneeId IS NULL THEN 1 ELSE 0 END)', 'unassigned')
      .andWhere('ticket.status IN (:...active)', { active })
      .setParameters({ now, soon: dueSoonThreshold(now, this.calendar) })
      .groupBy('merchant.id')
      .addGroupBy('merchant.name')
      .getRawMany<Record<keyof MerchantLoad, number | string | null>>();
    const merchants: MerchantLoad[] = perMerchant
      .map((row) => ({
        merchantId: Number(row.merchantId),
        merchantName: String(row.merchantName ?? ''),
        open: Number(row.open ?? 0),
        breached: Number(row.breached ?? 0),
        dueSoon: Number(row.dueSoon ?? 0),
        unassigned: Number(row.unassigned ?? 0),
      }))
      .sort((a, b) => b.open - a.open || a.merchantName.localeCompare(b.merchantName, 'ja'));

    const assigned = await scopedTicketQuery(manager, scope)
      .select('ticket.assigneeId', 'userId')
      .addSelect('COUNT(*)', 'count')
      .andWhere('ticket.status IN (:...active)', { active })
      .andWhere('ticket.assigneeId IS NOT NULL')
      .groupBy('ticket.assigneeId')
      .getRawMany<{ userId: number | string; count: number | string }>();
    // resolvedAt is cleared on reopening, so it counts tickets resolved today and still resolved (or closed since).
    const resolved = await scopedTicketQuery(manager, scope)
      .select('ticket.assigneeId', 'userId')
      .addSelect('COUNT(*)', 'count')
      .andWhere('ticket.resolvedAt >= :dayStart', { dayStart: tokyoDayOf(now).start })
      .andWhere('ticket.resolvedAt <= :now', { now })
      .andWhere('ticket.assigneeId IS NOT NULL')
      .groupBy('ticket.assigneeId')
      .getRawMany<{ userId: number | string; count: number | string }>();
    const countOf = (rows: { userId: number | string; count: number | string }[], id: number) =>
      Number(rows.find((row) => Number(row.userId) === id)?.count ?? 0);
    const loadedIds = [...new Set([...assigned, ...resolved].map((row) => Number(row.userId)))];
    // Every enabled agent appears (an idle agent is news too), plus anyone holding tickets.
    const users = await manager.find(User, {
      select: { id: true, displayName: true },
      where: [
        { role: 'agent', disabledAt: IsNull() },
        ...(loadedIds.length > 0 ? [{ id: In(loadedIds), merchantId: IsNull() }] : []),
      ],
    });
    const agents: AgentLoad[] = users
      .map((user) => ({
        userId: user.id,
        displayName: user.displayName,
        active: countOf(assigned, user.id),
        resolvedToday: countOf(resolved, user.id),
      }))
      .sort(
        (a, b) =>
          b.active - a.active ||
          b.resolvedToday - a.resolvedToday ||
          a.displayName.localeCompare(b.displayName, 'ja'),
      );
    const sum = (pick: (m: MerchantLoad) => number) =>
      merchants.reduce((total, m) => total + pick(m), 0);
    return {
      at: now,
      merchants,
      agents,
      totals: {
        open: sum((m) => m.open),
        breached: sum((m) => m.breached),
        dueSoon: sum((m) => m.dueSoon),
        unassigned: sum((m) => m.unassigned),
        resolvedToday: resolved.reduce((total, row) => total + Number(row.count), 0),
      },
    };
  }
}
