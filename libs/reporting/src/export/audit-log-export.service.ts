import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, MoreThanOrEqual } from 'typeorm';
import {
  AccessLogService,
  type AccessLogFilter,
  AUDIT_ACTIONS,
  AuditEvent,
  AuditService,
  AuditTrailService,
  type AuditTrailFilter,
} from '@madoguchi/audit';
import { User, verifyPassword } from '@madoguchi/auth';
import {
  Clock,
  DomainException,
  ErrorCode,
  type MerchantScope,
  runTransaction,
  tokyoDateOf,
  tokyoDateTimeText,
  tokyoDayStart,
  ValidationFailedException,
} from '@madoguchi/common';
import { Merchant, type TicketActor } from '@madoguchi/tenancy';
import { csvDocument } from './csv-writer.util';

/** At most this many lines in one file; a larger selection is refused (narrow the filters). */
export const AUDIT_LOG_EXPORT_MAX_ROWS = 10_000;
/** Successful exports per user per Tokyo day (access log and audit trail together). */
export const AUDIT_LOG_EXPORT_DAILY_LIMIT = 10;
/** Wrong passwords per user per Tokyo day before the form stops checking them. */
export const AUDIT_LOG_EXPORT_DAILY_FAILED_LIMIT = 5;

/** Labels come from the app (its language files); the service stays language-free. */
export interface AuditLogExportLabels {
  action(action: string): string;
  role(role: string): string;
  actorType(type: string): string;
}

export interface AuditLogExportFile {
  filename: string;
  /** The CSV text, BOM included; send as UTF-8. */
  content: string;
  rowCount: number;
}

export const ACCESS_LOG_EXPORT_HEADER = [
  '日時',
  '利用者',
  '役割',
  '操作',
  '操作コード',
  '案件',
  'IPアドレス',
] as const;

export const AUDIT_TRAIL_EXPORT_HEADER = [
  '日時',
  '操作者の種類',
  '操作者ID',
  '操作者',
  '操作',
  '操作コード',
  '加盟店',
  '対象の種類',
  '対象',
  'IPアドレス',
  '詳細',
] as const;

/**
 * CSV export of the merchant's access log and of the operator's audit trail (issue 13.8): the
 * password again (as the case export), the page's filters, at most
 * {@link AUDIT_LOG_EXPORT_MAX_ROWS} lines (more is refused, never cut short), a daily limit per
 * user counted from the audit trail, and an `audit_log.exported` event (filters and row count)
 * committed before the file is sent. A merchant's export reads through AccessLogService, whose
 * every query starts with the merchant id from the session's scope.
 */
@Injectable()
export class AuditLogExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly accessLog: AccessLogService,
    private readonly trail: AuditTrailService,
    private readonly clock: Clock,
  ) {}

  async exportAccessLog(
    scope: MerchantScope,
    actor: TicketActor,
    request: { password: string; filter: AccessLogFilter },
    labels: AuditLogExportLabels,
    now = this.clock.now(),
  ): Promise<AuditLogExportFile> {
    if (scope.kind !== 'merchant')
      throw new DomainException(ErrorCode.Forbidden, 'アクセス履歴は加盟店の利用者専用です。');
    const detail = { scope: 'access_log', ...definedOf(request.filter) };
    await this.checkPassword(actor, request.password, scope.merchantId, detail, now);
    const { items, overCap } = await this.accessLog.listForExport(
      scope,
      request.filter,
      AUDIT_LOG_EXPORT_MAX_ROWS,
    );
    if (overCap) throw tooMany();
    await this.recordExport(actor, scope.merchantId, { ...detail, rows: items.length }, now);
    const merchant = await this.dataSource.manager.findOneByOrFail(Merchant, {
      id: scope.merchantId,
    });
    const rows = items.map((entry) => [
      tokyoDateTimeText(entry.createdAt),
      entry.actor?.displayName ?? '',
      entry.actor ? labels.role(entry.actor.role) : '',
      labels.action(entry.action),
      entry.action,
      entry.ticketReference ?? '',
      entry.ip ?? '',
    ]);
    return {
      filename: `madoguchi-access-log-${safeCode(merchant.code)}-${stamp(now)}.csv`,
      content: csvDocument(ACCESS_LOG_EXPORT_HEADER, rows),
      rowCount: rows.length,
    };
  }

  async exportAuditTrail(
    actor: TicketActor,
    request: { password: string; filter: AuditTrailFilter },
    labels: AuditLogExportLabels,
    now = this.clock.now(),
  ): Promise<AuditLogExportFile> {
    const filter = definedOf(request.filter);
    const merchantId = /^\d{1,9}$/.test(filter.merchantId ?? '') ? Number(filter.merchantId) : null;
    const detail = { scope: 'audit_trail', ...filter };
    await this.checkPassword(actor, request.password, merchantId, detail, now);
    const { items, overCap } = await this.trail.listForExport(
      request.filter,
      AUDIT_LOG_EXPORT_MAX_ROWS,
    );
    if (overCap) throw tooMany();
    await this.recordExport(actor, merchantId, { ...detail, rows: items.length }, now);
    const manager = this.dataSource.manager;
    const userIds = [
      ...new Set(
        items.flatMap((e) => (e.actorType === 'user' && e.actorId !== null ? [e.actorId] : [])),
      ),
    ];
    const merchantIds = [
      ...new Set(items.flatMap((e) => (e.merchantId !== null ? [e.merchantId] : []))),
    ];
    const [users, merchants] = await Promise.all([
      userIds.length
        ? manager.find(User, {
            select: { id: true, displayName: true },
            where: { id: In(userIds) },
          })
        : [],
      merchantIds.length
        ? manager.find(Merchant, {
            select: { id: true, name: true },
            where: { id: In(merchantIds) },
          })
        : [],
    ]);
    const userNames = new Map(users.map((u) => [u.id, u.displayName]));
    const merchantNames = new Map(merchants.map((m) => [m.id, m.name]));
    const rows = items.map((entry) => [
      tokyoDateTimeText(entry.createdAt),
      labels.actorType(entry.actorType),
      entry.actorId,
      entry.actorId === null ? '' : (userNames.get(entry.actorId) ?? ''),
      labels.action(entry.action),
      entry.action,
      entry.merchantId === null
        ? ''
        : (merchantNames.get(entry.merchantId) ?? `#${entry.merchantId}`),
      entry.targetType ?? '',
      entry.targetId ?? '',
      entry.ip ?? '',
      entry.detail ?? '',
    ]);
    return {
      filename: `madoguchi-audit-log-${stamp(now)}.csv`,
      content: csvDocument(AUDIT_TRAIL_EXPORT_HEADER, rows),
      rowCount: rows.length,
    };
  }

  /** Limits first, then the password (a wrong one is audited and counted). */
  private async checkPassword(
    actor: TicketActor,
    password: string,
    merchantId: number | null,
    detail: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    const manager = this.dataSource.manager;
    await this.assertWithinDailyLimits(manager, actor.userId, now);
    if (password === '')
      throw new ValidationFailedException([
        { field: 'password', message: 'パスワードを入力してください。' },
      ]);
    const user = await manager.findOne(User, {
      select: { id: true, passwordHash: true },
      where: { id: actor.userId },
    });
    if (!user || !(await verifyPassword(user.passwordHash, password))) {
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.auditLogExportFailed,
          merchantId,
          ip: actor.ip,
          detail: { ...detail, reason: 'wrong_password' },
        },
        now,
      );
      throw new ValidationFailedException([
        { field: 'password', message: 'パスワードが正しくありません。' },
      ]);
    }
  }

  private async recordExport(
    actor: TicketActor,
    merchantId: number | null,
    detail: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    await runTransaction(this.dataSource, async (tx) => {
      // Counted again inside the transaction: a second tab does not slip past the limit.
      await this.assertWithinDailyLimits(tx, actor.userId, now);
      await this.audit
        .by(actor, tx, now)
        .record(AUDIT_ACTIONS.auditLogExported, { merchantId }, detail);
    });
  }

  private async assertWithinDailyLimits(
    manager: EntityManager,
    userId: number,
    now: Date,
  ): Promise<void> {
    const since = MoreThanOrEqual(tokyoDayStart(tokyoDateOf(now)));
    const base = { actorType: 'user' as const, actorId: userId, createdAt: since };
    const [done, failed] = await Promise.all([
      manager.countBy(AuditEvent, { ...base, action: AUDIT_ACTIONS.auditLogExported }),
      manager.countBy(AuditEvent, { ...base, action: AUDIT_ACTIONS.auditLogExportFailed }),
    ]);
    if (done >= AUDIT_LOG_EXPORT_DAILY_LIMIT)
      throw new DomainException(
        ErrorCode.RateLimited,
        `ログのエクスポートは1日${AUDIT_LOG_EXPORT_DAILY_LIMIT}回までです。明日以降にもう一度お試しください。`,
      );
    if (failed >= AUDIT_LOG_EXPORT_DAILY_FAILED_LIMIT)
      throw new DomainException(
        ErrorCode.RateLimited,
        'パスワードの誤りが続いたため、本日のエクスポートを停止しました。明日以降にもう一度お試しください。',
      );
  }
}

function tooMany(): ValidationFailedException {
  return new ValidationFailedException([
    {
      field: 'from',
      message: `条件に合う記録が${AUDIT_LOG_EXPORT_MAX_ROWS.toLocaleString('ja-JP')}件を超えています。期間や操作で絞り込んで、分けてダウンロードしてください。`,
    },
  ]);
}

/** The filter's set fields only, as strings (the audit detail: never personal values). */
function definedOf<T extends object>(filter: T): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter))
    if (value !== undefined && value !== null && value !== '') out[key] = String(value);
  return out;
}

function safeCode(code: string): string {
  return code.replace(/[^A-Za-z0-9_-]/g, '_');
}

function stamp(now: Date): string {
  return tokyoDateOf(now);
}
