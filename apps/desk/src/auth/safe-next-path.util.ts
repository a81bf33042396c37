/**
 * Where to go after login: a local path only. Anything that a browser could read as another
 * origin (`//evil`, `/\evil`, `https://…`, control characters) falls back to `/`.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // Browsers drop tabs and newlines inside URLs, so `/\t/evil` would become `//evil`.
  if (
    [...next].some(
      (char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f || char === '\\',
    )
  )
    return '/';
  try {
    // Resolving against a dummy origin must stay on it.
    if (new URL(next, 'http://desk.invalid').origin !== 'http://desk.invalid') return '/';
  } catch {
    return '/';
  }
  return next;
}

/** The login page's URL for coming back to `path` afterwards. */
export function loginPathFor(path: string): string {
  const next = safeNextPath(path);
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
