import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { isIpAllowed } from '@madoguchi/auth';
import {
  Clock,
  type FieldError,
  type MerchantScope,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { Merchant, type TicketActor } from '@madoguchi/tenancy';
import { HAND_BACK_REMINDER_DAYS_MAX, HAND_BACK_REMINDER_DAYS_MIN } from '@madoguchi/tickets';
import { validateAllowedIpRanges, validateNotificationEmails } from './merchant-input.validator';

/** A merchant's own settings as its admin sees and edits them. */
export interface MerchantSettings {
  merchantId: number;
  merchantName: string;
  notificationEmails: string[];
  allowedIpRanges: string[];
  /** Business days after a hand-back before the one reminder (1–20, default 3). */
  handBackReminderDays: number;
}

/** The settings form as sent: lists as text, one item per line (commas and spaces work too). */
export interface MerchantSettingsInput {
  notificationEmails: string;
  allowedIpRanges: string;
  /** Whole business days as typed; absent keeps the current value. */
  handBackReminderDays?: string;
}

const MERCHANT_NOT_FOUND = '加盟店が見つかりません。';

/**
 * A merchant admin's own settings (the portal): notification addresses, allowed IP ranges and
 * the hand-back reminder's business days.
 * The merchant is the caller's merchant scope, never a form field. Validation is the operator form's
 * (merchant-input.validator), plus one rule of its own: the new ranges must still admit the
 * request making the change, or the admin would lock themselves (and their colleagues at the same
 * desk) out with one click.
 */
@Injectable()
export class MerchantSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(scope: MerchantScope): Promise<MerchantSettings> {
    const merchant = await this.dataSource.manager.findOneBy(Merchant, { id: scope.merchantId });
    if (!merchant) throw new NotFoundException(MERCHANT_NOT_FOUND);
    return settingsOf(merchant);
  }

  /** Validates both lists first; on any error nothing is stored. Audits the changed field names. */
  async update(
    scope: MerchantScope,
    input: MerchantSettingsInput,
    actor: TicketActor,
  ): Promise<MerchantSettings> {
    const { merchantId } = scope;
    const errors: FieldError[] = [];
    const notificationEmails = validateNotificationEmails(errors, input.notificationEmails);
    const allowedIpRanges = validateAllowedIpRanges(errors, input.allowedIpRanges);
    const handBackReminderDays = validateHandBackReminderDays(errors, input.handBackReminderDays);
    if (
      !errors.some((error) => error.field === 'allowedIpRanges') &&
      !isIpAllowed(actor.ip, allowedIpRanges)
    ) {
      errors.push({
        field: 'allowedIpRanges',
        message: `この内容では、いま操作している接続元（${actor.ip ?? '不明'}）からも利用できなくなるため保存しませんでした。この接続元を含む範囲を追加してください。`,
      });
    }
    if (errors.length > 0) throw new ValidationFailedException(errors);

    return runTransaction(this.dataSource, async (manager) => {
      const merchant = await manager.findOneBy(Merchant, { id: merchantId });
      if (!merchant) throw new NotFoundException(MERCHANT_NOT_FOUND);
      const changed: string[] = [];
      if (JSON.stringify(merchant.notificationEmails ?? []) !== JSON.stringify(notificationEmails))
        changed.push('notificationEmails');
      if (JSON.stringify(merchant.allowedIpRanges ?? []) !== JSON.stringify(allowedIpRanges))
        changed.push('allowedIpRanges');
      if (handBackReminderDays !== null && merchant.handBackReminderDays !== handBackReminderDays)
        changed.push('handBackReminderDays');
      if (changed.length === 0) return settingsOf(merchant);
      const now = this.clock.now();
      Object.assign(merchant, {
        notificationEmails,
        allowedIpRanges,
        handBackReminderDays: handBackReminderDays ?? merchant.handBackReminderDays,
        updatedAt: now,
      });
      await manager.save(merchant);
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.merchantSettingsUpdated,
          merchantId,
          target: { type: 'merchant', id: merchantId },
          ip: actor.ip,
          // Field names only: addresses and ranges are the merchant's business, not the log's.
          detail: { changed },
        },
        now,
      );
      return settingsOf(merchant);
    });
  }
}

function settingsOf(merchant: Merchant): MerchantSettings {
  return {
    merchantId: merchant.id,
    merchantName: merchant.name,
    notificationEmails: [...(merchant.notificationEmails ?? [])],
    allowedIpRanges: [...(merchant.allowedIpRanges ?? [])],
    handBackReminderDays: merchant.handBackReminderDays,
  };
}

/** A whole number of business days within the allowed range; absent (undefined) means unchanged. */
function validateHandBackReminderDays(
  errors: FieldError[],
  value: string | undefined,
): number | null {
  if (value === undefined) return null;
  const text = value
    .trim()
    .replace(/[０-９]/gu, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
  const days = /^\d{1,3}$/u.test(text) ? Number(text) : NaN;
  if (
    !Number.isInteger(days) ||
    days < HAND_BACK_REMINDER_DAYS_MIN ||
    days > HAND_BACK_REMINDER_DAYS_MAX
  ) {
    errors.push({
      field: 'handBackReminderDays',
      message: `${HAND_BACK_REMINDER_DAYS_MIN}〜${HAND_BACK_REMINDER_DAYS_MAX}の整数（営業日数）を入力してください。`,
    });
    return null;
  }
  return days;
}
