import type { UserAdminItem } from '@madoguchi/auth';
import {
  checkboxField,
  dataTable,
  formatText,
  html,
  phrases,
  SafeHtml,
  selectField,
  textField,
} from '@madoguchi/ui';
import { USERS_TEXTS as ADMIN_USERS_TEXTS } from '../../admin/users/users.texts';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import {
  PORTAL_USERS_PATH,
  type PortalFormErrors,
  portalSettingsSubnav,
} from '../settings/settings.view';
import { confirmStepLink, renderConfirmStep } from '../../web/parts/confirm-step.view';
import { USERS_TEXTS } from './users.texts';

const T = SHARED_TEXTS;
const U = USERS_TEXTS;
/** The same state words as the admin's user list. */
const STATES = ADMIN_USERS_TEXTS.states;

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
      ${U.resendInvite}<span class="visually-hidden">: ${user.displayName}</span>
    </button>
  </form>`;
}

function totpRequirementForm(viewer: ConsoleViewer, required: boolean): SafeHtml {
  const R = U.requireTotp;
  return html`<section class="card" aria-labelledby="totp-requirement-heading">
    <h2 id="totp-requirement-heading">${phrases(R.heading)}</h2>
    <form class="form" method="post" action="${PORTAL_USERS_PATH}/totp-requirement" novalidate>
      ${csrfField(viewer.csrfToken)}
      ${checkboxField({ name: 'requireTotp', label: R.label, hint: R.hint, checked: required, value: 'on' })}
      <button class="btn btn--primary" type="submit">${R.submit}</button>
    </form>
  </section>`;
}

function actionForm(viewer: ConsoleViewer, user: UserAdminItem): SafeHtml {
  if (user.id === viewer.id) return html`<span class="small muted">${U.you}</span>`;
  // Disabling ends the user's sessions: a confirm step names them first. Enabling is one click.
  if (user.state !== 'disabled') {
    return confirmStepLink({
      action: portalUserDisablePath(user.id),
      label: U.disableStart,
      accessibleLabel: `${U.disableStart} ${user.displayName}`,
      small: true,
    });
  }
  return html`<form method="post" action="${PORTAL_USERS_PATH}/${user.id}/enable">
    ${csrfField(viewer.csrfToken)}
    <button class="btn btn--ghost btn--small" type="submit">
      ${U.enable}<span class="visually-hidden">: ${user.displayName}</span>
    </button>
  </form>`;
}

/** The POST route that disables one of the merchant's users. */
export function portalUserDisablePath(userId: number): string {
  return `${PORTAL_USERS_PATH}/${userId}/disable`;
}

export function renderPortalUsers(p: PortalUsersParams): string {
  const values = p.values ?? {};
  const errors = p.errors ?? {};
  const table = p.users.length
    ? html`${dataTable({
          caption: U.caption,
          rows: p.users,
          rowAttributes: (user) => ({ 'data-user-id': user.id }),
          columns: [
            { header: U.columns.name, cell: (user) => user.displayName },
            { header: U.columns.email, cell: (user) => user.email },
            { header: U.columns.role, cell: (user) => T.roles[user.role] },
            {
              header: U.columns.state,
              cell: (user) =>
                html`<span class="badge badge--user-${user.state}">${STATES[user.state]}</span>`,
            },
            {
              header: U.requireTotp.enrolled,
              cell: (user) => (user.totpEnrolled ? U.requireTotp.yes : U.requireTotp.no),
            },
            {
              header: U.columns.actions,
              cell: (user) => html`${actionForm(p.viewer, user)} ${resendForm(p.viewer, user)}`,
            },
          ],
        })}
        <p class="small muted">${U.disableHelp}</p>`
    : html`<p class="empty card">${U.empty}</p>`;
  const marks = { requiredMark: T.common.requiredMark };
  const main = html`${fieldErrorSummary(FIELDS, errors)}
    <h1>${formatText(U.heading, { merchant: p.merchantName })}</h1>
    ${portalSettingsSubnav('users', p.viewer)} ${noticeBox(p.notice)} ${table}
    ${totpRequirementForm(p.viewer, p.requireTotp ?? false)}
    <section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">${phrases(U.inviteHeading)}</h2>
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

/** The confirm step of disabling one of the merchant's users. */
export function renderPortalUserDisableConfirm(p: {
  viewer: ConsoleViewer;
  user: UserAdminItem;
}): string {
  const C = U.disableConfirm;
  return renderConfirmStep({
    viewer: p.viewer,
    section: 'portal-settings',
    title: formatText(C.title, { name: p.user.displayName }),
    facts: [
      [U.email, p.user.email],
      [U.role, T.roles[p.user.role]],
    ],
    consequences: C.items,
    action: portalUserDisablePath(p.user.id),
    confirmLabel: U.disable,
    cancelLabel: T.common.cancel,
    cancelHref: PORTAL_USERS_PATH,
  });
}
