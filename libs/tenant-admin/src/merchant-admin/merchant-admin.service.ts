import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, Not } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { AppConfig } from '@madoguchi/config';
import {
  Clock,
  type FieldError,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { Merchant, Site, Queue, type TicketActor } from '@madoguchi/tenancy';
import { ACTIVE_TICKET_STATUSES, Ticket } from '@madoguchi/tickets';
import {
  inboundAliasForDomain,
  type MerchantInput,
  type MerchantValues,
  type SiteInput,
  type SiteValues,
  validateMerchantInput,
  validateSiteInput,
} from './merchant-input.validator';

export interface MerchantSummary {
  merchant: Merchant;
  sites: Site[];
  activeTicketCount: number;
  ticketCount: number;
}

export interface MerchantDetail {
  merchant: Merchant;
  sites: Site[];
}

const MERCHANT_NOT_FOUND = '加盟店が見つかりません。';
const SITE_NOT_FOUND = 'サイトが見つかりません。';

/**
 * The operator's administration of merchants and their sites (permission admin.manage in the
 * desk). It lives in the tickets lib, not tenancy, because a new merchant needs its default
 * Queue and tickets already depends on tenancy. Every write validates all fields first, stores
 * nothing on an error, and audits in the same transaction. The intake reads sites per request,
 * so a change is live at once.
 */
@Injectable()
export class MerchantAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Every merchant by code, with its sites and ticket counts. */
  async list(): Promise<MerchantSummary[]> {
    const manager = this.dataSource.manager;
    const merchants = await manager.find(Merchant, { order: { code: 'ASC' } });
    const sites = await manager.find(Site, { order: { slug: 'ASC' } });
    const counts = await manager
      .createQueryBuilder(Ticket, 'ticket')
      .select('ticket.merchantId', 'merchantId')
      .addSelect('COUNT(*)', 'total')
      .addSelect(`SUM(CASE WHEN ticket.status IN (:...active) THEN 1 ELSE 0 END)`, 'active')
      .setParameter('active', [...ACTIVE_TICKET_STATUSES])
      .groupBy('ticket.merchantId')
      .getRawMany<{
        merchantId: number | string;
        total: number | string;
        active: number | string | null;
      }>();
    const countOf = new Map(counts.map((row) => [Number(row.merchantId), row]));
    return merchants.map((merchant) => {
      const count = countOf.get(merchant.id);
      return {
        merchant,
        sites: sites.filter((site) => site.merchantId === merchant.id),
        ticketCount: Number(count?.total ?? 0),
        activeTicketCount: Number(count?.active ?? 0),
      };
    });
  }

  async detail(merchantId: number): Promise<MerchantDetail> {
    const manager = this.dataSource.manager;
    const merchant = await manager.findOneBy(Merchant, { id: merchantId });
    if (!merchant) throw new NotFoundException(MERCHANT_NOT_FOUND);
    const sites = await manager.find(Site, { where: { merchantId }, order: { slug: 'ASC' } });
    return { merchant, sites };
  }

  async site(siteId: number): Promise<Site> {
    const site = await this.dataSource.manager.findOne(Site, {
      where: { id: siteId },
      relations: { merchant: true },
    });
    if (!site) throw new NotFoundException(SITE_NOT_FOUND);
    return site;
  }

  /** A new merchant and its default queue (where its web inquiries land). */
  async createMerchant(input: MerchantInput, actor: TicketActor): Promise<Merchant> {
    const values = this.merchantValues(input);
    return runTransaction(this.dataSource, async (manager) => {
      await this.assertMerchantCodeFree(manager, values.code, null);
      const now = this.clock.now();
      const merchant = await manager.save(
        manager.create(Merchant, { ...values, createdAt: now, updatedAt: now }),
      );
      const queue = await manager.save(
        manager.create(Queue, {
          merchantId: merchant.id,
          name: `${merchant.name} 受付`,
          isDefault: true,
          createdAt: now,
        }),
      );
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.merchantCreated,
          merchantId: merchant.id,
          target: { type: 'merchant', id: merchant.id },
          ip: actor.ip,
          detail: { code: merchant.code, defaultQueueId: queue.id },
        },
        now,
      );
      return merchant;
    });
  }

  async updateMerchant(
    merchantId: number,
    input: MerchantInput,
    actor: TicketActor,
  ): Promise<Merchant> {
    const values = this.merchantValues(input);
    return runTransaction(this.dataSource, async (manager) => {
      const merchant = await manager.findOneBy(Merchant, { id: merchantId });
      if (!merchant) throw new NotFoundException(MERCHANT_NOT_FOUND);
      await this.assertMerchantCodeFree(manager, values.code, merchantId);
      const changed = changedFields(merchant, values);
      const now = this.clock.now();
      Object.assign(merchant, values, { updatedAt: now });
      await manager.save(merchant);
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.merchantUpdated,
          merchantId,
          target: { type: 'merchant', id: merchantId },
          ip: actor.ip,
          detail: { changed },
        },
        now,
      );
      return merchant;
    });
  }

  async createSite(merchantId: number, input: SiteInput, actor: TicketActor): Promise<Site> {
    const values = this.siteValues(input);
    return runTransaction(this.dataSource, async (manager) => {
      if (!(await manager.existsBy(Merchant, { id: merchantId }))) {
        throw new NotFoundException(MERCHANT_NOT_FOUND);
      }
      await this.assertSiteKeysFree(manager, values, null);
      const now = this.clock.now();
      const site = await manager.save(
        manager.create(Site, { ...values, merchantId, createdAt: now, updatedAt: now }),
      );
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.siteCreated,
          merchantId,
          target: { type: 'site', id: site.id },
          ip: actor.ip,
          detail: { slug: site.slug, intakeOpen: site.intakeOpen },
        },
        now,
      );
      return site;
    });
  }

  async updateSite(siteId: number, input: SiteInput, actor: TicketActor): Promise<Site> {
    const values = this.siteValues(input);
    return runTransaction(this.dataSource, async (manager) => {
      const site = await manager.findOneBy(Site, { id: siteId });
      if (!site) throw new NotFoundException(SITE_NOT_FOUND);
      await this.assertSiteKeysFree(manager, values, siteId);
      const changed = changedFields(site, values);
      const now = this.clock.now();
      Object.assign(site, values, { updatedAt: now });
      await manager.save(site);
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.siteUpdated,
          merchantId: site.merchantId,
          target: { type: 'site', id: site.id },
          ip: actor.ip,
          detail: { changed, intakeOpen: site.intakeOpen },
        },
        now,
      );
      return site;
    });
  }

  private merchantValues(input: MerchantInput): MerchantValues {
    const result = validateMerchantInput(input);
    if (!result.values) throw new ValidationFailedException(result.errors);
    return result.values;
  }

  private siteValues(input: SiteInput): SiteValues {
    const result = validateSiteInput(input);
    if (!result.values) throw new ValidationFailedException(result.errors);
    const values = result.values;
    if (values.inboundAlias) {
      const errors: FieldError[] = [];
      values.inboundAlias = inboundAliasForDomain(
        errors,
        values.inboundAlias,
        this.config.inboundMail.domain,
      );
      if (errors.length > 0) throw new ValidationFailedException(errors);
    }
    return values;
  }

  // Checked inside the transaction; the unique indexes still stop a race between two admins.
  private async assertMerchantCodeFree(
    manager: EntityManager,
    code: string,
    exceptId: number | null,
  ): Promise<void> {
    const taken = await manager.existsBy(Merchant, {
      code,
      ...(exceptId === null ? {} : { id: Not(exceptId) }),
    });
    if (taken) {
      throw new ValidationFailedException([
        { field: 'code', message: 'この加盟店コードは既に使われています。' },
      ]);
    }
  }

  private async assertSiteKeysFree(
    manager: EntityManager,
    values: SiteValues,
    exceptId: number | null,
  ): Promise<void> {
    const others = exceptId === null ? {} : { id: Not(exceptId) };
    const errors: FieldError[] = [];
    if (await manager.existsBy(Site, { slug: values.slug, ...others })) {
      errors.push({ field: 'slug', message: 'このスラッグは既に使われています。' });
    }
    if (
      values.phoneCode !== null &&
      (await manager.existsBy(Site, { phoneCode: values.phoneCode, ...others }))
    ) {
      errors.push({ field: 'phoneCode', message: 'この電話コードは既に使われています。' });
    }
    // `<slug>@` and an alias without a domain are the same kind of address: neither may name two sites.
    if (await manager.existsBy(Site, { inboundAlias: values.slug, ...others })) {
      errors.push({
        field: 'slug',
        message:
          'このスラッグの受信用アドレスは、他のサイトの受信用メールアドレス（別名）として使われています。',
      });
    }
    const alias = values.inboundAlias;
    if (alias && (await manager.existsBy(Site, { inboundAlias: alias, ...others }))) {
      errors.push({
        field: 'inboundAlias',
        message: 'この受信用メールアドレス（別名）は既に他のサイトで使われています。',
      });
    } else if (alias && (await manager.existsBy(Site, { slug: alias, ...others }))) {
      errors.push({
        field: 'inboundAlias',
        message: `この別名は他のサイトのスラッグの受信用アドレス（${alias}@${this.config.inboundMail.domain}）と同じです。`,
      });
    }
    if (errors.length > 0) throw new ValidationFailedException(errors);
  }
}

/** Names of the fields whose value changes (for the audit trail; never the values themselves). */
function changedFields<T extends object>(current: T, next: Partial<T>): string[] {
  return Object.entries(next)
    .filter(([key, value]) => {
      const before: unknown = current[key as keyof T];
      if (before instanceof Date || value instanceof Date) {
        return (before as Date | null)?.getTime() !== (value as Date | null)?.getTime();
      }
      return JSON.stringify(before) !== JSON.stringify(value);
    })
    .map(([key]) => key);
}
