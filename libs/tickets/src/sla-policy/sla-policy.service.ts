import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { BusinessCalendar } from '@madoguchi/calendar';
import { SLA_TARGET_HOURS } from '../sla/sla-policy.constant';
import {
  DEFAULT_TICKET_PRIORITY,
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
  ) {}

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
