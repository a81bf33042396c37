import type { FastifyRequest } from 'fastify';
import { DomainException, ErrorCode } from '@madoguchi/common';

export const CROSS_SITE_LOGIN_MESSAGE =
  '別のサイトから送信されたログインは受け付けられません。ログイン画面から操作してください。';

/**
 * Login CSRF: a login has no session yet, so no session CSRF token can protect it. A browser
 * tells where a form post comes from (Sec-Fetch-Site on every request of current browsers,
 * Origin on every cross-origin POST); a post from another site would log the victim into the
 * attacker's account. Refused (403, before any password is checked) unless it comes from the
 * desk's own origin: Sec-Fetch-Site `same-origin` or `none` (typed or bookmarked), and an Origin,
 * when sent, equal to the request's own host or to DESK_PUBLIC_URL (`Origin: null`, which our
 * no-referrer policy makes browsers send, only with Sec-Fetch-Site `same-origin`). Clients that send neither
 * (scripts, the API's curl users) are no browser an attacker can drive and pass.
 */
export function assertSameOriginLogin(request: FastifyRequest, deskPublicUrl: string): void {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') throw refused();
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === '') return;
  // Our own pages say Referrer-Policy: no-referrer, so a browser posts their forms with
  // `Origin: null`; then only Sec-Fetch-Site can tell, and it must say same-origin.
  if (origin === 'null') {
    if (site === 'same-origin') return;
    throw refused();
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw refused();
  }
  const ownHost = request.headers.host;
  const publicHost = safeHost(deskPublicUrl);
  if (host !== ownHost && host !== publicHost) throw refused();
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

function refused(): DomainException {
  return new DomainException(ErrorCode.Forbidden, CROSS_SITE_LOGIN_MESSAGE);
}
