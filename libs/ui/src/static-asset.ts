import { createHash } from 'node:crypto';

/**
 * A file the apps serve from code under a fixed path, with a content hash for its URL: pages
 * link `url` (`/assets/ui.css?v=<hash>`), so a browser may keep it for a year (the route answers
 * `immutable` to that version only) and a new build is a new URL, never a stale cached file.
 */
export interface StaticAsset {
  /** The route, e.g. `/assets/ui.css`. */
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
  /** The first 16 characters of the body's SHA-256, base64url. */
  readonly version: string;
  /** What pages link: the path with `?v=<version>`. */
  readonly url: string;
}

export function staticAsset(path: string, contentType: string, body: string): StaticAsset {
  const version = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  return { path, contentType, body, version, url: `${path}?v=${version}` };
}
