/** What the intake pages need to brand a site; loaded per request from the site's settings. */
export interface SiteBranding {
  slug: string;
  displayName: string;
  merchantName: string;
  /** Only `https://…` or `/assets/…` is rendered; anything else is ignored. */
  logoUrl: string | null;
  /** `#rrggbb`; anything else falls back to the default brand colour. */
  brandColor: string;
  phoneCode: string | null;
}
