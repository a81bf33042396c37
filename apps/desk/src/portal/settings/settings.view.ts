import { formatText, html, raw, SafeHtml, textArea, textField } from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import { SETTINGS_TEXTS } from './settings.texts';

const T = SHARED_TEXTS;
const S = SETTINGS_TEXTS;

export const PORTAL_SETTINGS_PATH = '/portal/settings';
export const PORTAL_USERS_PATH = '/portal/users';

export type PortalSettingsSubsection = 'settings' | 'users';

/** The lists as the textareas show them: one item per line. */
export interface PortalSettingsFormValues {
  notificationEmails: string;
  allowedIpRanges: string;
  handBackReminderDays: string;
}

export type PortalFormErrors = Partial<Record<string, string>>;

export interface PortalSettingsParams {
  viewer: ConsoleViewer;
  merchantName: string;
  values: PortalSettingsFormValues;
  /** The request's own address, so the admin sees what the lock-out check compares against. */
  currentIp: string | null;
  errors?: PortalFormErrors;
  notice?: string | null;
}

const FIELDS = ['notificationEmails', 'allowedIpRanges', 'handBackReminderDays'] as const;

/** The settings pages' own menu: addresses and ranges, and the merchant's users. */
export function portalSettingsSubnav(current: PortalSettingsSubsection): SafeHtml {
  const links: [PortalSettingsSubsection, string, string][] = [
    ['settings', PORTAL_SETTINGS_PATH, S.subnav.settings],
    ['users', PORTAL_USERS_PATH, S.subnav.users],
  ];
  return html`<nav class="admin-subnav" aria-label="${S.subnavLabel}">
    <ul class="button-row">
      ${links.map(
        ([key, href, label]) =>
          html`<li>
            <a
              class="btn btn--ghost btn--small"
              href="${href}"
              ${key === current ? raw('aria-current="page"') : ''}
              >${label}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

export function renderPortalSettings(p: PortalSettingsParams): string {
  const errors = p.errors ?? {};
  const main = html`${fieldErrorSummary(FIELDS, errors)}
    <h1>${formatText(S.heading, { merchant: p.merchantName })}</h1>
    ${portalSettingsSubnav('settings')} ${noticeBox(p.notice)}
    <p>${S.intro}</p>
    <form
      class="form card"
      method="post"
      action="${PORTAL_SETTINGS_PATH}"
      accept-charset="UTF-8"
      novalidate
    >
      ${csrfField(p.viewer.csrfToken)}
      ${textArea({
        name: 'notificationEmails',
        label: S.notificationEmails,
        hint: S.notificationEmailsHint,
        value: p.values.notificationEmails,
        error: errors.notificationEmails,
        rows: 5,
        autocomplete: 'off',
      })}
      ${textArea({
        name: 'allowedIpRanges',
        label: S.allowedIpRanges,
        hint: html`${S.allowedIpRangesHint}<br /><span class="literal"
            >${formatText(S.currentIp, { ip: p.currentIp ?? T.ipRefused.unknownIp })}</span
          >`,
        value: p.values.allowedIpRanges,
        error: errors.allowedIpRanges,
        rows: 5,
        autocomplete: 'off',
      })}
      ${textField({
        name: 'handBackReminderDays',
        label: S.handBackReminderDays,
        hint: S.handBackReminderDaysHint,
        value: p.values.handBackReminderDays,
        error: errors.handBackReminderDays,
        inputmode: 'numeric',
        autocomplete: 'off',
        maxLength: 3,
      })}
      <button class="btn btn--primary" type="submit">${S.save}</button>
    </form>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: S.title,
    section: 'portal-settings',
    main,
    hasErrors: Object.keys(errors).length > 0,
  });
}
