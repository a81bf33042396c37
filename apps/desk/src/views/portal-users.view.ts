import type { UserAdminItem } from '@madoguchi/auth';
import { checkboxField, formatText, html, SafeHtml, selectField, textField } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
} from './desk-page.view';
import {
  PORTAL_USERS_PATH,
  type PortalFormErrors,
  portalSettingsSubnav,
} from './portal-settings.view';

const T = DESK_TEXTS;
const U = T.portalSettings.users;

export interface PortalInviteFormValues {
  email?: string;
  displayName?: string;
  role?: string;
}

export interface PortalUsersParams {
  viewer: ConsoleViewer;
  merchantName: string;
  users: readonly UserAdminItem[];
  values?: PortalInviteFormValues;
  errors?: PortalFormErrors;
  notice?: string | null;
  /** The merchant requires a TOTP second factor of its users. */
  requireTotp?: boolean;
}

const FIELDS = ['email', 'displayName', 'role', 'user'] as const;
const ROLES = ['merchant_viewer', 'merchant_admin'] as const;

function resendForm(viewer: ConsoleViewer, user: UserAdminItem): SafeHtml {
  if (user.state !== 'invited') return html``;
  return html`<form method="post" action="${PORTAL_USERS_PATH}/${user.id}/resend-invite">
    ${csrfField(viewer.csrfToken)}
    <button class="btn btn--ghost btn--small" type="submit">
      ${T.account.resendInvite}<span class="visually-hidden">: ${user.displayName}</span>
    </button>
  </form>`;
}

function totpRequirementForm(viewer: ConsoleViewer, required: boolean): SafeHtml {
  const R = T.account.requireTotp;
  return html`<section class="card" aria-labelledby="totp-requirement-heading">
    <h2 id="totp-requirement-heading">${R.heading}</h2>
    <form class="form" method="post" action="${PORTAL_USERS_PATH}/totp-requirement" novalidate>
      ${csrfField(viewer.csrfToken)}
      ${checkboxField({ name: 'requireTotp', label: R.label, hint: R.hint, checked: required, value: 'on' })}
      <button class="btn btn--primary" type="submit">${R.submit}</button>
    </form>
  </section>`;
}

function actionForm(viewer: ConsoleViewer, user: UserAdminItem): SafeHtml {
  if (user.id === viewer.id) return html`<span class="small muted">${U.you}</span>`;
  const [action, label, style] =
    user.state === 'disabled' ? ['enable', U.enable, 'ghost'] : ['disable', U.disable, 'danger'];
  return html`<form method="post" action="${PORTAL_USERS_PATH}/${user.id}/${action}">
    ${csrfField(viewer.csrfToken)}
    <button class="btn btn--${style} btn--small" type="submit">
      ${label}<span class="visually-hidden">: ${user.displayName}</span>
    </button>
  </form>`;
}

export function renderPortalUsers(p: PortalUsersParams): string {
  const values = p.values ?? {};
  const errors = p.errors ?? {};
  const A = T.adminUsers;
  const rows = p.users.map(
    (user) =>
      html`<tr data-user-id="${user.id}">
        <th scope="row">${user.displayName}</th>
        <td>${user.email}</td>
        <td>${T.roles[user.role]}</td>
        <td><span class="badge badge--user-${user.state}">${A.states[user.state]}</span></td>
        <td>${user.totpEnrolled ? T.account.requireTotp.yes : T.account.requireTotp.no}</td>
        <td>${actionForm(p.viewer, user)} ${resendForm(p.viewer, user)}</td>
      </tr>`,
  );
  const table = p.users.length
    ? html`<div class="table-wrap">
          <table>
            <caption class="visually-hidden">
              ${U.caption}
            </caption>
            <thead>
              <tr>
                <th scope="col">${U.columns.name}</th>
                <th scope="col">${U.columns.email}</th>
                <th scope="col">${U.columns.role}</th>
                <th scope="col">${U.columns.state}</th>
                <th scope="col">${T.account.requireTotp.enrolled}</th>
                <th scope="col">${U.columns.actions}</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
        </div>
        <p class="small muted">${U.disableHelp}</p>`
    : html`<p class="empty card">${U.empty}</p>`;
  const marks = { requiredMark: T.common.requiredMark };
  const main = html`${fieldErrorSummary(FIELDS, errors)}
    <h1>${formatText(U.heading, { merchant: p.merchantName })}</h1>
    ${portalSettingsSubnav('users')} ${noticeBox(p.notice)} ${table}
    ${totpRequirementForm(p.viewer, p.requireTotp ?? false)}
    <section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">${U.inviteHeading}</h2>
      <p>${U.inviteIntro}</p>
      <form
        class="form"
        method="post"
        action="${PORTAL_USERS_PATH}"
        accept-charset="UTF-8"
        novalidate
      >
        ${csrfField(p.viewer.csrfToken)}
        ${textField({
          ...marks,
          name: 'email',
          label: U.email,
          type: 'email',
          value: values.email,
          error: errors.email,
          required: true,
          maxLength: 254,
          autocomplete: 'off',
          inputmode: 'email',
        })}
        ${textField({
          ...marks,
          name: 'displayName',
          label: U.displayName,
          value: values.displayName,
          error: errors.displayName,
          required: true,
          maxLength: 200,
          autocomplete: 'off',
        })}
        ${selectField({
          ...marks,
          name: 'role',
          label: U.role,
          options: ROLES.map((role) => ({ value: role, label: T.roles[role] })),
          value: values.role ?? 'merchant_viewer',
          error: errors.role,
          required: true,
        })}
        <button class="btn btn--primary" type="submit">${U.invite}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: U.title,
    section: 'portal-settings',
    main,
    hasErrors: Object.keys(errors).length > 0,
  });
}
