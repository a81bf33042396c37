import type { AuditSubject } from '@madoguchi/audit';
import type { User } from './user.entity';

/** A user account as the audit trail names it: by id, under its merchant (null for staff). */
export function userAuditSubject(user: Pick<User, 'id' | 'merchantId'>): AuditSubject {
  return { merchantId: user.merchantId, target: { type: 'user', id: user.id } };
}
