import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { BusinessCalendar } from '@madoguchi/calendar';
import {
  Clock,
  isUniqueViolation,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
  type FieldError,
} from '@madoguchi/common';
import { assertStaffScope, Merchant, type TenantScope, type TicketActor } from '@madoguchi/tenancy';
import { SLA_TARGET_HOURS } from '../sla/sla-policy.constant';
import { DEFAULT_TICKET_PRIORITY } from '../rules/rule.constant';
import {
  isTicketCategory,
  isTicketPriority,
  type TicketCategory,
  type TicketPriority,
} from '../ticket/ticket.constant';
import { SlaPolicy } from './sla-policy.entity';

export interface SlaPolicyKey {
  merchantId: number;
  priority: TicketPriority;
  category: TicketCategory;
}

/** The targets that apply to a ticket, in business minutes, and where they came from. */
export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  /** `category`: the category's own policy; `priority`: the merchant × priority one; `default`: none. */
  source: 'category' | 'priority' | 'default';
}

export interface SlaDues {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** A policy as the supervisor page and the API show it. */
export interface SlaPolicyView {
  id: number;
  merchantId: number;
  merchantName: string;
  priority: TicketPriority;
  /** null: every category. */
  category: TicketCategory | null;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  updatedAt: Date;
}

/** What a supervisor sets; unchecked input from a form or the API. */
export interface SlaPolicyInput {
  merchantId: unknown;
  priority: unknown;
  /** '' or absent: every category. */
  category?: unknown;
  firstResponseMinutes: unknown;
  resolutionMinutes: unknown;
}

/** The longest target a policy may set: 60 business days of 8 hours. */
export const SLA_POLICY_MAX_MINUTES = 60 * 8 * 60;

/** Without a policy: the desk's targets (8 h / 40 h of business time). */
export const DEFAULT_SLA_TARGETS: SlaTargets = {
  firstResponseMinutes: SLA_TARGET_HOURS.firstResponse * 60,
  resolutionMinutes: SLA_TARGET_HOURS.resolution * 60,
  source: 'default',
};

/**
 * THE lookup of a ticket's SLA targets: the merchant's policy for the priority and category wins,
 * else its policy for the priority (every category), else the desk's default. One indexed query
 * in the caller's transaction; used at a ticket's birth, on a priority or category change, and
 * for the shopper's expected answer (the default priority).
 */
@Injectable()
export class SlaPolicyService {
  constructor(
    private readonly calendar: BusinessCalendar,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Every policy, by merchant, priority (urgent first) and category (general first). Staff only. */
  async list(scope: TenantScope): Promise<SlaPolicyView[]> {
    assertStaffScope(scope);
    const rows = await this.dataSource
      .getRepository(SlaPolicy)
      .createQueryBuilder('policy')
      .innerJoin('policy.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .orderBy('merchant.name', 'ASC')
      .addOrderBy('policy.merchantId', 'ASC')
      .addOrderBy('policy.priority', 'ASC')
      .addOrderBy('policy.category', 'ASC')
      .getMany();
    const rank: Record<TicketPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };
    return rows
      .map((row) => viewOf(row))
      .sort(
        (a, b) =>
          a.merchantName.localeCompare(b.merchantName, 'ja') ||
          a.merchantId - b.merchantId ||
          rank[a.priority] - rank[b.priority] ||
          (a.category ?? '').localeCompare(b.category ?? ''),
      );
  }

  /**
   * Creates or replaces the policy of a merchant × priority × category (audited
   * `sla_policy.saved`). Tickets already open keep their due times until their priority or
   * category changes; new tickets get the new targets.
   */
  async save(
    scope: TenantScope,
    input: SlaPolicyInput,
    actor: TicketActor,
  ): Promise<SlaPolicyView> {
    assertStaffScope(scope);
    const valid = validatePolicyInput(input);
    const now = this.clock.now();
    try {
      const id = await runTransaction(this.dataSource, async (manager) => {
        const merchant = await manager.getRepository(Merchant).findOneBy({ id: valid.merchantId });
        if (!merchant) {
          throw new ValidationFailedException([
            { field: 'merchantId', message: '加盟店を選んでください。' },
          ]);
        }
        const repository = manager.getRepository(SlaPolicy);
        const existing = await repository.findOneBy({
          merchantId: valid.merchantId,
          priority: valid.priority,
          category: valid.category,
        });
        const previous = existing
          ? {
              firstResponseMinutes: existing.firstResponseMinutes,
              resolutionMinutes: existing.resolutionMinutes,
            }
          : null;
        const saved = await repository.save({
          ...(existing ?? {}),
          ...valid,
          updatedByUserId: actor.userId,
          updatedAt: now,
        });
        await this.audit.record(
          manager,
          {
            actor: { type: 'user', id: actor.userId },
            action: AUDIT_ACTIONS.slaPolicySaved,
            merchantId: valid.merchantId,
            target: { type: 'sla_policy', id: saved.id },
            ip: actor.ip,
            detail: {
              priority: valid.priority,
              category: valid.category || null,
              firstResponseMinutes: valid.firstResponseMinutes,
              resolutionMinutes: valid.resolutionMinutes,
              previous,
            },
          },
          now,
        );
        return saved.id;
      });
      return await this.one(id);
    } catch (error) {
      // Two supervisors created the same policy at once: the second one is told to reload.
      if (isUniqueViolation(error)) {
        throw new ValidationFailedException([
          {
            field: 'priority',
            message: 'この条件の目標は今ほかの人が作成しました。画面を読み込み直してください。',
          },
        ]);
      }
      throw error;
    }
  }

  /** Deletes a policy (audited `sla_policy.deleted`); its tickets fall back to the next policy. */
  async remove(scope: TenantScope, id: number, actor: TicketActor): Promise<void> {
    assertStaffScope(scope);
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const policy = Number.isInteger(id)
        ? await manager.getRepository(SlaPolicy).findOneBy({ id })
        : null;
      if (!policy) throw new NotFoundException('SLA目標が見つかりません。');
      await manager.getRepository(SlaPolicy).delete({ id });
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.slaPolicyDeleted,
          merchantId: policy.merchantId,
          target: { type: 'sla_policy', id },
          ip: actor.ip,
          detail: {
            priority: policy.priority,
            category: policy.category || null,
            firstResponseMinutes: policy.firstResponseMinutes,
            resolutionMinutes: policy.resolutionMinutes,
          },
        },
        now,
      );
    });
  }

  private async one(id: number): Promise<SlaPolicyView> {
    const row = await this.dataSource
      .getRepository(SlaPolicy)
      .createQueryBuilder('policy')
      .innerJoin('policy.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .where('policy.id = :id', { id })
      .getOneOrFail();
    return viewOf(row);
  }

  async targetsFor(manager: EntityManager, key: SlaPolicyKey): Promise<SlaTargets> {
    const policies = await manager.getRepository(SlaPolicy).find({
      select: { category: true, firstResponseMinutes: true, resolutionMinutes: true },
      where: [
        { merchantId: key.merchantId, priority: key.priority, category: key.category },
        { merchantId: key.merchantId, priority: key.priority, category: '' },
      ],
    });
    const own = policies.find((policy) => policy.category === key.category);
    const general = policies.find((policy) => policy.category === '');
    const chosen = own ?? general;
    if (!chosen) return DEFAULT_SLA_TARGETS;
    return {
      firstResponseMinutes: chosen.firstResponseMinutes,
      resolutionMinutes: chosen.resolutionMinutes,
      source: own ? 'category' : 'priority',
    };
  }

  /** The due times of a ticket of `key` born at `from`, on the business calendar. */
  async duesFor(manager: EntityManager, key: SlaPolicyKey, from: Date): Promise<SlaDues> {
    return this.duesOf(await this.targetsFor(manager, key), from);
  }

  duesOf(targets: SlaTargets, from: Date): SlaDues {
    return {
      firstResponseDueAt: this.calendar.addBusinessHours(from, targets.firstResponseMinutes / 60),
      resolutionDueAt: this.calendar.addBusinessHours(from, targets.resolutionMinutes / 60),
    };
  }

  /**
   * What the shopper is promised before there is a ticket (the form): the merchant's
   * first-response minutes for the default priority (every category), else the default; and the
   * longest first-response target any new ticket of the merchant can get, which bounds the due a
   * thank-you link may show.
   */
  async shopperFirstResponse(
    merchantId: number,
  ): Promise<{ minutes: number; longestMinutes: number }> {
    const policies = await this.dataSource.getRepository(SlaPolicy).find({
      select: { priority: true, category: true, firstResponseMinutes: true },
      where: { merchantId },
    });
    const general = policies.find(
      (policy) => policy.priority === DEFAULT_TICKET_PRIORITY && policy.category === '',
    );
    const minutes = general?.firstResponseMinutes ?? DEFAULT_SLA_TARGETS.firstResponseMinutes;
    const longestMinutes = Math.max(
      DEFAULT_SLA_TARGETS.firstResponseMinutes,
      ...policies.map((policy) => policy.firstResponseMinutes),
    );
    return { minutes, longestMinutes };
  }
}

function viewOf(row: SlaPolicy): SlaPolicyView {
  return {
    id: row.id,
    merchantId: row.merchantId,
    merchantName: row.merchant?.name ?? '',
    priority: row.priority,
    category: row.category === '' ? null : row.category,
    firstResponseMinutes: row.firstResponseMinutes,
    resolutionMinutes: row.resolutionMinutes,
    updatedAt: row.updatedAt,
  };
}

function minutesOf(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' &&
    Number.isInteger(number) &&
    number >= 1 &&
    number <= SLA_POLICY_MAX_MINUTES
    ? number
    : null;
}

/** Checks a policy's input; every problem at once, beside its field. */
export function validatePolicyInput(input: SlaPolicyInput): {
  merchantId: number;
  priority: TicketPriority;
  category: TicketCategory | '';
  firstResponseMinutes: number;
  resolutionMinutes: number;
} {
  const errors: FieldError[] = [];
  const merchantId = Number(input.merchantId);
  if (!Number.isInteger(merchantId) || merchantId < 1)
    errors.push({ field: 'merchantId', message: '加盟店を選んでください。' });
  if (!isTicketPriority(input.priority))
    errors.push({ field: 'priority', message: '優先度を選んでください。' });
  const category = input.category === undefined || input.category === null ? '' : input.category;
  if (category !== '' && !isTicketCategory(category))
    errors.push({ field: 'category', message: '指定できない種類です。' });
  const limit = `1〜${SLA_POLICY_MAX_MINUTES}分の整数で入力してください。`;
  const firstResponseMinutes = minutesOf(input.firstResponseMinutes);
  if (firstResponseMinutes === null) errors.push({ field: 'firstResponseMinutes', message: limit });
  const resolutionMinutes = minutesOf(input.resolutionMinutes);
  if (resolutionMinutes === null) errors.push({ field: 'resolutionMinutes', message: limit });
  if (
    firstResponseMinutes !== null &&
    resolutionMinutes !== null &&
    resolutionMinutes < firstResponseMinutes
  ) {
    errors.push({
      field: 'resolutionMinutes',
      message: '解決の目標は初回回答の目標以上にしてください。',
    });
  }
  if (errors.length > 0) throw new ValidationFailedException(errors);
  return {
    merchantId,
    priority: input.priority as TicketPriority,
    category: category as TicketCategory | '',
    firstResponseMinutes: firstResponseMinutes as number,
    resolutionMinutes: resolutionMinutes as number,
  };
}
