import { MERCHANT_ROLES, type UserRole } from './user.entity';

/** Operator staff: the roles without a merchant. */
export const STAFF_ROLES: readonly UserRole[] = ['admin', 'supervisor', 'agent'];

export function isStaffRole(role: UserRole): boolean {
  return !MERCHANT_ROLES.includes(role);
}
