import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Brackets } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { BusinessCalendar } from '@madoguchi/calendar';
import { Clock, runTransaction, ValidationFailedException } from '@madoguchi/common';
import { BlindIndex, foldWidth, normalisePhoneE164 } from '@madoguchi/crypto';
import type { TicketActor, TenantScope } from '@madoguchi/tenancy';
import { listItemQuery, toListItem } from '../ticket/ticket-list-item.util';
import { normaliseTicketReference } from '../ticket/ticket-reference.util';
import type { TicketListItem } from '../ticket/ticket-view.type';

export const SEARCH_RESULT_LIMIT = 50;
const QUERY_MAX_LENGTH = 200;

export type TicketSearchKind = 'reference' | 'email' | 'phone' | 'order_number';

/** How a query can be read: every reading that fits is searched (a number may be a phone or an order number). */
export function searchKindsOf(query: string): TicketSearchKind[] {
  const kinds: TicketSearchKind[] = [];
  if (normaliseTicketReference(query) !== null) kinds.push('reference');
  if (foldWidth(query).includes('@')) kinds.push('email');
  else {
    if (normalisePhoneE164(query) !== null) kinds.push('phone');
    kinds.push('order_number');
  }
  return kinds;
}

/**
 * Exact-match search within the scope by reference, email, phone (any Japanese format: the
 * E.164 form is blind-indexed) or order number. Personal values are compared as blind indexes
 * only; the audit records which kinds were searched, never the value.
 */
@Injectable()
export class TicketSearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly blindIndex: BlindIndex,
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async search(scope: TenantScope, query: string, actor: TicketActor): Promise<TicketListItem[]> {
    const text = typeof query === 'string' ? query.trim() : '';
    if (text === '' || text.length > QUERY_MAX_LENGTH) {
      throw new ValidationFailedException([
        { field: 'q', message: `検索する語を${QUERY_MAX_LENGTH}文字以内で入力してください。` },
      ]);
    }
    const kinds = searchKindsOf(text);
    const conditions: { sql: string; params: Record<string, string> }[] = [];
    for (const kind of kinds) {
      switch (kind) {
        case 'reference':
          conditions.push({
            sql: 'ticket.reference = :reference',
            params: { reference: normaliseTicketReference(text) as string },
          });
          break;
        case 'email':
          conditions.push({
            sql: 'ticket.requesterEmailIndex = :emailIndex',
            params: { emailIndex: this.blindIndex.email(text) },
          });
          break;
        case 'phone': {
          const phoneIndex = this.blindIndex.phone(text);
          if (phoneIndex !== null)
            conditions.push({
              sql: 'ticket.requesterPhoneIndex = :phoneIndex',
              params: { phoneIndex },
            });
          break;
        }
        case 'order_number':
          conditions.push({
            sql: 'ticket.orderNumberIndex = :orderIndex',
            params: { orderIndex: this.blindIndex.orderNumber(text) },
          });
          break;
      }
    }
    const tickets = await listItemQuery(this.dataSource.manager, scope)
      .andWhere(
        new Brackets((where) => {
          for (const condition of conditions) where.orWhere(condition.sql, condition.params);
        }),
      )
      .orderBy('ticket.createdAt', 'DESC')
      .addOrderBy('ticket.id', 'DESC')
      .limit(SEARCH_RESULT_LIMIT)
      .getMany();
    await runTransaction(this.dataSource, (manager) =>
      this.audit.record(manager, {
        actor: { type: 'user', id: actor.userId },
        action: AUDIT_ACTIONS.ticketSearched,
        merchantId: scope.kind === 'merchant' ? scope.merchantId : null,
        ip: actor.ip,
        detail: { kinds, results: tickets.length },
      }),
    );
    const now = this.clock.now();
    return tickets.map((ticket) => toListItem(ticket, now, this.calendar));
  }
}
