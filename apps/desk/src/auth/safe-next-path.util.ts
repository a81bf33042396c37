import { ValidationFailedException } from '@madoguchi/common';

/**
 * Where to go after login: a local path only. Anything that a browser could read as another
 * origin (`//evil`, `/\evil`, `https://…`, control characters) falls back to `/`.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > NEXT_MAX_LENGTH) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // Browsers drop tabs and newlines inside URLs, so `/\t/evil` would become `//evil`.
  if (
    [...next].some(
      (char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f || char === '\\',
    )
  )
    return '/';
  try {
    // Resolving against a dummy origin must stay on it. The result is percent-encoded, so any
    // character (`/チケット`) can go into a Location header.
    const url = new URL(next, 'http://desk.invalid');
    if (url.origin !== 'http://desk.invalid') return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}

export const NEXT_MAX_LENGTH = 2000;

/**
 * The `next` field or parameter of the login routes: absent is `/`; a repeated field, a
 * non-string or one over {@link NEXT_MAX_LENGTH} characters is malformed: 400 before any
 * password is checked or session created. A well-formed but off-site target falls back to `/`
 * ({@link safeNextPath}).
 */
export function nextParameter(value: unknown): string {
  if (value === undefined || value === null || value === '') return '/';
  if (typeof value !== 'string' || value.length > NEXT_MAX_LENGTH) {
    throw new ValidationFailedException([
      { field: 'next', message: '戻り先（next）の形式が正しくありません。' },
    ]);
  }
  return safeNextPath(value);
}

/** The login page's URL for coming back to `path` afterwards. */
export function loginPathFor(path: string): string {
  const next = safeNextPath(path);
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
