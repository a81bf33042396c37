import { isValidIpRange } from '@madoguchi/auth';
import { type FieldError, isTokyoDate, tokyoDayEnd } from '@madoguchi/common';

/** A merchant as the admin form sends it: text fields, parsed and checked here. */
export interface MerchantInput {
  code: string;
  name: string;
  /** Comma- or line-separated addresses. */
  notificationEmails: string;
  /** Comma-, space- or line-separated CIDR ranges (IPv4 or IPv6) or single addresses. */
  allowedIpRanges: string;
  retentionDays: string;
  /** 'YYYY-MM-DD' (Tokyo), or '' for no agreed end. */
  supportEndsOn: string;
}

export interface MerchantValues {
  code: string;
  name: string;
  notificationEmails: string[];
  allowedIpRanges: string[];
  retentionDays: number;
  supportEndsAt: Date | null;
}

/** A site as the admin form sends it. */
export interface SiteInput {
  slug: string;
  displayName: string;
  logoUrl: string;
  brandColor: string;
  contactUrl: string;
  contactText: string;
  senderName: string;
  intakeOpen: boolean;
  phoneCode: string;
  /**
   * The site's further inbound address (issue 14): a whole address forwarded to the desk, or a
   * local part at the inbound domain; '' for none. Left out: the stored alias stays as it is.
   */
  inboundAlias?: string;
}

export interface SiteValues {
  slug: string;
  displayName: string;
  logoUrl: string | null;
  brandColor: string;
  contactUrl: string | null;
  contactText: string | null;
  senderName: string;
  intakeOpen: boolean;
  phoneCode: string | null;
  /** Lower-case; null for none; absent when the input left it out (unchanged). */
  inboundAlias?: string | null;
}

export const MERCHANT_LIMITS = {
  nameMax: 200,
  notificationEmailsMax: 20,
  allowedIpRangesMax: 50,
  retentionDaysMin: 1,
  retentionDaysMax: 3650,
} as const;

export const SITE_LIMITS = { displayNameMax: 200, urlMax: 500, textMax: 500, senderNameMax: 200 };

const MERCHANT_CODE = /^[a-z0-9][a-z0-9-]{1,31}$/;
// The intake's SiteService accepts exactly these (no leading or trailing hyphen); 3 to 64 long.
const SITE_SLUG = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
const BRAND_COLOR = /^#[0-9a-fA-F]{6}$/;
const PHONE_CODE = /^\d{2,6}$/;
// A local part at the inbound domain: no `+` (the reply addresses' `reply+<token>` form).
const INBOUND_LOCAL_PART = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;
// A practical address check (not RFC 5322): one @, no spaces or quotes, a dotted domain.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
// Control characters would break a mail header (sender name) or a one-line display.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function splitList(text: string, separators: RegExp): string[] {
  return [
    ...new Set(
      text
        .split(separators)
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
}

function singleLine(
  errors: FieldError[],
  field: string,
  label: string,
  value: string,
  max: number,
  required: boolean,
): string {
  const text = value.trim();
  if (required && text === '') errors.push({ field, message: `${label}を入力してください。` });
  else if (text.length > max)
    errors.push({ field, message: `${label}は${max}文字以内で入力してください。` });
  else if (CONTROL.test(text))
    errors.push({ field, message: `${label}に改行や制御文字は使えません。` });
  return text;
}

/** The instant a Tokyo date ends (23:59:59, whole seconds so MySQL and SQLite store the same). */
export function tokyoEndOfDay(date: string): Date | null {
  // isTokyoDate rejects dates that would roll over, such as 2026-02-30.
  return isTokyoDate(date) ? new Date(tokyoDayEnd(date).getTime() - 1000) : null;
}

/** A notification address list (comma-, 、- or space-separated); pushes its field error. */
export function validateNotificationEmails(errors: FieldError[], text: string): string[] {
  const notificationEmails = splitList(text, /[,、\s]+/);
  const badEmail = notificationEmails.find((email) => email.length > 254 || !EMAIL.test(email));
  if (badEmail !== undefined) {
    errors.push({
      field: 'notificationEmails',
      message: `メールアドレスの形式が正しくありません: ${badEmail.slice(0, 100)}`,
    });
  } else if (notificationEmails.length > MERCHANT_LIMITS.notificationEmailsMax) {
    errors.push({
      field: 'notificationEmails',
      message: `通知先メールアドレスは${MERCHANT_LIMITS.notificationEmailsMax}件までです。`,
    });
  }
  return notificationEmails;
}

/** An allowed IP range list (IPv4/IPv6 CIDR or single addresses); pushes its field error. */
export function validateAllowedIpRanges(errors: FieldError[], text: string): string[] {
  const allowedIpRanges = splitList(text, /[,、\s]+/);
  const badRange = allowedIpRanges.find((range) => range.length > 64 || !isValidIpRange(range));
  if (badRange !== undefined) {
    errors.push({
      field: 'allowedIpRanges',
      message: `IPアドレス範囲（CIDR）の形式が正しくありません: ${badRange.slice(0, 100)}`,
    });
  } else if (allowedIpRanges.length > MERCHANT_LIMITS.allowedIpRangesMax) {
    errors.push({
      field: 'allowedIpRanges',
      message: `IPアドレス範囲は${MERCHANT_LIMITS.allowedIpRangesMax}件までです。`,
    });
  }
  return allowedIpRanges;
}

/** Checks every field; returns the values to store or every field's error (nothing partial). */
export function validateMerchantInput(
  input: MerchantInput,
): { values: MerchantValues; errors: [] } | { values: null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const code = input.code.trim();
  if (!MERCHANT_CODE.test(code)) {
    errors.push({
      field: 'code',
      message: '加盟店コードは半角英小文字・数字・ハイフンの2〜32文字で入力してください。',
    });
  }
  const name = singleLine(errors, 'name', '加盟店名', input.name, MERCHANT_LIMITS.nameMax, true);

  const notificationEmails = validateNotificationEmails(errors, input.notificationEmails);
  const allowedIpRanges = validateAllowedIpRanges(errors, input.allowedIpRanges);

  const retentionText = input.retentionDays.trim();
  const retentionDays = /^\d{1,4}$/.test(retentionText) ? Number(retentionText) : NaN;
  if (!(
    retentionDays >= MERCHANT_LIMITS.retentionDaysMin &&
    retentionDays <= MERCHANT_LIMITS.retentionDaysMax
  )) {
    errors.push({
      field: 'retentionDays',
      message: `保存日数は${MERCHANT_LIMITS.retentionDaysMin}〜${MERCHANT_LIMITS.retentionDaysMax}の整数で入力してください。`,
    });
  }

  const supportText = input.supportEndsOn.trim();
  const supportEndsAt = supportText === '' ? null : tokyoEndOfDay(supportText);
  if (supportText !== '' && supportEndsAt === null) {
    errors.push({
      field: 'supportEndsOn',
      message: 'サポート終了日は実在する日付を YYYY-MM-DD の形式で入力してください。',
    });
  }

  if (errors.length > 0) return { values: null, errors };
  return {
    values: { code, name, notificationEmails, allowedIpRanges, retentionDays, supportEndsAt },
    errors: [],
  };
}

function optionalUrl(
  errors: FieldError[],
  field: string,
  label: string,
  value: string,
  protocols: readonly string[],
): string | null {
  const text = value.trim();
  if (text === '') return null;
  let ok = text.length <= SITE_LIMITS.urlMax && !CONTROL.test(text) && URL.canParse(text);
  // The scheme decides what a browser does with the link: javascript:, data: and the like never pass.
  if (ok) ok = protocols.includes(new URL(text).protocol);
  if (!ok) {
    const schemes = protocols.map((p) => p.replace(':', '')).join(' または ');
    errors.push({
      field,
      message: `${label}は ${schemes} のURL（${SITE_LIMITS.urlMax}文字以内）で入力してください。`,
    });
  }
  return text;
}

/**
 * A site's inbound alias as typed: a whole address (checked like any address) or a local part at
 * the inbound domain; lower-cased, since mail systems match addresses without case.
 */
export function validateInboundAlias(errors: FieldError[], value: string): string | null {
  const text = value.trim().toLowerCase();
  if (text === '') return null;
  const ok = text.includes('@')
    ? text.length <= 254 && EMAIL.test(text)
    : INBOUND_LOCAL_PART.test(text);
  if (!ok) {
    errors.push({
      field: 'inboundAlias',
      message:
        '受信用メールアドレス（別名）は、メールアドレス（例: support@shop.example.jp）か、受信用ドメインの @ より前の部分（半角英小文字・数字と . _ -、64文字まで）で入力してください。',
    });
  }
  return text;
}

/**
 * One spelling per address: an alias at the inbound domain itself is kept as its local part
 * (`support-a@inbound.example` → `support-a`), which must then be a valid local part.
 */
export function inboundAliasForDomain(
  errors: FieldError[],
  alias: string,
  inboundDomain: string,
): string {
  const at = alias.lastIndexOf('@');
  if (at < 0 || alias.slice(at + 1) !== inboundDomain.toLowerCase()) return alias;
  const local = alias.slice(0, at);
  if (!INBOUND_LOCAL_PART.test(local)) {
    errors.push({
      field: 'inboundAlias',
      message: `受信用ドメイン（${inboundDomain}）のアドレスでは、@ より前を半角英小文字・数字と . _ - だけにしてください（+ は使えません）。`,
    });
  }
  return local;
}

export function validateSiteInput(
  input: SiteInput,
): { values: SiteValues; errors: [] } | { values: null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const slug = input.slug.trim();
  if (!SITE_SLUG.test(slug)) {
    errors.push({
      field: 'slug',
      message:
        'スラッグは半角英小文字・数字・ハイフンの3〜64文字で、先頭と末尾は英数字にしてください。',
    });
  }
  const displayName = singleLine(
    errors,
    'displayName',
    '表示名',
    input.displayName,
    SITE_LIMITS.displayNameMax,
    true,
  );
  const logoUrl = optionalUrl(errors, 'logoUrl', 'ロゴ画像のURL', input.logoUrl, ['https:']);
  const brandColor = input.brandColor.trim();
  if (!BRAND_COLOR.test(brandColor)) {
    errors.push({
      field: 'brandColor',
      message: 'ブランドカラーは #rrggbb の形式（例: #0b5fff）で入力してください。',
    });
  }
  const contactUrl = optionalUrl(
    errors,
    'contactUrl',
    '加盟店の問い合わせ先URL',
    input.contactUrl,
    ['https:', 'http:'],
  );
  const contactText = input.contactText.trim();
  if (contactText.length > SITE_LIMITS.textMax) {
    errors.push({
      field: 'contactText',
      message: `加盟店の問い合わせ先の説明は${SITE_LIMITS.textMax}文字以内で入力してください。`,
    });
  }
  const senderName = singleLine(
    errors,
    'senderName',
    '送信者名',
    input.senderName,
    SITE_LIMITS.senderNameMax,
    true,
  );
  const phoneText = input.phoneCode.trim();
  if (phoneText !== '' && !PHONE_CODE.test(phoneText)) {
    errors.push({ field: 'phoneCode', message: '電話コードは半角数字2〜6桁で入力してください。' });
  }
  const inboundAlias =
    input.inboundAlias === undefined ? undefined : validateInboundAlias(errors, input.inboundAlias);
  if (errors.length > 0) return { values: null, errors };
  return {
    values: {
      slug,
      displayName,
      logoUrl,
      brandColor: brandColor.toLowerCase(),
      contactUrl,
      contactText: contactText === '' ? null : contactText,
      senderName,
      intakeOpen: input.intakeOpen,
      phoneCode: phoneText === '' ? null : phoneText,
      ...(inboundAlias === undefined ? {} : { inboundAlias }),
    },
    errors: [],
  };
}
