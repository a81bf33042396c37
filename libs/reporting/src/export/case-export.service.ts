import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, MoreThanOrEqual } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent, AuditService } from '@madoguchi/audit';
import { User, verifyPassword } from '@madoguchi/auth';
import {
  Clock,
  DomainException,
  ErrorCode,
  resolveTokyoRange,
  runTransaction,
  tokyoDateOf,
  type TokyoDateRange,
  tokyoDateTimeText,
  tokyoDayEnd,
  tokyoDayStart,
  ValidationFailedException,
} from '@madoguchi/common';
import { Merchant, type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import {
  scopedTicketQuery,
  TICKET_CATEGORIES,
  TICKET_CHANNEL_LABELS,
  TICKET_PRIORITY_LABELS,
  TICKET_STATUS_LABELS,
  type Ticket,
} from '@madoguchi/tickets';
import { csvDocument } from './csv-writer.util';

/** At most this many cases in one file; a larger range is refused, not cut short. */
export const CASE_EXPORT_MAX_ROWS = 5000;
/** Successful exports per user per Tokyo day. */
export const CASE_EXPORT_DAILY_LIMIT = 5;
/** Wrong passwords per user per Tokyo day before the form stops checking them. */
export const CASE_EXPORT_DAILY_FAILED_LIMIT = 5;
export const CASE_EXPORT_MAX_DAYS = 366;
export const CASE_EXPORT_DEFAULT_DAYS = 30;

/**
 * The columns: no personal data (name, email, phone, order number, messages). The merchant
 * has those in its own systems; a file on a laptop is the likeliest leak, so it carries only
 * what the reference lets the merchant look up in the portal.
 */
export const CASE_EXPORT_HEADER = [
  '受付番号',
  '受付日時',
  '状態',
  '種別',
  '経路',
  '優先度',
  '初回返信日時',
  '解決日時',
] as const;

export interface CaseExportRequest {
  password: string;
  from?: string;
  to?: string;
}

export interface CaseExportFile extends TokyoDateRange {
  filename: string;
  /** The CSV text, BOM included; send as UTF-8. */
  content: string;
  rowCount: number;
}

export type CaseExportRow = Pick<
  Ticket,
  | 'reference'
  | 'createdAt'
  | 'status'
  | 'category'
  | 'channel'
  | 'priority'
  | 'firstRespondedAt'
  | 'resolvedAt'
>;

/**
 * CSV export of a merchant's cases: asks for the password again, bounded per file
 * ({@link CASE_EXPORT_MAX_ROWS}) and per day ({@link CASE_EXPORT_DAILY_LIMIT}, counted from the
 * audit trail so every instance sees the same count), audited with the range and row count.
 */
@Injectable()
export class CaseExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async export(
    scope: TenantScope,
    actor: TicketActor,
    request: CaseExportRequest,
    now = this.clock.now(),
  ): Promise<CaseExportFile> {
    if (scope.kind !== 'merchant')
      throw new DomainException(ErrorCode.Forbidden, 'エクスポートは加盟店の利用者専用です。');
    const manager = this.dataSource.manager;
    await this.assertWithinDailyLimits(manager, actor.userId, now);
    const range = resolveTokyoRange(
      request,
      { defaultDays: CASE_EXPORT_DEFAULT_DAYS, maxDays: CASE_EXPORT_MAX_DAYS },
      now,
    );
    if (request.password === '')
      throw new ValidationFailedException([
        { field: 'password', message: 'パスワードを入力してください。' },
      ]);
    const user = await manager.findOne(User, {
      select: { id: true, passwordHash: true },
      where: { id: actor.userId },
    });
    if (!user || !(await verifyPassword(user.passwordHash, request.password))) {
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.exportCasesFailed,
          merchantId: scope.merchantId,
          ip: actor.ip,
          detail: { reason: 'wrong_password', from: range.from, to: range.to },
        },
        now,
      );
      throw new ValidationFailedException([
        { field: 'password', message: 'パスワードが正しくありません。' },
      ]);
    }
    const rows = await scopedTicketQuery(manager, scope)
      .select([
        'ticket.id',
        'ticket.reference',
        'ticket.createdAt',
        'ticket.status',
        'ticket.category',
        'ticket.channel',
        'ticket.priority',
        'ticket.firstRespondedAt',
        'ticket.resolvedAt',
      ])
      .andWhere('ticket.createdAt >= :from', { from: tokyoDayStart(range.from) })
      .andWhere('ticket.createdAt < :to', { to: tokyoDayEnd(range.to) })
      .orderBy('ticket.createdAt', 'ASC')
      .addOrderBy('ticket.id', 'ASC')
      // One more than allowed tells "too many" without a second count query.
      .limit(CASE_EXPORT_MAX_ROWS + 1)
      .getMany();
    if (rows.length > CASE_EXPORT_MAX_ROWS) {
      throw new ValidationFailedException([
        {
          field: 'from',
          message: `この期間の案件は${CASE_EXPORT_MAX_ROWS}件を超えています。期間を短くして、分けてエクスポートしてください。`,
        },
      ]);
    }
    const merchant = await manager.findOneByOrFail(Merchant, { id: scope.merchantId });
    await runTransaction(this.dataSource, async (tx) => {
      // Counted again inside the transaction: a second tab does not slip past the limit.
      await this.assertWithinDailyLimits(tx, actor.userId, now);
      await this.audit
        .by(actor, tx, now)
        .record(
          AUDIT_ACTIONS.exportCases,
          { merchantId: scope.merchantId },
          { from: range.from, to: range.to, rows: rows.length },
        );
    });
    const code = merchant.code.replace(/[^A-Za-z0-9_-]/g, '_');
    return {
      ...range,
      filename: `madoguchi-cases-${code}-${range.from}-${range.to}.csv`,
      content: csvDocument(CASE_EXPORT_HEADER, rows.map(caseExportCells)),
      rowCount: rows.length,
    };
  }

  /** Today's (Tokyo) exports and wrong passwords of the user, from the audit trail. */
  private async assertWithinDailyLimits(
    manager: EntityManager,
    userId: number,
    now: Date,
  ): Promise<void> {
    const since = MoreThanOrEqual(tokyoDayStart(tokyoDateOf(now)));
    const base = { actorType: 'user' as const, actorId: userId, createdAt: since };
    const [done, failed] = await Promise.all([
      manager.countBy(AuditEvent, { ...base, action: AUDIT_ACTIONS.exportCases }),
      manager.countBy(AuditEvent, { ...base, action: AUDIT_ACTIONS.exportCasesFailed }),
    ]);
    if (done >= CASE_EXPORT_DAILY_LIMIT)
      throw new DomainException(
        ErrorCode.RateLimited,
        `エクスポートは1日${CASE_EXPORT_DAILY_LIMIT}回までです。明日以降にもう一度お試しください。`,
      );
    if (failed >= CASE_EXPORT_DAILY_FAILED_LIMIT)
      throw new DomainException(
        ErrorCode.RateLimited,
        'パスワードの誤りが続いたため、本日のエクスポートを停止しました。明日以降にもう一度お試しください。',
      );
  }
}

function dateTime(at: Date | null): string {
  return at ? tokyoDateTimeText(at) : '';
}

/** One case as CSV cells, with the same Japanese labels as the pages (TICKET_*_LABELS). */
export function caseExportCells(row: CaseExportRow): string[] {
  return [
    row.reference,
    tokyoDateTimeText(row.createdAt),
    TICKET_STATUS_LABELS[row.status] ?? row.status,
    TICKET_CATEGORIES[row.category] ?? row.category,
    TICKET_CHANNEL_LABELS[row.channel] ?? row.channel,
    TICKET_PRIORITY_LABELS[row.priority] ?? row.priority,
    dateTime(row.firstRespondedAt),
    dateTime(row.resolvedAt),
  ];
}
