import {
  errorSummary,
  type ErrorSummaryItem,
  formatText,
  html,
  phrases,
  type SafeHtml,
  textField,
} from '@madoguchi/ui';
import { type ConsoleViewer, csrfField, renderConsolePage, SHARED_TEXTS } from '../../web';
import { PASSWORD_TEXTS } from './password.texts';

const T = SHARED_TEXTS;
const A = PASSWORD_TEXTS;
const marks = { requiredMark: T.common.requiredMark };

export type PasswordFormErrors = Partial<
  Record<'currentPassword' | 'password' | 'confirmation' | 'email', string>
>;

function alertBox(message: string | null | undefined) {
  return message
    ? html`<div class="console-alert" role="alert" tabindex="-1" autofocus>
        <span class="console-alert__icon" aria-hidden="true">!</span>
        <div class="console-alert__text"><p>${message}</p></div>
      </div>`
    : '';
}

function summary(errors: PasswordFormErrors): { items: ErrorSummaryItem[]; html: SafeHtml } {
  const items: ErrorSummaryItem[] = (
    ['currentPassword', 'password', 'confirmation', 'email'] as const
  ).flatMap((field) => (errors[field] ? [{ field, message: errors[field] }] : []));
  return { items, html: errorSummary(items, T.validation.summaryTitle) };
}

export interface NewPasswordLabels {
  password: string;
  hint: string;
  confirmation: string;
}

const NEW_PASSWORD_LABELS: NewPasswordLabels = {
  password: A.password.next,
  hint: A.password.nextHint,
  confirmation: A.password.confirmation,
};

/** The new password twice: the change, reset and invitation pages. */
export function newPasswordFields(
  errors: Pick<PasswordFormErrors, 'password' | 'confirmation'>,
  labels: NewPasswordLabels = NEW_PASSWORD_LABELS,
): SafeHtml {
  return html`${textField({
    ...marks,
    name: 'password',
    label: labels.password,
    hint: labels.hint,
    type: 'password',
    autocomplete: 'new-password',
    error: errors.password,
    required: true,
    maxLength: 256,
  })}
  ${textField({
    ...marks,
    name: 'confirmation',
    label: labels.confirmation,
    type: 'password',
    autocomplete: 'new-password',
    error: errors.confirmation,
    required: true,
    maxLength: 256,
  })}`;
}

/** The signed-in user's password change: current password, new one twice. */
export function renderPasswordChangePage(p: {
  viewer: ConsoleViewer;
  email: string;
  errors?: PasswordFormErrors;
  notice?: string | null;
  error?: string | null;
}): string {
  const errors = p.errors ?? {};
  const { items, html: box } = summary(errors);
  const main = html`${box}
    <section class="auth-card" aria-labelledby="password-heading">
      <h1 id="password-heading">${phrases(A.password.heading)}</h1>
      <p>${A.password.intro}</p>
      ${p.notice ? html`<div class="notice" role="status">${p.notice}</div>` : ''}
      ${alertBox(p.error)}
      <form class="auth-form" method="post" action="/account/password" novalidate>
        ${csrfField(p.viewer.csrfToken)}
        <input type="hidden" name="username" value="${p.email}" autocomplete="username" />
        ${textField({
          ...marks,
          name: 'currentPassword',
          label: A.password.current,
          type: 'password',
          autocomplete: 'current-password',
          error: errors.currentPassword,
          required: true,
          maxLength: 1024,
        })}
        ${newPasswordFields(errors)}
        <button class="btn btn--primary" type="submit">${A.password.submit}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: A.password.title,
    section: null,
    main,
    hasErrors: items.length > 0 || Boolean(p.error),
  });
}

/** The forgotten-password form (public): one email field. */
export function renderForgotPasswordPage(
  p: { email?: string; error?: string | null } = {},
): string {
  const main = html`<section class="auth-card" aria-labelledby="forgot-heading">
    <h1 id="forgot-heading">${phrases(A.forgot.heading)}</h1>
    <p>${A.forgot.intro}</p>
    ${alertBox(p.error)}
    <form class="auth-form" method="post" action="/password/forgot" novalidate>
      ${textField({
        ...marks,
        name: 'email',
        label: A.forgot.email,
        type: 'email',
        value: p.email ?? '',
        autocomplete: 'username',
        inputmode: 'email',
        required: true,
        maxLength: 254,
      })}
      <button class="btn btn--primary" type="submit">${A.forgot.submit}</button>
    </form>
    <p><a href="/login">${A.forgot.toLogin}</a></p>
  </section>`;
  return renderConsolePage({
    viewer: null,
    title: A.forgot.title,
    section: null,
    main,
    hasErrors: Boolean(p.error),
  });
}

/** The same page whether or not the address is known. */
export function renderForgotPasswordSentPage(): string {
  const main = html`<section class="auth-card" aria-labelledby="forgot-sent-heading">
    <h1 id="forgot-sent-heading">${phrases(A.forgot.sentTitle)}</h1>
    <div class="notice" role="status">${A.forgot.sent}</div>
    <p><a class="btn btn--primary" href="/login">${A.forgot.toLogin}</a></p>
  </section>`;
  return renderConsolePage({ viewer: null, title: A.forgot.sentTitle, section: null, main });
}

/** The reset link's page (public): the new password twice; the token is the path. */
export function renderPasswordResetPage(p: {
  token: string;
  email: string;
  displayName: string;
  errors?: PasswordFormErrors;
}): string {
  const errors = p.errors ?? {};
  const { items, html: box } = summary(errors);
  const main = html`${box}
    <section class="auth-card" aria-labelledby="reset-heading">
      <h1 id="reset-heading">${phrases(A.reset.heading)}</h1>
      <p>${formatText(A.reset.intro, { email: p.email, name: p.displayName })}</p>
      <form
        class="auth-form"
        method="post"
        action="/password/reset/${encodeURIComponent(p.token)}"
        novalidate
      >
        <input type="hidden" name="username" value="${p.email}" autocomplete="username" />
        ${newPasswordFields(errors)}
        <button class="btn btn--primary" type="submit">${A.reset.submit}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: null,
    title: A.reset.title,
    section: null,
    main,
    hasErrors: items.length > 0,
  });
}

export function renderPasswordResetDonePage(): string {
  const main = html`<section class="auth-card" aria-labelledby="reset-done-heading">
    <h1 id="reset-done-heading">${phrases(A.reset.doneTitle)}</h1>
    <div class="notice" role="status">${A.reset.done}</div>
    <p><a class="btn btn--primary" href="/login">${A.forgot.toLogin}</a></p>
  </section>`;
  return renderConsolePage({ viewer: null, title: A.reset.doneTitle, section: null, main });
}
