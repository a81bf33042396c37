import { FAVICON_ASSET } from './favicon';
import { html, SafeHtml } from './html.util';
import { UI_STYLESHEET_ASSET } from './stylesheet';

export const DEFAULT_BRAND_COLOR = '#1f4e8c';
export const UI_STYLESHEET_PATH = UI_STYLESHEET_ASSET.path;

const BRAND_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
const LANG_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export interface PageOptions {
  title: string;
  /** BCP 47 tag; anything malformed falls back to `ja`. */
  lang?: string;
  /** `#rrggbb`; anything else falls back to the default brand colour. */
  brandColor?: string | null;
  body: SafeHtml;
  headExtra?: SafeHtml;
}

/** The site's colour if it is a plain `#rrggbb`, else the default: it ends up in a style attribute. */
export function sanitizeBrandColor(color: string | null | undefined): string {
  return color && BRAND_COLOR_PATTERN.test(color) ? color.toLowerCase() : DEFAULT_BRAND_COLOR;
}

function relativeLuminance(color: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(color.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever reads better on the brand colour (WCAG contrast). */
export function brandInkColor(color: string): string {
  const l = relativeLuminance(sanitizeBrandColor(color));
  // Contrast with white is 1.05/(L+0.05); with #111111 (L≈0.0056) it is (L+0.05)/0.0556.
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 ? '#ffffff' : '#111111';
}

/** The brand colour for text on white if it reaches 4.5:1, else near-black: a pale brand stays legible. */
export function brandTextColor(color: string): string {
  const brand = sanitizeBrandColor(color);
  return 1.05 / (relativeLuminance(brand) + 0.05) >= 4.5 ? brand : '#1b1d21';
}

/**
 * The custom properties a site's pages need. Also usable as the body of a per-site
 * stylesheet if a CSP later forbids style attributes.
 */
export function brandCustomProperties(color: string | null | undefined): string {
  const brand = sanitizeBrandColor(color);
  return `--brand:${brand};--brand-ink:${brandInkColor(brand)};--brand-text:${brandTextColor(brand)}`;
}

/** A complete HTML document. The CSS is linked, not inlined, so a strict CSP stays possible. */
export function renderPage(options: PageOptions): string {
  const lang = options.lang && LANG_PATTERN.test(options.lang) ? options.lang : 'ja';
  return `<!doctype html>\n${html`<html lang="${lang}">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <meta name="robots" content="noindex, nofollow" />
      <meta name="format-detection" content="telephone=no" />
      <title>${options.title}</title>
      <link rel="icon" href="${FAVICON_ASSET.url}" type="image/svg+xml" />
      <link rel="stylesheet" href="${UI_STYLESHEET_ASSET.url}" />
      ${options.headExtra}
    </head>
    <body style="${brandCustomProperties(options.brandColor)}">
      ${options.body}
    </body>
  </html> `}`;
}
