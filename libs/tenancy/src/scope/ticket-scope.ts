import type { TenantScope } from '@madoguchi/common';

/**
 * The tenant scope under the name the ticket code grew up with: the same type as
 * {@link TenantScope} (libs/common), one concept, not a second one.
 */
export type TicketScope = TenantScope;

/** Who acts, for audit and authorship. */
export interface TicketActor {
  userId: number;
  ip: string | null;
}
