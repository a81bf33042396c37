import { errorSummary, type ErrorSummaryItem, formatText, html, textField } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import { renderConsolePage } from './desk-page.view';

const T = DESK_TEXTS;
const I = T.adminUsers.invitePage;

export interface InvitePageParams {
  /** The token from the link; the form posts back to the same URL. */
  token: string;
  displayName: string;
  email: string;
  errors?: Partial<Record<'password' | 'confirmation', string>>;
}

/** The invitee's set-password page: public (no session, so no CSRF field). */
export function renderInvitePage(p: InvitePageParams): string {
  const errors = p.errors ?? {};
  const items: ErrorSummaryItem[] = (['password', 'confirmation'] as const).flatMap((field) =>
    errors[field] ? [{ field, message: errors[field] }] : [],
  );
  const marks = { requiredMark: T.common.requiredMark };
  const main = html`${errorSummary(items, T.validation.summaryTitle)}
    <section class="auth-card" aria-labelledby="invite-heading">
      <h1 id="invite-heading">${I.heading}</h1>
      <p>${formatText(I.intro, { name: p.displayName, email: p.email })}</p>
      <form
        class="auth-form"
        method="post"
        action="/invite/${encodeURIComponent(p.token)}"
        novalidate
      >
        <input type="hidden" name="username" value="${p.email}" autocomplete="username" />
        ${textField({
          ...marks,
          name: 'password',
          label: I.password,
          hint: I.passwordHint,
          type: 'password',
          autocomplete: 'new-password',
          error: errors.password,
          required: true,
          maxLength: 256,
        })}
        ${textField({
          ...marks,
          name: 'confirmation',
          label: I.confirmation,
          type: 'password',
          autocomplete: 'new-password',
          error: errors.confirmation,
          required: true,
          maxLength: 256,
        })}
        <button class="btn btn--primary" type="submit">${I.submit}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: null,
    title: I.title,
    section: null,
    main,
    hasErrors: items.length > 0,
  });
}

export function renderInviteDonePage(): string {
  const main = html`<section class="auth-card" aria-labelledby="invite-done-heading">
    <h1 id="invite-done-heading">${I.doneTitle}</h1>
    <div class="notice" role="status">${I.done}</div>
    <p><a class="btn btn--primary" href="/login">${I.toLogin}</a></p>
  </section>`;
  return renderConsolePage({ viewer: null, title: I.doneTitle, section: null, main });
}
