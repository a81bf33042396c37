import { formatText, html, isHttpUrl, phrases } from '@madoguchi/ui';
import { INTAKE_CLOSED_TEXTS } from './intake-closed.texts';
import { renderIntakePage } from './intake-page.view';
import { SiteBranding } from './site-branding.type';

const T = INTAKE_CLOSED_TEXTS;

export type IntakeClosedReason = 'closed' | 'support_ended';

export interface IntakeClosedParams {
  site: SiteBranding;
  reason: IntakeClosedReason;
  /** The merchant's own contact page; linked only when it is http(s). */
  contactUrl: string | null;
  /** The merchant's own contact in words (e.g. an address or hours). */
  contactText: string | null;
}

/** The 410 page: this window no longer takes inquiries, and where to go instead. */
export function renderIntakeClosed(p: IntakeClosedParams): string {
  const merchantName = p.site.merchantName;
  const title = p.reason === 'support_ended' ? T.supportEndedTitle : T.closedTitle;
  const message = p.reason === 'support_ended' ? T.supportEndedMessage : T.closedMessage;
  const hasLink = isHttpUrl(p.contactUrl);
  const link = hasLink
    ? html`<p>
        <a href="${p.contactUrl}" rel="noopener noreferrer"
          >${formatText(T.contactLinkText, { merchantName })}</a
        >
      </p>`
    : html``;
  const text = p.contactText ? html`<p><span class="pre-wrap">${p.contactText}</span></p>` : html``;
  const fallback = !hasLink && !p.contactText ? html`<p>${T.contactFallback}</p>` : html``;

  const main = html`<h1>${phrases(title)}</h1>
    <div class="card">
      <p class="lead">${message}</p>
      <p>${formatText(T.contactIntro, { merchantName })}</p>
      ${link}${text}${fallback}
    </div>
    <p class="small muted">${T.existingInquiry}</p>`;
  return renderIntakePage({ site: p.site, title, main });
}
