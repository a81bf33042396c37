import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { isIpAllowed } from '@madoguchi/auth';
import {
  type FieldError,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { Merchant } from '@madoguchi/tenancy';
import type { TicketActor } from '../scope/ticket-scope';
import { validateAllowedIpRanges, validateNotificationEmails } from './merchant-input.validator';

/** A merchant's own settings as its admin sees and edits them. */
export interface MerchantSettings {
  merchantId: number;
  merchantName: string;
  notificationEmails: string[];
  allowedIpRanges: string[];
}

/** The settings form as sent: lists as text, one item per line (commas and spaces work too). */
export interface MerchantSettingsInput {
  notificationEmails: string;
  allowedIpRanges: string;
}

const MERCHANT_NOT_FOUND = '加盟店が見つかりません。';

/**
 * A merchant admin's own settings (the portal): notification addresses and allowed IP ranges.
 * The merchant id is the caller's scope, never a form field. Validation is the operator form's
 * (merchant-input.validator), plus one rule of its own: the new ranges must still admit the
 * request making the change, or the admin would lock themselves (and their colleagues at the same
 * desk) out with one click.
 */
@Injectable()
export class MerchantSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(merchantId: number): Promise<MerchantSettings> {
    const merchant = await this.dataSource.manager.findOneBy(Merchant, { id: merchantId });
    if (!merchant) throw new NotFoundException(MERCHANT_NOT_FOUND);
    return settingsOf(merchant);
  }

  /** Validates both lists first; on any error nothing is stored. Audits the changed field names. */
  async update(
    merchantId: number,
    input: MerchantSettingsInput,
    actor: TicketActor,
  ): Promise<MerchantSettings> {
    const errors: FieldError[] = [];
    const notificationEmails = validateNotificationEmails(errors, input.notificationEmails);
    const allowedIpRanges = validateAllowedIpRanges(errors, input.allowedIpRanges);
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
      if (changed.length === 0) return settingsOf(merchant);
      const now = new Date();
      Object.assign(merchant, { notificationEmails, allowedIpRanges, updatedAt: now });
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
  };
}
