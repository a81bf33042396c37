import type { SiteWithMerchant } from '@madoguchi/tenancy';
import type { SiteBranding } from './site-branding.type';

export function brandingOf({ site, merchant }: SiteWithMerchant): SiteBranding {
  return {
    slug: site.slug,
    displayName: site.displayName,
    merchantName: merchant.name,
    logoUrl: site.logoUrl,
    brandColor: site.brandColor,
    phoneCode: site.phoneCode,
  };
}
