import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { SystemScope } from '@madoguchi/common';
import { restrictToScope, type TenantScope } from '@madoguchi/tenancy';
import { Ticket } from '../ticket/ticket.entity';

/** Every staff or merchant read of tickets starts here: the tenant scope's join on the ticket rows. */
export function scopedTicketQuery(
  manager: EntityManager,
  scope: TenantScope | SystemScope,
  alias = 'ticket',
): SelectQueryBuilder<Ticket> {
  return restrictToScope(
    manager.getRepository(Ticket).createQueryBuilder(alias),
    scope,
    `${alias}.merchantId`,
    `${alias}.queueId`,
  );
}
