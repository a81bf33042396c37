import {
  TICKET_CATEGORIES,
  TICKET_PRIORITY_LABELS,
  type TicketCategory,
  type TicketPriority,
} from '../ticket/ticket.constant';

/** The system message an intake with matching rules leaves on the ticket. */
export function intakeRulesAppliedText(
  applied: readonly { id: number; name: string }[],
  priority: TicketPriority,
  category: TicketCategory,
): string {
  const names = applied.map((rule) => `「${rule.name}」`).join('、');
  return `受付時の自動ルール ${names} を適用しました（優先度: ${TICKET_PRIORITY_LABELS[priority]}、カテゴリ: ${TICKET_CATEGORIES[category]}）。`;
}
