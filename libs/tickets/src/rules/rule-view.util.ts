import { isTicketCategory, isTicketChannel, isTicketPriority } from '../ticket/ticket.constant';
import type {
  IntakeRuleActions,
  PendingRuleActions,
  RuleConditions,
  RuleKind,
} from './rule.constant';
import type { Rule } from './rule.entity';

/** A rule as pages and the API show it. */
export interface RuleView {
  id: number;
  kind: RuleKind;
  name: string;
  merchantId: number | null;
  position: number;
  enabled: boolean;
  stopProcessing: boolean;
  conditions: RuleConditions;
  /** Intake rules: what they set. */
  intake: IntakeRuleActions | null;
  /** Pending-customer rules: the days and texts. */
  pending: PendingRuleActions | null;
  updatedAt: Date;
  version: number;
}

/** The stored JSON read back defensively: anything unknown is dropped, never trusted. */
export function ruleViewOf(rule: Rule): RuleView {
  const conditions = parseObject(rule.conditions);
  const actions = parseObject(rule.actions);
  return {
    id: rule.id,
    kind: rule.kind,
    name: rule.name,
    merchantId: rule.merchantId,
    position: rule.position,
    enabled: rule.enabled,
    stopProcessing: rule.stopProcessing,
    conditions: {
      channels: stringList(conditions.channels).filter(isTicketChannel),
      categories: stringList(conditions.categories).filter(isTicketCategory),
      keywords: stringList(conditions.keywords),
    },
    intake:
      rule.kind === 'intake'
        ? {
            priority: isTicketPriority(actions.priority) ? actions.priority : null,
            category: isTicketCategory(actions.category) ? actions.category : null,
          }
        : null,
    pending:
      rule.kind === 'pending_customer'
        ? {
            remindAfterDays: positiveInt(actions.remindAfterDays),
            reminderText: typeof actions.reminderText === 'string' ? actions.reminderText : '',
            resolveAfterDays: positiveInt(actions.resolveAfterDays),
            resolutionText:
              typeof actions.resolutionText === 'string' ? actions.resolutionText : '',
          }
        : null,
    updatedAt: rule.updatedAt,
    version: rule.version,
  };
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function positiveInt(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1;
}
