import { tokyoDateOf } from '@madoguchi/common';
import { formatText, html, phrases, type SafeHtml } from '@madoguchi/ui';
import { phoneWindow, renderIntakePage } from '../web/intake-page.view';
import type { SiteBranding } from '../web/site-branding.type';
import { INCIDENT_PAGE_TEXTS } from './incident-page.texts';

const P = INCIDENT_PAGE_TEXTS;

/** The query flag the page's link carries to the form, and the form back to the server. */
export const FROM_FAQ_FIELD = 'from_faq';

/** One public answer as the page shows it (already filled; plain text, escaped here). */
export interface IncidentPageAnswer {
  templateId: number;
  title: string;
  body: string;
  approvedAt: Date;
}

export interface IncidentPageParams {
  site: SiteBranding;
  answers: readonly IncidentPageAnswer[];
  /** The form's address with the `from_faq=1` flag. */
  formUrl: string;
}

/** `2026-12-04` → `2026年12月4日` (Tokyo). */
function japaneseDate(at: Date): string {
  const [year, month, day] = tokyoDateOf(at).split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}

function answerSection(answer: IncidentPageAnswer): SafeHtml {
  const id = `faq-${answer.templateId}`;
  return html`<section class="card faq-answer" id="${id}" aria-labelledby="${id}-heading">
    <h2 id="${id}-heading">${phrases(answer.title)}</h2>
    <p class="small muted">
      <time datetime="${answer.approvedAt.toISOString()}"
        >${formatText(P.updatedAt, { date: japaneseDate(answer.approvedAt) })}</time
      >
    </p>
    <p><span class="msg__body">${answer.body}</span></p>
  </section>`;
}

/**
 * The public incident page: the merchant-approved `faq` answers, newest incident first, then a
 * way on to the form (carrying `from_faq=1`) and the phone window. Phone-first: one column,
 * the answers' titles as a short table of contents when there are several.
 */
export function renderIncidentPage(p: IncidentPageParams): string {
  const names = { siteName: p.site.displayName, merchantName: p.site.merchantName };
  const toc =
    p.answers.length > 1
      ? html`<nav class="card" aria-label="${P.tocLabel}">
          <ul>
            ${p.answers.map(
              (answer) => html`<li><a href="#faq-${answer.templateId}">${answer.title}</a></li>`,
            )}
          </ul>
        </nav>`
      : html``;
  const body =
    p.answers.length === 0
      ? html`<div class="card"><p>${P.empty}</p></div>`
      : html`<p>${formatText(P.intro, names)}</p>
          ${toc} ${p.answers.map(answerSection)}`;
  const main = html`<h1>${phrases(P.heading)}</h1>
    ${body}
    <section class="card" aria-labelledby="still-questions-heading">
      <h2 id="still-questions-heading">${phrases(P.stillQuestionsHeading)}</h2>
      <p>${P.stillQuestions}</p>
      <p><a class="button" href="${p.formUrl}" data-faq-to-form>${P.toForm}</a></p>
    </section>
    ${phoneWindow(p.site)}`;
  return renderIntakePage({ site: p.site, title: P.title, main });
}

/** The link above the form's fields (only when the page has something to show). */
export function incidentPageLink(url: string): SafeHtml {
  return html`<section
    class="callout"
    aria-labelledby="incident-page-link-heading"
    data-incident-link
  >
    <h2 class="callout__title" id="incident-page-link-heading">${phrases(P.formLinkHeading)}</h2>
    <p>${P.formLinkText}</p>
    <p><a href="${url}">${P.formLink}</a></p>
  </section>`;
}
