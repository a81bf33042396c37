import { formatText, html, isSafeImageUrl, phrases, renderPage, SafeHtml } from '@madoguchi/ui';
import { INTAKE_SHARED_TEXTS } from './shared.texts';
import { SiteBranding } from './site-branding.type';

const T = INTAKE_SHARED_TEXTS;

export interface IntakePageOptions {
  /** Null for pages that belong to no site (404, generic errors). */
  site: SiteBranding | null;
  /** The page's own name; the site's name is appended for the <title>. */
  title: string;
  /** Prefixes the <title> with エラー so screen-reader users hear it first. */
  hasErrors?: boolean;
  main: SafeHtml;
}

/** The site's window name, e.g. "デモショップ お問い合わせ窓口". */
export function siteTitle(site: SiteBranding): string {
  return formatText(T.common.siteTitle, { name: site.displayName });
}

function siteHeader(site: SiteBranding | null): SafeHtml {
  if (!site) return html``;
  const logo = isSafeImageUrl(site.logoUrl)
    ? html`<img
        class="site-header__logo"
        src="${site.logoUrl}"
        alt="${site.displayName}"
        height="40"
      />`
    : html``;
  return html`<header class="site-header">
    <div class="site-header__inner">
      ${logo}
      <p class="site-header__name">${siteTitle(site)}</p>
    </div>
  </header>`;
}

/** Every intake page: skip link, branded header, one <main>. */
export function renderIntakePage(options: IntakePageOptions): string {
  const { site } = options;
  const base = site
    ? formatText(T.common.pageTitle, { page: options.title, site: siteTitle(site) })
    : options.title;
  const title = options.hasErrors ? `${T.common.errorTitlePrefix}${base}` : base;
  const body = html`<a class="skip-link" href="#main">${T.common.skipToContent}</a>
    ${siteHeader(site)}
    <main class="page" id="main" tabindex="-1">${options.main}</main>`;
  return renderPage({ title, lang: 'ja', brandColor: site?.brandColor, body });
}

/** The phone window box, with the shop's code for the phone menu when it has one. */
export function phoneWindow(site: SiteBranding | null, withReferenceHint = false): SafeHtml {
  const p = T.phoneWindow;
  const reference = withReferenceHint ? html`<p>${p.referenceHint}</p>` : html``;
  const code = site?.phoneCode
    ? html`<p>${formatText(p.phoneCode, { phoneCode: site.phoneCode })}</p>`
    : html``;
  return html`<section class="callout" aria-labelledby="phone-window-heading">
    <h2 class="callout__title" id="phone-window-heading">${phrases(p.heading)}</h2>
    <p><a class="phone-link" href="tel:${p.e164}">${p.number}</a>${p.hours}</p>
    ${code}${reference}
    <p class="small muted">${p.hoursNote}</p>
  </section>`;
}
