/**
 * URL checks for values that come from settings rather than code. Escaping stops markup
 * injection, but not `javascript:` or `data:` URLs, so only known-good schemes pass.
 */

/** An image source we are willing to load: an https URL or one of our own assets. */
export function isSafeImageUrl(url: string | null | undefined): url is string {
  if (!url) return false;
  if (url.startsWith('/assets/')) return !url.includes('..');
  return url.startsWith('https://') && URL.canParse(url);
}

/** A link target for an external page: http(s) only. */
export function isHttpUrl(url: string | null | undefined): url is string {
  if (!url || !/^https?:\/\//i.test(url) || !URL.canParse(url)) return false;
  const { protocol } = new URL(url);
  return protocol === 'https:' || protocol === 'http:';
}
