import { Injectable } from '@nestjs/common';
import { Brackets, type EntityManager } from 'typeorm';
import type { TicketOpening } from '../opening/ticket-opening.service';
import type { TicketCategory, TicketPriority } from '../ticket/ticket.constant';
import { DEFAULT_TICKET_PRIORITY } from './rule.constant';
import { Rule } from './rule.entity';
import { containsAnyKeyword } from './rule-text.util';
import { type RuleView, ruleViewOf } from './rule-view.util';

/** What the intake rules decided for a new ticket. */
export interface IntakeDecision {
  priority: TicketPriority;
  category: TicketCategory;
  /** The rules that matched, in the order they applied. */
  appliedRuleIds: number[];
  /** The same rules with their names, for the ticket's history. */
  applied: { id: number; name: string }[];
}

/**
 * The intake triggers (docs/rules.md): every enabled intake rule of the ticket's merchant or of
 * all merchants, in their order; each whose conditions match the opening (channel, category as
 * set so far, words of the first message) sets what it says, and one marked "stop" ends the
 * pass. Starts from the caller's priority (a channel may give one) or the default.
 */
@Injectable()
export class IntakeRulesService {
  async decide(
    manager: EntityManager,
    opening: Pick<TicketOpening, 'channel' | 'merchantId' | 'category' | 'priority'> & {
      firstMessage: { text: string };
    },
  ): Promise<IntakeDecision> {
    let priority = opening.priority ?? DEFAULT_TICKET_PRIORITY;
    let category = opening.category;
    const applied: { id: number; name: string }[] = [];
    for (const rule of await this.enabledRules(manager, opening.merchantId)) {
      if (!matches(rule, opening.channel, category, opening.firstMessage.text)) continue;
      if (rule.intake?.priority) priority = rule.intake.priority;
      if (rule.intake?.category) category = rule.intake.category;
      applied.push({ id: rule.id, name: rule.name });
      if (rule.stopProcessing) break;
    }
    return { priority, category, appliedRuleIds: applied.map((rule) => rule.id), applied };
  }

  private async enabledRules(manager: EntityManager, merchantId: number): Promise<RuleView[]> {
    const rows = await manager
      .getRepository(Rule)
      .createQueryBuilder('rule')
      .where('rule.kind = :kind', { kind: 'intake' })
      .andWhere('rule.enabled = :enabled', { enabled: true })
      .andWhere(
        new Brackets((either) =>
          either
            .where('rule.merchantId IS NULL')
            .orWhere('rule.merchantId = :merchantId', { merchantId }),
        ),
      )
      .orderBy('rule.position', 'ASC')
      .addOrderBy('rule.id', 'ASC')
      .getMany();
    return rows.map(ruleViewOf);
  }
}

function matches(
  rule: RuleView,
  channel: TicketOpening['channel'],
  category: TicketCategory,
  text: string,
): boolean {
  const { channels, categories, keywords } = rule.conditions;
  if (channels.length > 0 && !channels.includes(channel)) return false;
  if (categories.length > 0 && !categories.includes(category)) return false;
  return containsAnyKeyword(text, keywords);
}
