import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import {
  DomainException,
  ErrorCode,
  type StaffScope,
  type SystemScope,
  type TenantScope,
} from '@madoguchi/common';
import { Merchant } from '../merchant/merchant.entity';
import { Queue } from '../queue/queue.entity';

/** Queues visible in a scope, by the rule of restrictToScope below. */
export function scopedQueueQuery(
  manager: EntityManager,
  scope: TenantScope | SystemScope,
  alias = 'queue',
): SelectQueryBuilder<Queue> {
  return restrictToScope(
    manager.getRepository(Queue).createQueryBuilder(alias),
    scope,
    `${alias}.merchantId`,
    `${alias}.id`,
  );
}

/**
 * THE one place the tenant scope meets rows: every staff or merchant read of tenant-owned rows
 * (tickets, queues, calls) goes through it, with the row's merchant and queue columns
 * (`alias.merchantId`, `alias.queueId`). The restriction is an inner-join condition, not a
 * WHERE, so a caller's later `.where(…)` (which replaces earlier WHEREs) cannot drop it. An
 * agent with no queues sees nothing (`1 = 0`), never everything. A job's system scope
 * (systemScope()) sees every merchant's rows.
 */
export function restrictToScope<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  scope: TenantScope | SystemScope,
  merchantColumn: string,
  queueColumn: string,
): SelectQueryBuilder<T> {
  if (scope.kind === 'system') return query;
  if (scope.kind === 'merchant') {
    return query.innerJoin(
      Merchant,
      'scope_merchant',
      `scope_merchant.id = ${merchantColumn} AND scope_merchant.id = :scopeMerchantId`,
      { scopeMerchantId: scope.merchantId },
    );
  }
  if (scope.queueIds === 'all') return query;
  if (scope.queueIds.length === 0) {
    return query.innerJoin(Queue, 'scope_queue', `scope_queue.id = ${queueColumn} AND 1 = 0`);
  }
  return query.innerJoin(
    Queue,
    'scope_queue',
    `scope_queue.id = ${queueColumn} AND scope_queue.id IN (:...scopeQueueIds)`,
    { scopeQueueIds: [...scope.queueIds] },
  );
}

/** Writes are for operator staff (and the jobs' system scope); merchant users read only. */
export function assertStaffScope(
  scope: TenantScope | SystemScope,
): asserts scope is StaffScope | SystemScope {
  if (scope.kind === 'merchant') {
    throw new DomainException(
      ErrorCode.Forbidden,
      '加盟店のアカウントではお問い合わせを変更できません。',
    );
  }
}

/** Whether a merchant's tickets can be seen at all in a scope (an agent: one of its queues). */
export async function merchantInScope(
  manager: EntityManager,
  scope: TenantScope | SystemScope,
  merchantId: number,
): Promise<boolean> {
  if (scope.kind === 'system') return true;
  if (scope.kind === 'merchant') return scope.merchantId === merchantId;
  return scopedQueueQuery(manager, scope)
    .andWhere('queue.merchantId = :merchantId', { merchantId })
    .getExists();
}
