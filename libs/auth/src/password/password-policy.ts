import type { FieldError } from '@madoguchi/common';
import { COMMON_PASSWORDS_TEXT } from './common-passwords.constant';

export const PASSWORD_MIN_LENGTH = 12;
// argon2 hashes anything, but a megabyte "password" is only a way to burn CPU.
export const PASSWORD_MAX_LENGTH = 256;

let commonPasswords: Set<string> | undefined;
const DIGIT_RUN = '1234567890'.repeat(4);

/** The bundled list (lower-cased), read once on first use. */
function common(): Set<string> {
  commonPasswords ??= new Set(COMMON_PASSWORDS_TEXT.split('\n'));
  return commonPasswords;
}

/**
 * Whether a password is, or is built on, a well-known one: the bundled list of the 10,000 most
 * common leaked passwords, compared lower-cased, also with digits and symbols stripped from
 * either end (`Password1234!` is `password`), and any one short unit repeated (`abcabcabcabc`).
 * No network: the list ships with the code.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.normalize('NFKC').toLowerCase();
  const list = common();
  const stripped = [
    lower,
    lower.replace(/[\d\W_]+$/u, ''),
    lower.replace(/^[\d\W_]+/u, ''),
    lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, ''),
  ];
  if (stripped.some((candidate) => candidate !== '' && list.has(candidate))) return true;
  // A run along the digit row (123456789012, 0987654321098).
  if (
    /^\d+$/.test(lower) &&
    (DIGIT_RUN.includes(lower) || [...DIGIT_RUN].reverse().join('').includes(lower))
  ) {
    return true;
  }
  // One unit of up to six characters, repeated (aaaaaaaaaaaa, 123123123123, abcabcabcabc).
  return /^(.{1,6})\1+$/u.test(lower);
}

/**
 * The parts of a user's identity a password must not contain: the email address, its name part
 * (before the @), the display name and each of its words, when four characters or more.
 */
function identityParts(identity: { email?: string; displayName?: string }): string[] {
  const email = (identity.email ?? '').normalize('NFKC').toLowerCase();
  const name = (identity.displayName ?? '').normalize('NFKC').toLowerCase().trim();
  const parts = [email, email.split('@')[0] ?? '', name.replace(/\s+/g, ''), ...name.split(/\s+/)];
  return [...new Set(parts.map((part) => part.trim()).filter((part) => [...part].length >= 4))];
}

export interface NewPasswordInput {
  password: string;
  confirmation: string;
}

/**
 * The password rule of every place a password is chosen (invitation, change, reset): 12 to 256
 * characters, not a common or breached-list password, not containing the user's email address,
 * its name part or their display name, and the confirmation equal. Field errors `password` and
 * `confirmation`, in Japanese.
 */
export function newPasswordErrors(
  input: NewPasswordInput,
  identity: { email?: string; displayName?: string } = {},
): FieldError[] {
  const errors: FieldError[] = [];
  const length = [...input.password].length;
  const lower = input.password.normalize('NFKC').toLowerCase();
  if (length < PASSWORD_MIN_LENGTH) {
    errors.push({
      field: 'password',
      message: `パスワードは${PASSWORD_MIN_LENGTH}文字以上で入力してください。`,
    });
  } else if (length > PASSWORD_MAX_LENGTH) {
    errors.push({
      field: 'password',
      message: `パスワードは${PASSWORD_MAX_LENGTH}文字以内で入力してください。`,
    });
  } else if (isCommonPassword(input.password)) {
    errors.push({
      field: 'password',
      message:
        'よく使われているパスワード、または流出したパスワードの一覧にあるパスワードは使えません。推測されにくい別のパスワードにしてください。',
    });
  } else if (identityParts(identity).some((part) => lower.includes(part))) {
    errors.push({
      field: 'password',
      message: 'メールアドレスや表示名を含むパスワードは使えません。',
    });
  }
  if (input.confirmation !== input.password) {
    errors.push({ field: 'confirmation', message: '確認用のパスワードが一致しません。' });
  }
  return errors;
}
