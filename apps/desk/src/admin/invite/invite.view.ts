import { errorSummary, type ErrorSummaryItem, formatText, html, phrases } from '@madoguchi/ui';
import { newPasswordFields } from '../../account/password/password.view';
import { renderConsolePage, SHARED_TEXTS } from '../../web';
import { INVITE_TEXTS } from './invite.texts';

const T = SHARED_TEXTS;
const I = INVITE_TEXTS;

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
  const main = html`${errorSummary(items, T.validation.summaryTitle)}
    <section class="auth-card" aria-labelledby="invite-heading">
      <h1 id="invite-heading">${phrases(I.heading)}</h1>
      <p>${formatText(I.intro, { name: p.displayName, email: p.email })}</p>
      <form
        class="auth-form"
        method="post"
        action="/invite/${encodeURIComponent(p.token)}"
        novalidate
      >
        <input type="hidden" name="username" value="${p.email}" autocomplete="username" />
        ${newPasswordFields(errors, {
          password: I.password,
          hint: I.passwordHint,
          confirmation: I.confirmation,
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
    <h1 id="invite-done-heading">${phrases(I.doneTitle)}</h1>
    <div class="notice" role="status">${I.done}</div>
    <p><a class="btn btn--primary" href="/login">${I.toLogin}</a></p>
  </section>`;
  return renderConsolePage({ viewer: null, title: I.doneTitle, section: null, main });
}
