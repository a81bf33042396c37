import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import {
  isTokyoDate,
  type MerchantScope,
  tokyoDayEnd,
  tokyoDayStart,
  ValidationFailedException,
} from '@madoguchi/common';
import { AUDIT_ACTIONS } from '../audit-action.constant';
import { AuditEvent } from '../audit-event.entity';
import type {
  AccessLogActor,
  AccessLogEntry,
  AccessLogFilter,
  AccessLogPage,
} from './access-log.type';

export const ACCESS_LOG_PAGE_SIZE = 50;

const ACTION_VALUES: readonly string[] = Object.values(AUDIT_ACTIONS);

/**
 * A merchant's access log: what users (operator staff and the merchant's own users) did on the
 * merchant's data, read from the audit trail. The merchant scope is a required argument and
 * its merchant the first condition of every query, so the log cannot be read without a tenant
 * (a merchant user's own log only: staff read the audit trail instead); users are looked
 * up only among staff and that merchant's users, so another merchant's users never appear.
 */
@Injectable()
export class AccessLogService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    scope: MerchantScope,
    filter: AccessLogFilter = {},
    page = 1,
    pageSize = ACCESS_LOG_PAGE_SIZE,
  ): Promise<AccessLogPage> {
    const merchantId = merchantIdOf(scope);
    assertFilter(filter);
    const pageNumber = Math.max(Math.trunc(page) || 1, 1);
    const size = Math.min(Math.max(Math.trunc(pageSize) || 1, 1), 100);
    const [events, total] = await this.filteredEvents(merchantId, filter)
      .orderBy('event.createdAt', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .skip((pageNumber - 1) * size)
      .take(size)
      .getManyAndCount();
    const items = await this.entries(merchantId, events);
    return { items, total, page: pageNumber, pageSize: size };
  }

  /**
   * The filtered log for a CSV export, newest first: at most `cap` entries, and `overCap` when
   * there were more (the caller refuses rather than cut the file short).
   */
  async listForExport(
    scope: MerchantScope,
    filter: AccessLogFilter,
    cap: number,
  ): Promise<{ items: AccessLogEntry[]; overCap: boolean }> {
    const merchantId = merchantIdOf(scope);
    assertFilter(filter);
    const events = await this.filteredEvents(merchantId, filter)
      .orderBy('event.createdAt', 'DESC')
      .addOrderBy('event.id', 'DESC')
      // One more than allowed tells "too many" without a second count query.
      .take(cap + 1)
      .getMany();
    const overCap = events.length > cap;
    return { items: await this.entries(merchantId, events.slice(0, cap)), overCap };
  }

  /** The actions that appear in the merchant's log, for the action filter. */
  async actions(scope: MerchantScope): Promise<string[]> {
    const merchantId = merchantIdOf(scope);
    const rows = await this.merchantEvents(merchantId)
      .select('DISTINCT event.action', 'action')
      .getRawMany<{ action: string }>();
    return rows.map((row) => row.action).sort();
  }

  private filteredEvents(merchantId: number, filter: AccessLogFilter) {
    const query = this.merchantEvents(merchantId);
    if (filter.from !== undefined)
      query.andWhere('event.createdAt >= :from', { from: tokyoDayStart(filter.from) });
    if (filter.to !== undefined)
      query.andWhere('event.createdAt < :to', { to: tokyoDayEnd(filter.to) });
    if (filter.userId !== undefined)
      query.andWhere('event.actorId = :userId', { userId: filter.userId });
    if (filter.action !== undefined)
      query.andWhere('event.action = :action', { action: filter.action });
    return query;
  }

  private async entries(merchantId: number, events: AuditEvent[]): Promise<AccessLogEntry[]> {
    const actors = await this.actorsById(
      merchantId,
      events.map((event) => event.actorId).filter((id): id is number => id !== null),
    );
    return events.map((event): AccessLogEntry => ({
      id: event.id,
      action: event.action,
      actorId: event.actorId,
      actor: event.actorId === null ? null : (actors.get(event.actorId) ?? null),
      ticketReference: event.targetType === 'ticket' ? event.targetId : null,
      ip: event.ip,
      createdAt: event.createdAt,
    }));
  }

  /** The users who appear in the merchant's log, for the user filter (by name). */
  async actors(scope: MerchantScope): Promise<AccessLogActor[]> {
    const merchantId = merchantIdOf(scope);
    const rows = await this.merchantEvents(merchantId)
      .select('DISTINCT event.actorId', 'actorId')
      .getRawMany<{ actorId: number | string | null }>();
    const ids = rows.map((row) => Number(row.actorId)).filter((id) => Number.isInteger(id));
    const actors = [...(await this.actorsById(merchantId, ids)).values()];
    return actors.sort((a, b) => a.displayName.localeCompare(b.displayName, 'ja') || a.id - b.id);
  }

  /** Events a user caused on this merchant's data (end users and the system are not "access"). */
  private merchantEvents(merchantId: number): SelectQueryBuilder<AuditEvent> {
    return this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('event')
      .where('event.merchantId = :merchantId', { merchantId })
      .andWhere("event.actorType = 'user'")
      .andWhere('event.actorId IS NOT NULL');
  }

  /**
   * Names and roles by the users table's name: the audit lib sits below the auth lib and does not
   * import its entity. Only staff (no merchant) and this merchant's own users are looked up.
   */
  private async actorsById(
    merchantId: number,
    ids: readonly number[],
  ): Promise<Map<number, AccessLogActor>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder()
      .select(['u.id AS id', 'u.display_name AS displayName', 'u.role AS role'])
      .from('users', 'u')
      .where('u.id IN (:...ids)', { ids: unique })
      .andWhere('(u.merchant_id IS NULL OR u.merchant_id = :merchantId)', { merchantId })
      .getRawMany<{ id: number | string; displayName: string; role: string }>();
    return new Map(
      rows.map((row) => [
        Number(row.id),
        { id: Number(row.id), displayName: row.displayName, role: row.role },
      ]),
    );
  }
}

function merchantIdOf(scope: MerchantScope): number {
  // A missing tenant (or a staff scope cast through) must fail loudly, never widen the query
  // to every merchant.
  const merchantId = scope.kind === 'merchant' ? scope.merchantId : NaN;
  if (!Number.isInteger(merchantId) || merchantId <= 0)
    throw new Error('AccessLogService needs a merchant scope');
  return merchantId;
}

function assertFilter(filter: AccessLogFilter): void {
  const errors: { field: string; message: string }[] = [];
  if (filter.from !== undefined && !isTokyoDate(filter.from))
    errors.push({ field: 'from', message: '開始日を YYYY-MM-DD の形で入力してください。' });
  if (filter.to !== undefined && !isTokyoDate(filter.to))
    errors.push({ field: 'to', message: '終了日を YYYY-MM-DD の形で入力してください。' });
  if (errors.length === 0 && filter.from !== undefined && filter.to !== undefined) {
    if (filter.from > filter.to)
      errors.push({ field: 'to', message: '終了日は開始日以降の日付にしてください。' });
  }
  if (filter.userId !== undefined && (!Number.isInteger(filter.userId) || filter.userId <= 0))
    errors.push({ field: 'user', message: '利用者を一覧から選んでください。' });
  if (filter.action !== undefined && !ACTION_VALUES.includes(filter.action))
    errors.push({ field: 'action', message: '操作を一覧から選んでください。' });
  if (errors.length > 0) throw new ValidationFailedException(errors);
}
