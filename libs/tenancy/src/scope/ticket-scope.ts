// The tenant scope is defined in libs/common (libs/audit, below tenancy, needs it too); the
// tenancy lib hands it on so scope code imports every scope piece from one place.
export type { TenantScope } from '@madoguchi/common';

/** Who acts, for audit and authorship. */
export interface TicketActor {
  userId: number;
  ip: string | null;
}
