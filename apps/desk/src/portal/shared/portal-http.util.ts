import { DomainException, ErrorCode, type MerchantScope } from '@madoguchi/common';
import type { TenantScope } from '@madoguchi/tenancy';

/** The portal is the merchant roles' part of the desk; staff work in the console. */
export const PORTAL_ROLES = ['merchant_admin', 'merchant_viewer'] as const;

/**
 * The request's scope as a merchant scope. The role guard already refuses staff; this fails
 * loudly if a route ever lost that guard, rather than show staff-wide data as a merchant's.
 */
export function merchantScopeOf(scope: TenantScope): MerchantScope {
  if (scope.kind !== 'merchant')
    throw new DomainException(ErrorCode.Forbidden, 'この画面は加盟店の利用者専用です。');
  return scope;
}
