import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { scopedQueueQuery, type TicketScope } from '@madoguchi/tickets';
import { Call } from '../call/call.entity';

/**
 * THE one place the tenant scope meets call rows. A merchant user: its merchant's calls only
 * (calls not yet tied to a merchant are staff-only). Admins and supervisors: every call.
 * Agents: the calls of the merchants whose queues they work (by the tickets' own scope rule),
 * plus the window's calls not yet tied to any merchant. Callers add conditions with
 * `andWhere` (a later `where` would replace this one).
 */
export function scopedCallQuery(
  manager: EntityManager,
  scope: TicketScope,
  alias = 'call',
): SelectQueryBuilder<Call> {
  const query = manager.getRepository(Call).createQueryBuilder(alias);
  switch (scope.kind) {
    case 'merchant':
      return query.where(`${alias}.merchantId = :scopeMerchantId`, {
        scopeMerchantId: scope.merchantId,
      });
    case 'staff': {
      if (scope.queueIds === 'all') return query.where('1 = 1');
      const merchants = scopedQueueQuery(manager, scope, 'scope_call_queue').select(
        'scope_call_queue.merchantId',
      );
      return query.where(
        new Brackets((inner) =>
          inner
            .where(`${alias}.merchantId IS NULL`)
            .orWhere(`${alias}.merchantId IN (${merchants.getQuery()})`),
        ),
        merchants.getParameters(),
      );
    }
  }
}
