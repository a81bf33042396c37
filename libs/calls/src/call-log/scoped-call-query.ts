import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Merchant, scopedQueueQuery, type TenantScope } from '@madoguchi/tenancy';
import { Call } from '../call/call.entity';

/**
 * THE one place the tenant scope meets call rows. A merchant user: its merchant's calls only
 * (calls not yet tied to a merchant are staff-only). Admins and supervisors: every call.
 * Agents: the calls of the merchants whose queues they work (by the tickets' own scope rule),
 * plus the window's calls not yet tied to any merchant. Like the ticket scope, the rule is an
 * inner-join condition, so a caller's later `.where(…)` cannot drop it.
 */
export function scopedCallQuery(
  manager: EntityManager,
  scope: TenantScope,
  alias = 'call',
): SelectQueryBuilder<Call> {
  const query = manager.getRepository(Call).createQueryBuilder(alias);
  switch (scope.kind) {
    case 'merchant':
      return query.innerJoin(
        Merchant,
        'scope_merchant',
        `scope_merchant.id = ${alias}.merchantId AND scope_merchant.id = :scopeMerchantId`,
        { scopeMerchantId: scope.merchantId },
      );
    case 'staff': {
      if (scope.queueIds === 'all') return query;
      const merchants = scopedQueueQuery(manager, scope, 'scope_call_queue').select(
        'scope_call_queue.merchantId',
      );
      return query.innerJoin(
        Call,
        'scope_call',
        `scope_call.id = ${alias}.id AND (scope_call.merchantId IS NULL OR scope_call.merchantId IN (${merchants.getQuery()}))`,
        merchants.getParameters(),
      );
    }
  }
}
