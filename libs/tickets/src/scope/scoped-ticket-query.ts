import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { Merchant } from '@madoguchi/tenancy';
import { Queue } from '../queue/queue.entity';
import { Ticket } from '../ticket/ticket.entity';
import type { TicketScope } from './ticket-scope';

/**
 * THE one place the tenant scope meets ticket rows: every staff or merchant read of tickets
 * starts here. The restriction is an inner-join condition, not a WHERE, so a caller's later
 * `.where(…)` (which replaces earlier WHEREs) cannot drop it. An agent with no queues sees
 * nothing (`1 = 0`), never everything.
 */
export function scopedTicketQuery(
  manager: EntityManager,
  scope: TicketScope,
  alias = 'ticket',
): SelectQueryBuilder<Ticket> {
  const query = manager.getRepository(Ticket).createQueryBuilder(alias);
  if (scope.kind === 'merchant') {
    return query.innerJoin(
      Merchant,
      'scope_merchant',
      `scope_merchant.id = ${alias}.merchantId AND scope_merchant.id = :scopeMerchantId`,
      {
        scopeMerchantId: scope.merchantId,
      },
    );
  }
  if (scope.queueIds === 'all') return query;
  if (scope.queueIds.length === 0) {
    return query.innerJoin(Queue, 'scope_queue', `scope_queue.id = ${alias}.queueId AND 1 = 0`);
  }
  return query.innerJoin(
    Queue,
    'scope_queue',
    `scope_queue.id = ${alias}.queueId AND scope_queue.id IN (:...scopeQueueIds)`,
    {
      scopeQueueIds: [...scope.queueIds],
    },
  );
}

/** Queues visible in a scope, by the same rule. */
export function scopedQueueQuery(
  manager: EntityManager,
  scope: TicketScope,
  alias = 'queue',
): SelectQueryBuilder<Queue> {
  const query = manager.getRepository(Queue).createQueryBuilder(alias);
  if (scope.kind === 'merchant') {
    return query.innerJoin(
      Merchant,
      'scope_merchant',
      `scope_merchant.id = ${alias}.merchantId AND scope_merchant.id = :scopeMerchantId`,
      {
        scopeMerchantId: scope.merchantId,
      },
    );
  }
  if (scope.queueIds === 'all') return query;
  if (scope.queueIds.length === 0) {
    return query.innerJoin(Queue, 'scope_queue', `scope_queue.id = ${alias}.id AND 1 = 0`);
  }
  return query.innerJoin(
    Queue,
    'scope_queue',
    `scope_queue.id = ${alias}.id AND scope_queue.id IN (:...scopeQueueIds)`,
    {
      scopeQueueIds: [...scope.queueIds],
    },
  );
}

/** Writes are for operator staff; merchant users read only. */
export function assertStaffScope(
  scope: TicketScope,
): asserts scope is Extract<TicketScope, { kind: 'staff' }> {
  if (scope.kind !== 'staff') {
    throw new DomainException(
      ErrorCode.Forbidden,
      '加盟店のアカウントではお問い合わせを変更できません。',
    );
  }
}

/** Whether a merchant's tickets can be seen at all in a scope (an agent: one of its queues). */
export async function merchantInScope(
  manager: EntityManager,
  scope: TicketScope,
  merchantId: number,
): Promise<boolean> {
  if (scope.kind === 'merchant') return scope.merchantId === merchantId;
  return scopedQueueQuery(manager, scope)
    .andWhere('queue.merchantId = :merchantId', { merchantId })
    .getExists();
}
