import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  type FieldError,
  isTokyoDate,
  tokyoDayStart,
  ValidationFailedException,
} from '@madoguchi/common';
import { AUDIT_ACTIONS } from '../audit-action.constant';
import { type AuditActorType, AuditEvent } from '../audit-event.entity';

export const AUDIT_TRAIL_PAGE_SIZE = 50;

/** Filters of the audit trail, as typed by the user (all optional; empty strings ignored). */
export interface AuditTrailFilter {
  /** Tokyo calendar dates YYYY-MM-DD, `to` inclusive. */
  from?: string;
  to?: string;
  /** One of AUDIT_ACTIONS. */
  action?: string;
  actorId?: string;
  merchantId?: string;
  /** The target's id, e.g. a ticket reference. */
  target?: string;
}

export interface AuditTrailEntry {
  id: number;
  createdAt: Date;
  actorType: AuditActorType;
  actorId: number | null;
  action: string;
  merchantId: number | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  /** The stored JSON text, as is (never personal values). */
  detail: string | null;
}

export interface AuditTrailPage {
  items: AuditTrailEntry[];
  total: number;
  page: number;
  pageSize: number;
}

const ACTION_VALUES: readonly string[] = Object.values(AUDIT_ACTIONS);
const ID = /^\d{1,9}$/;
const MAX_TARGET_LENGTH = 64;

/**
 * Reads the audit trail for the operator: newest first, 50 a page, filtered by date range,
 * action, actor, merchant and target. Names (users, merchants) are not joined here: the audit
 * lib stays below auth and tenancy (auth already records into it), so callers add labels.
 */
@Injectable()
export class AuditTrailService {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: AuditTrailFilter, page: number): Promise<AuditTrailPage> {
    const pageNumber = Number.isInteger(page) && page > 0 ? page : 1;
    const query = this.filtered(filter);
    const total = await query.clone().getCount();
    const rows = await query
      .orderBy('event.createdAt', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .offset((pageNumber - 1) * AUDIT_TRAIL_PAGE_SIZE)
      .limit(AUDIT_TRAIL_PAGE_SIZE)
      .getMany();
    return { items: rows.map(toEntry), total, page: pageNumber, pageSize: AUDIT_TRAIL_PAGE_SIZE };
  }

  /**
   * The filtered trail for a CSV export, newest first: at most `cap` entries, and `overCap` when
   * there were more (the caller refuses rather than cut the file short). 400 for a bad filter.
   */
  async listForExport(
    filter: AuditTrailFilter,
    cap: number,
  ): Promise<{ items: AuditTrailEntry[]; overCap: boolean }> {
    const rows = await this.filtered(filter)
      .orderBy('event.createdAt', 'DESC')
      .addOrderBy('event.id', 'DESC')
      .limit(cap + 1)
      .getMany();
    return { items: rows.slice(0, cap).map(toEntry), overCap: rows.length > cap };
  }

  private filtered(filter: AuditTrailFilter) {
    const checked = checkFilter(filter);
    const query = this.dataSource.manager.getRepository(AuditEvent).createQueryBuilder('event');
    if (checked.from) query.andWhere('event.createdAt >= :from', { from: checked.from });
    if (checked.to) query.andWhere('event.createdAt < :to', { to: checked.to });
    if (checked.action) query.andWhere('event.action = :action', { action: checked.action });
    if (checked.actorId !== undefined)
      query
        .andWhere('event.actorType = :actorType', { actorType: 'user' })
        .andWhere('event.actorId = :actorId', { actorId: checked.actorId });
    if (checked.merchantId !== undefined)
      query.andWhere('event.merchantId = :merchantId', { merchantId: checked.merchantId });
    if (checked.target) query.andWhere('event.targetId = :target', { target: checked.target });
    return query;
  }
}

function toEntry(row: AuditEvent): AuditTrailEntry {
  return {
    id: row.id,
    createdAt: row.createdAt,
    actorType: row.actorType,
    actorId: row.actorId,
    action: row.action,
    merchantId: row.merchantId,
    targetType: row.targetType,
    targetId: row.targetId,
    ip: row.ip,
    detail: row.detail,
  };
}

interface CheckedFilter {
  from?: Date;
  to?: Date;
  action?: string;
  actorId?: number;
  merchantId?: number;
  target?: string;
}

/** Every field checked at once, so the form can mark each bad one (400 with field errors). */
function checkFilter(filter: AuditTrailFilter): CheckedFilter {
  const errors: FieldError[] = [];
  const checked: CheckedFilter = {};
  const text = (value: string | undefined) => (value ?? '').trim();
  const from = text(filter.from);
  const to = text(filter.to);
  if (from && !isTokyoDate(from))
    errors.push({ field: 'from', message: '日付は YYYY-MM-DD で指定してください。' });
  else if (from) checked.from = tokyoDayStart(from);
  if (to && !isTokyoDate(to))
    errors.push({ field: 'to', message: '日付は YYYY-MM-DD で指定してください。' });
  else if (to) checked.to = new Date(tokyoDayStart(to).getTime() + 86_400_000);
  if (checked.from && checked.to && checked.from >= checked.to)
    errors.push({ field: 'to', message: '終了日は開始日以降の日付にしてください。' });
  const action = text(filter.action);
  if (action && !ACTION_VALUES.includes(action))
    errors.push({ field: 'action', message: '一覧にある操作を選んでください。' });
  else if (action) checked.action = action;
  for (const field of ['actorId', 'merchantId'] as const) {
    const value = text(filter[field]);
    if (value && (!ID.test(value) || Number(value) < 1))
      errors.push({ field, message: '1以上の整数で指定してください。' });
    else if (value) checked[field] = Number(value);
  }
  const target = text(filter.target);
  if (target.length > MAX_TARGET_LENGTH)
    errors.push({ field: 'target', message: `${MAX_TARGET_LENGTH}文字以内で入力してください。` });
  else if (target) checked.target = target;
  if (errors.length > 0) throw new ValidationFailedException(errors);
  return checked;
}
