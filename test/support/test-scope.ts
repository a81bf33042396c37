import type { MerchantScope } from '@madoguchi/common';

/**
 * A merchant user's scope for calling a scope-typed service directly in a test (the desk's guard
 * resolves it from the session in the app). The services read the merchant; the acting user is
 * the separate actor argument.
 */
export function testMerchantScope(merchantId: number, userId = 0): MerchantScope {
  return { kind: 'merchant', userId, merchantId };
}
