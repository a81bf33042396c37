import { USER_ROLES, type UserAdminItem, type UserRole } from '@madoguchi/auth';
import {
  dataTable,
  formatText,
  html,
  phrases,
  SafeHtml,
  selectField,
  textField,
} from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
  timeTag,
} from '../../web';
import { confirmStepLink, renderConfirmStep } from '../../web/parts/confirm-step.view';
import { adminSubnav } from '../shared/admin-subnav.view';
import { USERS_TEXTS } from './users.texts';

const T = SHARED_TEXTS;
const A = USERS_TEXTS;

export interface AdminMerchantOption {
  id: number;
  name: string;
}

export interface InviteFormValues {
  email?: string;
  displayName?: string;
  role?: string;
  merchantId?: string;
}

export type AdminFormErrors = Partial<Record<string, string>>;

const INVITE_FIELDS = ['email', 'displayName', 'role', 'merchantId'] as const;

export interface AdminUserListParams {
  viewer: ConsoleViewer;
  users: readonly UserAdminItem[];
  merchants: readonly AdminMerchantOption[];
  values?: InviteFormValues;
  errors?: AdminFormErrors;
  notice?: string | null;
}

export interface AdminUserDetailParams {
  viewer: ConsoleViewer;
  user: UserAdminItem;
  errors?: AdminFormErrors;
  notice?: string | null;
}

/** Sub-navigation between the admin pages this module owns. */
function stateBadge(user: UserAdminItem): SafeHtml {
  return html`<span class="badge badge--user-${user.state}">${A.states[user.state]}</span>`;
}

function roleOptions(roles: readonly UserRole[]): { value: string; label: string }[] {
  return roles.map((role) => ({ value: role, label: T.roles[role] }));
}

export function renderAdminUserList(p: AdminUserListParams): string {
  const values = p.values ?? {};
  const errors = p.errors ?? {};
  const table = p.users.length
    ? dataTable({
        caption: A.caption,
        tableClass: 'admin-users-table',
        rows: p.users,
        columns: [
          { header: A.columns.name, cell: (user) => user.displayName },
          { header: A.columns.email, cell: (user) => user.email },
          { header: A.columns.role, cell: (user) => T.roles[user.role] },
          { header: A.columns.merchant, cell: (user) => user.merchantName ?? A.operator },
          { header: A.columns.state, cell: (user) => stateBadge(user) },
          {
            header: A.columns.totp,
            cell: (user) => (user.totpEnrolled ? A.totpEnrolled : A.totpNotEnrolled),
          },
          {
            header: A.columns.actions,
            cell: (user) =>
              html`<a href="/admin/users/${user.id}"
                >${A.manage}<span class="visually-hidden">: ${user.displayName}</span></a
              >`,
          },
        ],
      })
    : html`<p class="empty card">${A.empty}</p>`;
  const marks = { requiredMark: T.common.requiredMark };
  const main = html`${fieldErrorSummary(INVITE_FIELDS, p.errors)} ${adminSubnav('users', p.viewer)}
    <h1>${phrases(A.heading)}</h1>
    ${noticeBox(p.notice)} ${table}
    <section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">${phrases(A.inviteHeading)}</h2>
      <p>${A.inviteIntro}</p>
      <form class="form" method="post" action="/admin/users" accept-charset="UTF-8" novalidate>
        ${csrfField(p.viewer.csrfToken)}
        ${textField({
          ...marks,
          name: 'email',
          label: A.email,
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
          label: A.displayName,
          value: values.displayName,
          error: errors.displayName,
          required: true,
          maxLength: 200,
          autocomplete: 'off',
        })}
        ${selectField({
          ...marks,
          name: 'role',
          label: A.role,
          options: roleOptions(USER_ROLES),
          value: values.role ?? 'agent',
          error: errors.role,
          required: true,
        })}
        ${selectField({
          name: 'merchantId',
          label: A.merchant,
          options: [
            { value: '', label: A.noMerchant },
            ...p.merchants.map((m) => ({ value: String(m.id), label: m.name })),
          ],
          value: values.merchantId ?? '',
          error: errors.merchantId,
        })}
        <button class="btn btn--primary" type="submit">${A.invite}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: A.title,
    section: 'admin',
    main,
    hasErrors: Object.keys(errors).length > 0,
  });
}

/** The POST route of an account action on one user. */
export function adminUserActionPath(userId: number, action: AdminUserAction): string {
  return `/admin/users/${userId}/${action}`;
}

export type AdminUserAction =
  'disable' | 'enable' | 'unlock' | 'reset-totp' | 'resend-invite' | 'role';

/** The actions that end something (sessions, a second factor): each has a confirm step. */
export type AdminUserConfirmedAction = 'disable' | 'reset-totp';

function actionForm(
  viewer: ConsoleViewer,
  userId: number,
  action: AdminUserAction,
  label: string,
  style: 'primary' | 'danger' | 'ghost' = 'ghost',
): SafeHtml {
  return html`<form method="post" action="${adminUserActionPath(userId, action)}">
    ${csrfField(viewer.csrfToken)}
    <button class="btn btn--${style}" type="submit">${label}</button>
  </form>`;
}

export function renderAdminUserDetail(p: AdminUserDetailParams): string {
  const user = p.user;
  const self = user.id === p.viewer.id;
  const errors = p.errors ?? {};
  const sameKindRoles = USER_ROLES.filter(
    (role) =>
      (role === 'merchant_admin' || role === 'merchant_viewer') === (user.merchantId !== null),
  );
  const actions: SafeHtml[] = [];
  if (!self) {
    actions.push(
      user.state === 'disabled'
        ? actionForm(p.viewer, user.id, 'enable', A.enable, 'primary')
        : html`<div>
            <p class="small">${A.disableHelp}</p>
            ${confirmStepLink({ action: adminUserActionPath(user.id, 'disable'), label: A.disableStart })}
          </div>`,
    );
  }
  if (user.state === 'locked') actions.push(actionForm(p.viewer, user.id, 'unlock', A.unlock));
  if (user.state === 'invited') {
    actions.push(actionForm(p.viewer, user.id, 'resend-invite', A.resendInvite));
  }
  if (user.totpEnrolled) {
    actions.push(
      html`<div>
        <p class="small">${A.resetTotpHelp}</p>
        ${confirmStepLink({ action: adminUserActionPath(user.id, 'reset-totp'), label: A.resetTotpStart, style: 'ghost' })}
      </div>`,
    );
  }
  const roleForm = self
    ? html``
    : html`<form class="form" method="post" action="/admin/users/${user.id}/role" novalidate>
        ${csrfField(p.viewer.csrfToken)}
        ${selectField({
          name: 'role',
          label: A.role,
          options: roleOptions(sameKindRoles),
          value: user.role,
          error: errors.role,
          required: true,
          requiredMark: T.common.requiredMark,
        })}
        <button class="btn btn--ghost" type="submit">${A.changeRole}</button>
      </form>`;
  const main = html`${fieldErrorSummary(['user', 'role'], p.errors)}
    ${adminSubnav('users', p.viewer)}
    <h1>${formatText(A.detailHeading, { name: user.displayName })}</h1>
    ${noticeBox(p.notice)}
    <dl class="meta card">
      <dt>${A.email}</dt>
      <dd>${user.email}</dd>
      <dt>${A.role}</dt>
      <dd>${T.roles[user.role]}</dd>
      <dt>${A.merchant}</dt>
      <dd>${user.merchantName ?? A.operator}</dd>
      <dt>${A.columns.state}</dt>
      <dd>${stateBadge(user)}</dd>
      <dt>${A.columns.totp}</dt>
      <dd>${user.totpEnrolled ? A.totpEnrolled : A.totpNotEnrolled}</dd>
      ${
        user.state === 'invited'
          ? html`<dt>${A.inviteExpires}</dt>
              <dd>${timeTag(user.inviteExpiresAt)}</dd>`
          : ''
      }
      ${
        user.state === 'locked'
          ? html`<dt>${A.lockedUntil}</dt>
              <dd>${timeTag(user.lockedUntil)}</dd>`
          : ''
      }
      ${
        user.disabledAt
          ? html`<dt>${A.disabledAt}</dt>
              <dd>${timeTag(user.disabledAt)}</dd>`
          : ''
      }
      <dt>${A.createdAt}</dt>
      <dd>${timeTag(user.createdAt)}</dd>
    </dl>
    <section class="card" aria-labelledby="user-actions-heading">
      <h2 id="user-actions-heading">${phrases(A.actionsHeading)}</h2>
      ${self ? html`<p class="small muted">${A.selfNote}</p>` : ''}
      <div class="button-row">${actions}</div>
      ${roleForm}
    </section>
    <p><a href="/admin/users">${A.backToList}</a></p>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(A.detailHeading, { name: user.displayName }),
    section: 'admin',
    main,
    hasErrors: Object.keys(errors).length > 0,
  });
}

export interface AdminUserConfirmParams {
  viewer: ConsoleViewer;
  user: UserAdminItem;
  action: AdminUserConfirmedAction;
}

/** The confirm step of disabling a user or resetting their second factor. */
export function renderAdminUserConfirm(p: AdminUserConfirmParams): string {
  const texts = p.action === 'disable' ? A.disableConfirm : A.resetTotpConfirm;
  return renderConfirmStep({
    viewer: p.viewer,
    section: 'admin',
    title: formatText(texts.title, { name: p.user.displayName }),
    facts: [
      [A.email, p.user.email],
      [A.role, T.roles[p.user.role]],
      [A.merchant, p.user.merchantName ?? A.operator],
    ],
    consequences: texts.items,
    action: adminUserActionPath(p.user.id, p.action),
    confirmLabel: p.action === 'disable' ? A.disable : A.resetTotp,
    cancelLabel: T.common.cancel,
    cancelHref: `/admin/users/${p.user.id}`,
  });
}
