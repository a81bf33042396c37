import { button, errorSummary, html, phrases, type SafeHtml, textField } from '@madoguchi/ui';
import { phoneWindow, renderIntakePage } from '../web/intake-page.view';
import { INTAKE_SHARED_TEXTS } from '../web/shared.texts';
import type { SiteBranding } from '../web/site-branding.type';
import { STATUS_LINK_TEXTS } from './status-link.texts';

const T = STATUS_LINK_TEXTS;

/** The page of one site: `/s/{site}/status-link`. */
export function statusLinkPath(slug: string): string {
  return `/s/${slug}/status-link`;
}

/** The small section under the branded form that leads to the recovery page. */
export function statusLinkRecoveryLink(slug: string): SafeHtml {
  return html`<section class="card" aria-labelledby="status-link-heading">
    <h2 id="status-link-heading">${phrases(T.recoveryHeading)}</h2>
    <p class="small">${T.recoveryIntro}</p>
    <p><a href="${statusLinkPath(slug)}">${T.recoveryLink}</a></p>
  </section>`;
}

export type StatusLinkField = 'reference' | 'email';

export interface StatusLinkPageParams {
  site: SiteBranding;
  values: Partial<Record<StatusLinkField, string>>;
  errors: Partial<Record<StatusLinkField, string>>;
  /** A request was accepted: the same answer whether or not it matched a ticket. */
  sent?: boolean;
  /** Too many requests from this address or for this reference. */
  rateLimited?: boolean;
}

export function renderStatusLinkPage(p: StatusLinkPageParams): string {
  const { values, errors } = p;
  const marks = {
    requiredMark: INTAKE_SHARED_TEXTS.common.requiredMark,
    optionalMark: INTAKE_SHARED_TEXTS.common.optionalMark,
  };
  const summary = errorSummary(
    (['reference', 'email'] as const).flatMap((field) => {
      const message = errors[field];
      return message ? [{ field, message }] : [];
    }),
    INTAKE_SHARED_TEXTS.common.errorSummaryTitle,
  );
  const hasErrors = Boolean(errors.reference || errors.email || p.rateLimited);
  const sent = p.sent
    ? html`<div class="notice" role="status">
        <p><strong>${T.sentHeading}</strong></p>
        <p>${T.sent}</p>
        <p class="small">${T.sentNotArrived}</p>
      </div>`
    : html``;
  const limited = p.rateLimited
    ? html`<div class="error-summary" role="alert" tabindex="-1" autofocus>
        <p>${T.errors.rateLimited}</p>
      </div>`
    : html``;
  const main = html`${summary}${limited}
    <h1>${phrases(T.heading)}</h1>
    ${sent}
    <div class="card">
      <p>${T.intro}</p>
      <p class="small muted">${T.oldLinkNote}</p>
    </div>
    <form
      class="form card"
      method="post"
      action="${statusLinkPath(p.site.slug)}"
      accept-charset="UTF-8"
    >
      ${textField({
        ...marks,
        name: 'reference',
        label: T.reference.label,
        hint: T.reference.hint,
        value: values.reference,
        error: errors.reference,
        required: true,
        autocomplete: 'off',
        maxLength: 20,
      })}
      ${textField({
        ...marks,
        name: 'email',
        label: T.email.label,
        hint: T.email.hint,
        type: 'email',
        value: values.email,
        error: errors.email,
        required: true,
        autocomplete: 'email',
        inputmode: 'email',
        maxLength: 254,
      })}
      ${button(T.submit)}
    </form>
    <p><a href="/s/${p.site.slug}">${T.backToForm}</a></p>
    ${phoneWindow(p.site)}`;
  return renderIntakePage({ site: p.site, title: T.title, hasErrors, main });
}
