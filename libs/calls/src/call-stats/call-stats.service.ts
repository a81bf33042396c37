import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Clock,
  tokyoDateOf,
  tokyoDayEnd,
  tokyoDayStart,
  tokyoHourOf,
  ValidationFailedException,
} from '@madoguchi/common';
import { Call } from '../call/call.entity';
import { assertDateRange, CALL_OUTCOMES } from '../call-log/call-log-filter.util';
import type { CallOutcome } from '../call-record/call-state.util';
import type { TenantScope } from '@madoguchi/tenancy';
import { scopedCallQuery } from '../call-log/scoped-call-query';

/** The longest range the statistics read at once (the rows are counted in memory). */
export const CALL_STATS_MAX_DAYS = 92;
/** Without `from`: this many days up to `to` (or today). */
export const CALL_STATS_DEFAULT_DAYS = 30;

export interface CallStatsQuery {
  from?: string;
  to?: string;
  merchantId?: number;
}

export interface CallStats {
  from: string;
  to: string;
  merchantId: number | null;
  total: number;
  byOutcome: Record<CallOutcome | 'in_progress', number>;
  answered: number;
  abandoned: number;
  /**
   * Callers in hours who were not answered live: abandoned, callback_requested (they asked to be
   * called back instead of waiting on), and voicemails left from the overflow offer.
   */
  notAnswered: number;
  /** answered / (answered + notAnswered): of the callers who waited for an agent; null if none. */
  answerRate: number | null;
  /** Over answered calls with a known wait, in seconds; null when there are none. */
  averageWaitSeconds: number | null;
  p90WaitSeconds: number | null;
  /** Calls started in each hour of the day, Tokyo time, index 0–23. */
  callsPerHour: number[];
  answeredPerHour: number[];
  abandonedPerHour: number[];
}

/**
 * Call statistics for supervisors: calls per hour of day (Tokyo), answer rate, average and
 * 90th-percentile wait of answered calls, outcomes. The rows of a bounded range
 * (≤ {@link CALL_STATS_MAX_DAYS} days, four small columns each) are read once and counted in
 * memory: the hour-of-day bucketing in Tokyo time and the percentile would otherwise need
 * dialect SQL (SQLite and MariaDB differ), which this project avoids.
 */
@Injectable()
export class CallStatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The scope applies first (today only admins and supervisors may ask; the rule holds anyway). */
  async stats(
    scope: TenantScope,
    query: CallStatsQuery,
    now = this.clock.now(),
  ): Promise<CallStats> {
    const { from, to } = rangeOf(query, now);
    const builder = scopedCallQuery(this.dataSource.manager, scope)
      .select(['call.id', 'call.startedAt', 'call.outcome', 'call.waitSeconds', 'call.overflowOfferedAt'])
      .andWhere('call.startedAt >= :from', { from: tokyoDayStart(from) })
      .andWhere('call.startedAt < :to', { to: tokyoDayEnd(to) });
    if (query.merchantId !== undefined)
      builder.andWhere('call.merchantId = :merchantId', { merchantId: query.merchantId });
    const calls = await builder.getMany();
    return summarise(calls, { from, to, merchantId: query.merchantId ?? null });
  }
}

function rangeOf(query: CallStatsQuery, now: Date): { from: string; to: string } {
  assertDateRange(query.from, query.to);
  const to = query.to ?? tokyoDateOf(now);
  const from =
    query.from ??
    tokyoDateOf(new Date(tokyoDayStart(to).getTime() - (CALL_STATS_DEFAULT_DAYS - 1) * 86_400_000));
  const days = Math.round((tokyoDayEnd(to).getTime() - tokyoDayStart(from).getTime()) / 86_400_000);
  if (days > CALL_STATS_MAX_DAYS) {
    throw new ValidationFailedException([
      { field: 'to', message: `期間は${CALL_STATS_MAX_DAYS}日以内で指定してください。` },
    ]);
  }
  return { from, to };
}

/** The numbers of one set of calls (pure: the unit tests feed it rows). */
export function summarise(
  calls: readonly (Pick<Call, 'startedAt' | 'outcome' | 'waitSeconds'> &
    Partial<Pick<Call, 'overflowOfferedAt'>>)[],
  range: { from: string; to: string; merchantId: number | null },
): CallStats {
  const byOutcome = Object.fromEntries(
    [...CALL_OUTCOMES, 'in_progress'].map((outcome) => [outcome, 0]),
  ) as CallStats['byOutcome'];
  const callsPerHour = new Array<number>(24).fill(0);
  const answeredPerHour = new Array<number>(24).fill(0);
  const abandonedPerHour = new Array<number>(24).fill(0);
  const waits: number[] = [];
  let overflowNotAnswered = 0;
  for (const call of calls) {
    const outcome = (CALL_OUTCOMES as readonly string[]).includes(call.outcome ?? '')
      ? (call.outcome as CallOutcome)
      : 'in_progress';
    byOutcome[outcome] += 1;
    const hour = call.startedAt ? tokyoHourOf(call.startedAt) : null;
    if (hour !== null) callsPerHour[hour] += 1;
    if (outcome === 'answered') {
      if (hour !== null) answeredPerHour[hour] += 1;
      if (call.waitSeconds !== null) waits.push(call.waitSeconds);
    }
    if (outcome === 'abandoned' && hour !== null) abandonedPerHour[hour] += 1;
    if (
      outcome === 'callback_requested' ||
      (outcome === 'voicemail' && (call.overflowOfferedAt ?? null) !== null)
    ) {
      overflowNotAnswered += 1;
    }
  }
  const answered = byOutcome.answered;
  const abandoned = byOutcome.abandoned;
  const notAnswered = abandoned + overflowNotAnswered;
  waits.sort((a, b) => a - b);
  return {
    ...range,
    total: calls.length,
    byOutcome,
    answered,
    abandoned,
    notAnswered,
    answerRate: answered + notAnswered === 0 ? null : answered / (answered + notAnswered),
    averageWaitSeconds:
      waits.length === 0 ? null : waits.reduce((sum, wait) => sum + wait, 0) / waits.length,
    p90WaitSeconds: percentile(waits, 0.9),
    callsPerHour,
    answeredPerHour,
    abandonedPerHour,
  };
}

/** Nearest-rank percentile of sorted values: the smallest value ≥ p of them. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}
