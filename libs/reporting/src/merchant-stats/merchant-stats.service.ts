import {
  Clock,
  datesOf,
  resolveTokyoRange,
  tokyoDateOf,
  type TokyoDateRange,
  tokyoDayEnd,
  tokyoDayStart,
} from '@madoguchi/common';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  scopedTicketQuery,
  ACTIVE_TICKET_STATUSES,
  TICKET_CATEGORY_KEYS,
  TICKET_CHANNELS,
  type TicketCategory,
  type TicketChannel,
  type Ticket,
} from '@madoguchi/tickets';
import type { TenantScope } from '@madoguchi/tenancy';

/** The longest range read at once (the rows are counted in memory). */
export const MERCHANT_STATS_MAX_DAYS = 92;
/** Without `from`: this many days up to `to` (or today). */
export const MERCHANT_STATS_DEFAULT_DAYS = 30;

/** The non-personal columns the statistics read; nothing else of a ticket is loaded. */
export type MerchantStatsRow = Pick<
  Ticket,
  | 'createdAt'
  | 'category'
  | 'channel'
  | 'status'
  | 'firstResponseDueAt'
  | 'firstRespondedAt'
  | 'resolutionDueAt'
  | 'resolvedAt'
> &
  /** Issue 15: a merged ticket (closed into another) is counted as merged, never as resolved. */
  Partial<Pick<Ticket, 'mergedIntoId'>>;

export interface MerchantStatsDay {
  date: string;
  total: number;
  byCategory: Record<TicketCategory, number>;
  byChannel: Record<TicketChannel, number>;
}

/** One SLA target over the range's tickets. */
export interface SlaFigure {
  /** Reached within the target. */
  met: number;
  /** Reached late, or still open past the deadline. */
  missed: number;
  /** Still open, deadline not passed yet: not counted in the share. */
  pending: number;
  /** met / (met + missed); null when nothing is decided yet. */
  shareWithinTarget: number | null;
  /** Median hours from receipt to the event (wall clock), over tickets that reached it. */
  medianHours: number | null;
}

export interface MerchantStats extends TokyoDateRange {
  total: number;
  days: MerchantStatsDay[];
  byCategory: Record<TicketCategory, number>;
  byChannel: Record<TicketChannel, number>;
  /** Of the range's tickets, by their state now. */
  open: number;
  resolved: number;
  handedBack: number;
  /** Merged into another ticket (closed, but not resolved: the survivor carries on). */
  merged: number;
  firstResponse: SlaFigure;
  resolution: SlaFigure;
}

/**
 * The merchant portal's ticket statistics: inquiries per day by category and channel, open vs
 * resolved, first-response and resolution times against the SLA. The rows of a bounded range
 * (≤ {@link MERCHANT_STATS_MAX_DAYS} days, a few non-personal columns each) are read through
 * the scoped query and counted in memory: Tokyo-day bucketing and medians would otherwise need
 * dialect SQL (SQLite and MariaDB differ).
 */
@Injectable()
export class MerchantStatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async stats(
    scope: TenantScope,
    query: { from?: string; to?: string },
    now = this.clock.now(),
  ): Promise<MerchantStats> {
    const range = resolveTokyoRange(
      query,
      { defaultDays: MERCHANT_STATS_DEFAULT_DAYS, maxDays: MERCHANT_STATS_MAX_DAYS },
      now,
    );
    const rows = await scopedTicketQuery(this.dataSource.manager, scope)
      .select([
        'ticket.id',
        'ticket.createdAt',
        'ticket.category',
        'ticket.channel',
        'ticket.status',
        'ticket.firstResponseDueAt',
        'ticket.firstRespondedAt',
        'ticket.resolutionDueAt',
        'ticket.resolvedAt',
        'ticket.mergedIntoId',
      ])
      .andWhere('ticket.createdAt >= :from', { from: tokyoDayStart(range.from) })
      .andWhere('ticket.createdAt < :to', { to: tokyoDayEnd(range.to) })
      .getMany();
    return summariseTickets(rows, range, now);
  }
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Math.round(value * 10) / 10;
}

/**
 * One SLA target: reached on or before the deadline is met; reached after it, or a still-active
 * ticket past it, is missed. Tickets without a deadline (none set) and finished tickets that
 * never reached the event (handed back) are left out.
 */
function slaFigure(
  rows: readonly MerchantStatsRow[],
  due: (row: MerchantStatsRow) => Date | null,
  reached: (row: MerchantStatsRow) => Date | null,
  now: Date,
): SlaFigure {
  const figure = { met: 0, missed: 0, pending: 0 };
  const hours: number[] = [];
  for (const row of rows) {
    const at = reached(row);
    if (at) hours.push((at.getTime() - row.createdAt.getTime()) / 3_600_000);
    const deadline = due(row);
    if (!deadline) continue;
    if (at) {
      if (at.getTime() <= deadline.getTime()) figure.met += 1;
      else figure.missed += 1;
    } else if (ACTIVE_TICKET_STATUSES.includes(row.status)) {
      if (deadline.getTime() < now.getTime()) figure.missed += 1;
      else figure.pending += 1;
    }
  }
  const decided = figure.met + figure.missed;
  return {
    ...figure,
    shareWithinTarget: decided === 0 ? null : figure.met / decided,
    medianHours: median(hours),
  };
}

/** The numbers of one set of tickets (pure: the unit tests feed it rows). */
export function summariseTickets(
  rows: readonly MerchantStatsRow[],
  range: TokyoDateRange,
  now: Date,
): MerchantStats {
  const days = new Map<string, MerchantStatsDay>(
    datesOf(range).map((date) => [
      date,
      {
        date,
        total: 0,
        byCategory: zeroes(TICKET_CATEGORY_KEYS),
        byChannel: zeroes(TICKET_CHANNELS),
      },
    ]),
  );
  const byCategory = zeroes(TICKET_CATEGORY_KEYS);
  const byChannel = zeroes(TICKET_CHANNELS);
  let open = 0;
  let resolved = 0;
  let handedBack = 0;
  let merged = 0;
  for (const row of rows) {
    const day = days.get(tokyoDateOf(row.createdAt));
    if (day) {
      day.total += 1;
      if (row.category in day.byCategory) day.byCategory[row.category] += 1;
      if (row.channel in day.byChannel) day.byChannel[row.channel] += 1;
    }
    if (row.category in byCategory) byCategory[row.category] += 1;
    if (row.channel in byChannel) byChannel[row.channel] += 1;
    if ((row.mergedIntoId ?? null) !== null) merged += 1;
    else if (row.status === 'resolved' || row.status === 'closed') resolved += 1;
    else if (row.status === 'handed_back') handedBack += 1;
    else open += 1;
  }
  return {
    ...range,
    total: rows.length,
    days: [...days.values()],
    byCategory,
    byChannel,
    open,
    resolved,
    handedBack,
    merged,
    firstResponse: slaFigure(
      rows,
      (r) => r.firstResponseDueAt,
      (r) => r.firstRespondedAt,
      now,
    ),
    resolution: slaFigure(
      rows,
      (r) => r.resolutionDueAt,
      (r) => r.resolvedAt,
      now,
    ),
  };
}
