import { formatText, html, SafeHtml, textArea, textField } from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
  subnavTabs,
} from '../../web';
import { renderConfirmStep } from '../../web/parts/confirm-step.view';
import { SETTINGS_TEXTS } from './settings.texts';

const T = SHARED_TEXTS;
const S = SETTINGS_TEXTS;

export const PORTAL_SETTINGS_PATH = '/portal/settings';
export const PORTAL_USERS_PATH = '/portal/users';
/**
 * Where the settings form posts: it saves at once, unless the new list drops an allowed IP
 * range; then it asks first (renderPortalSettingsRangeConfirm), and the confirmation posts to
 * PORTAL_SETTINGS_PATH, which saves as it always has.
 */
export const PORTAL_SETTINGS_REVIEW_PATH = `${PORTAL_SETTINGS_PATH}/review`;

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

/**
 * The settings pages' own menu: addresses and ranges, and the merchant's users (only the tabs
 * the viewer's role may open).
 */
export function portalSettingsSubnav(
  current: PortalSettingsSubsection,
  viewer: ConsoleViewer,
): SafeHtml {
  const links = (
    [
      ['settings', PORTAL_SETTINGS_PATH, S.subnav.settings],
      ['users', PORTAL_USERS_PATH, S.subnav.users],
    ] as const
  ).filter(([, href]) => viewer.mayOpen(href));
  return subnavTabs(
    S.subnavLabel,
    links.map(([key, href, label]) => ({ href, label, current: key === current })),
  );
}

export function renderPortalSettings(p: PortalSettingsParams): string {
  const errors = p.errors ?? {};
  const main = html`${fieldErrorSummary(FIELDS, errors)}
    <h1>${formatText(S.heading, { merchant: p.merchantName })}</h1>
    ${portalSettingsSubnav('settings', p.viewer)} ${noticeBox(p.notice)}
    <p>${S.intro}</p>
    <form
      class="form card"
      method="post"
      action="${PORTAL_SETTINGS_REVIEW_PATH}"
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

export interface PortalSettingsRangeConfirmParams {
  viewer: ConsoleViewer;
  /** Everything the form sent, carried to the real save unchanged. */
  values: Partial<PortalSettingsFormValues>;
  removed: readonly string[];
  kept: readonly string[];
}

/** The confirm step before allowed IP ranges are removed: which go, which stay, what follows. */
export function renderPortalSettingsRangeConfirm(p: PortalSettingsRangeConfirmParams): string {
  const R = S.removeRanges;
  const list = (ranges: readonly string[]) =>
    ranges.length
      ? html`<ul class="plain-list">
          ${ranges.map((range) => html`<li class="literal">${range}</li>`)}
        </ul>`
      : R.noneKept;
  const fields = Object.fromEntries(
    Object.entries(p.values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return renderConfirmStep({
    viewer: p.viewer,
    section: 'portal-settings',
    title: R.title,
    facts: [
      [R.removed, list(p.removed)],
      [R.kept, list(p.kept)],
    ],
    consequences: p.kept.length ? R.items : [R.opensAll, R.items[1]],
    action: PORTAL_SETTINGS_PATH,
    fields,
    confirmLabel: R.confirm,
    cancelLabel: R.back,
    cancelHref: PORTAL_SETTINGS_PATH,
  });
}
