import { html, phrases, raw, type SafeHtml, textField } from '@madoguchi/ui';
import { csrfField, renderConsolePage, SHARED_TEXTS } from '../../web';
import { LOGIN_TEXTS } from './login.texts';

const T = LOGIN_TEXTS;

export interface LoginPageOptions {
  email?: string;
  /** A local path to return to (already checked by safeNextPath). */
  next: string;
  error?: string | null;
  notice?: string | null;
}

function errorBox(title: string, message: string | null | undefined): SafeHtml {
  return message
    ? html`<div class="console-alert" role="alert" tabindex="-1" autofocus>
        <span class="console-alert__icon" aria-hidden="true">!</span>
        <div class="console-alert__text">
          <strong>${title}</strong>
          <p>${message}</p>
        </div>
      </div>`
    : html``;
}

/** The login form: email, password and the optional TOTP code; values except the password kept. */
export function renderLoginPage(options: LoginPageOptions): string {
  const main = html`<section class="auth-card" aria-labelledby="login-heading">
    <h1 id="login-heading">${phrases(T.login.heading)}</h1>
    <p>${T.login.intro}</p>
    ${options.notice ? html`<div class="notice" role="status">${options.notice}</div>` : ''}
    ${errorBox(T.login.errorTitle, options.error)}
    <form class="auth-form" method="post" action="/login" novalidate>
      ${options.next !== '/' ? html`<input type="hidden" name="next" value="${options.next}" />` : ''}
      ${textField({
        name: 'email',
        label: T.login.email,
        type: 'email',
        value: options.email ?? '',
        autocomplete: 'username',
        required: true,
        maxLength: 254,
        inputmode: 'email',
      })}
      ${textField({
        name: 'password',
        label: T.login.password,
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        maxLength: 1024,
      })}
      ${textField({
        name: 'totp',
        label: T.login.totp,
        hint: T.login.totpHint,
        autocomplete: 'one-time-code',
        inputmode: 'numeric',
        maxLength: 16,
        optionalMark: SHARED_TEXTS.common.optionalMark,
      })}
      <button class="btn btn--primary" type="submit">${T.login.submit}</button>
    </form>
    <p><a href="/password/forgot">${T.forgotLink}</a></p>
  </section>`;
  return renderConsolePage({
    viewer: null,
    title: T.login.title,
    section: null,
    main,
    hasErrors: Boolean(options.error),
  });
}

export interface TotpEnrolmentPageOptions {
  csrfToken: string;
  /** Null once the user is enrolled. */
  offer: { secret: string; uri: string; qrSvg: string } | null;
  mustEnrol: boolean;
  error?: string | null;
}

function logoutForm(csrfToken: string): SafeHtml {
  return html`<form method="post" action="/logout">
    ${csrfField(csrfToken)}
    <button class="btn btn--ghost btn--small" type="submit">${T.totp.logout}</button>
  </form>`;
}

/** Second-factor enrolment: QR code, the key for typing in, and the first code to confirm. */
export function renderTotpEnrolmentPage(options: TotpEnrolmentPageOptions): string {
  if (!options.offer) {
    const main = html`<section class="auth-card" aria-labelledby="totp-heading">
      <h1 id="totp-heading">${phrases(T.totp.heading)}</h1>
      <div class="notice" role="status">${T.totp.enrolled}</div>
      <p><a class="btn btn--primary" href="/">${T.totp.continue}</a></p>
    </section>`;
    return renderConsolePage({ viewer: null, title: T.totp.title, section: null, main });
  }
  const { secret, uri, qrSvg } = options.offer;
  const main = html`<section class="auth-card" aria-labelledby="totp-heading">
    <h1 id="totp-heading">${phrases(T.totp.heading)}</h1>
    ${options.mustEnrol ? html`<p class="notice">${T.totp.required}</p>` : ''}
    ${errorBox(T.totp.errorTitle, options.error)}
    <p>${T.totp.intro}</p>
    <figure class="totp-qr">
      <div role="img" aria-label="${T.totp.qrLabel}">${raw(qrSvg)}</div>
    </figure>
    <p>${T.totp.manual}</p>
    <dl class="totp-secret">
      <dt>${T.totp.secretLabel}</dt>
      <dd>
        <code class="totp-secret__key" translate="no"
          >${secret.replace(/(.{4})(?=.)/g, '$1 ')}</code
        >
      </dd>
      <dt>${T.totp.uriLabel}</dt>
      <dd><code class="totp-secret__uri" translate="no">${uri}</code></dd>
    </dl>
    <form class="auth-form" method="post" action="/account/totp" novalidate>
      ${csrfField(options.csrfToken)}
      ${textField({
        name: 'code',
        label: T.totp.code,
        hint: T.totp.codeHint,
        autocomplete: 'one-time-code',
        inputmode: 'numeric',
        maxLength: 16,
        required: true,
        error: options.error ?? null,
      })}
      <button class="btn btn--primary" type="submit">${T.totp.submit}</button>
    </form>
    ${logoutForm(options.csrfToken)}
  </section>`;
  return renderConsolePage({
    viewer: null,
    title: T.totp.title,
    section: null,
    main,
    hasErrors: Boolean(options.error),
  });
}
