import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import {
  isTokyoDate,
  tokyoDayEnd,
  tokyoDayStart,
  ValidationFailedException,
} from '@madoguchi/common';
import { AuditEvent } from '../audit-event.entity';
import type {
  AccessLogActor,
  AccessLogEntry,
  AccessLogFilter,
  AccessLogPage,
} from './access-log.type';

export const ACCESS_LOG_PAGE_SIZE = 50;

/**
 * A merchant's access log: what users (operator staff and the merchant's own users) did on the
 * merchant's data, read from the audit trail. The merchant id is a required argument and the
 * first condition of every query, so the log cannot be read without a tenant; users are looked
 * up only among staff and that merchant's users, so another merchant's users never appear.
 */
@Injectable()
export class AccessLogService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    merchantId: number,
    filter: AccessLogFilter = {},
    page = 1,
    pageSize = ACCESS_LOG_PAGE_SIZE,
  ): Promise<AccessLogPage> {
    assertMerchantId(merchantId);
    assertFilter(filter);
    const pageNumber = Math.max(Math.trunc(page) || 1, 1);
    const size = Math.min(Math.max(Math.trunc(pageSize) || 1, 1), 100);
    const query = this.merchantEvents(merchantId);
    if (filter.from !== undefined)
      query.andWhere('event.createdAt >= :from', { from: tokyoDayStart(filter.from) });
    if (filter.to !== undefined)
      query.andWhere('event.createdAt < :to', { to: tokyoDayEnd(filter.to) });
    if (filter.userId !== undefined)
      query.andWhere('event.actorId = :userId', { userId: filter.userId });
    const [events, total] = await query
      .orderBy('event.createdAt', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .skip((pageNumber - 1) * size)
      .take(size)
      .getManyAndCount();
    const actors = await this.actorsById(
      merchantId,
      events.map((event) => event.actorId).filter((id): id is number => id !== null),
    );
    const items = events.map((event): AccessLogEntry => ({
      id: event.id,
      action: event.action,
      actorId: event.actorId,
      actor: event.actorId === null ? null : (actors.get(event.actorId) ?? null),
      ticketReference: event.targetType === 'ticket' ? event.targetId : null,
      ip: event.ip,
      createdAt: event.createdAt,
    }));
    return { items, total, page: pageNumber, pageSize: size };
  }

  /** The users who appear in the merchant's log, for the user filter (by name). */
  async actors(merchantId: number): Promise<AccessLogActor[]> {
    assertMerchantId(merchantId);
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

function assertMerchantId(merchantId: number): void {
  // A missing tenant must fail loudly, never widen the query to every merchant.
  if (!Number.isInteger(merchantId) || merchantId <= 0)
    throw new Error('AccessLogService needs a merchant id');
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
  if (errors.length > 0) throw new ValidationFailedException(errors);
}
