import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  type FieldError,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { BusinessCalendar } from '../business-calendar';
import { CalendarClosure } from './calendar-closure.entity';
import { CalendarClosureLoader } from './calendar-closure.loader';

export interface ClosureInput {
  /** 'YYYY-MM-DD', a Tokyo date. */
  date: string;
  reason: string;
}

/** Who changes the calendar, for the audit trail. */
export interface ClosureActor {
  userId: number;
  ip: string | null;
}

export const CLOSURE_REASON_MAX_LENGTH = 200;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Admin closures of the business calendar (the calendar_closures table). After each change it
 * reloads this instance's BusinessCalendar at once; other instances pick the change up on their
 * loader's next refresh (60 s by default).
 */
@Injectable()
export class ClosureAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly calendar: BusinessCalendar,
    private readonly clock: Clock,
    // Absent when the app reads no closures from the database (then there is nothing to reload).
    @Optional()
    @Inject(CalendarClosureLoader)
    private readonly loader: CalendarClosureLoader | null,
  ) {}

  list(): Promise<CalendarClosure[]> {
    return this.dataSource.manager.find(CalendarClosure, { order: { date: 'ASC', id: 'ASC' } });
  }

  async add(input: ClosureInput, actor: ClosureActor): Promise<CalendarClosure> {
    const { date, reason } = this.validate(input);
    const closure = await runTransaction(this.dataSource, async (manager) => {
      if (await manager.existsBy(CalendarClosure, { date })) {
        throw new ValidationFailedException([
          { field: 'date', message: 'この日付は既に休業日として登録されています。' },
        ]);
      }
      const now = this.clock.now();
      const saved = await manager.save(
        manager.create(CalendarClosure, {
          date,
          reason,
          createdByUserId: actor.userId,
          createdAt: now,
        }),
      );
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.calendarClosureAdded,
          merchantId: null,
          target: { type: 'calendar_closure', id: saved.id },
          ip: actor.ip,
          detail: { date },
        },
        now,
      );
      return saved;
    });
    await this.reload();
    return closure;
  }

  async remove(id: number, actor: ClosureActor): Promise<void> {
    await runTransaction(this.dataSource, async (manager) => {
      const closure = await manager.findOneBy(CalendarClosure, { id });
      if (!closure) throw new NotFoundException('休業日が見つかりません。');
      await manager.delete(CalendarClosure, { id });
      await this.audit.record(manager, {
        actor: { type: 'user', id: actor.userId },
        action: AUDIT_ACTIONS.calendarClosureDeleted,
        merchantId: null,
        target: { type: 'calendar_closure', id },
        ip: actor.ip,
        detail: { date: closure.date },
      });
    });
    await this.reload();
  }

  private validate(input: ClosureInput): ClosureInput {
    const errors: FieldError[] = [];
    const date = input.date.trim();
    if (!DATE_PATTERN.test(date) || !isCalendarDate(this.calendar, date)) {
      errors.push({
        field: 'date',
        message: '日付は実在する日付を YYYY-MM-DD の形式で入力してください。',
      });
    }
    const reason = input.reason.trim();
    if (reason === '') errors.push({ field: 'reason', message: '理由を入力してください。' });
    else if (reason.length > CLOSURE_REASON_MAX_LENGTH) {
      errors.push({
        field: 'reason',
        message: `理由は${CLOSURE_REASON_MAX_LENGTH}文字以内で入力してください。`,
      });
    } else if (CONTROL.test(reason)) {
      errors.push({ field: 'reason', message: '理由に改行や制御文字は使えません。' });
    }
    if (errors.length > 0) throw new ValidationFailedException(errors);
    return { date, reason };
  }

  private async reload(): Promise<void> {
    if (!this.loader) return;
    // A timer read may already be in flight from before our commit, and refresh() joins it:
    // wait for that one, then read again so this instance surely sees the change.
    await this.loader.refresh();
    await this.loader.refresh();
  }
}

/** BusinessCalendar's own parser decides (it rejects 2026-02-30 and the like). */
function isCalendarDate(calendar: BusinessCalendar, date: string): boolean {
  try {
    calendar.closedReason(date);
    return true;
  } catch {
    return false;
  }
}
