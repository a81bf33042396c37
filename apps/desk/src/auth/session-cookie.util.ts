import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '@madoguchi/auth';

/*
 * The desk reads and writes its one cookie itself. @fastify/cookie 11 loads its parser with a
 * dynamic import(), which jest's CommonJS runtime cannot run, and a single cookie whose value is
 * base64url needs no general parser.
 */

/** The session token from the Cookie header, or null. */
export function sessionTokenOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === SESSION_COOKIE)
      return part.slice(separator + 1).trim() || null;
  }
  return null;
}

/**
 * The session cookie: HttpOnly (no script reads it), Secure in production, Path=/.
 * SameSite=Lax rather than Strict: a link to a ticket from a mail or chat opens it logged in,
 * while cross-site POSTs (the CSRF vector) still arrive without the cookie, and every
 * state-changing request needs the session's CSRF token anyway. No Max-Age: the cookie ends with
 * the browser, the server ends the session after its idle or absolute limit.
 */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  appendSetCookie(
    reply,
    `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
  );
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  appendSetCookie(
    reply,
    `${SESSION_COOKIE}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
  );
}

function appendSetCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('set-cookie');
  const all =
    existing === undefined
      ? []
      : Array.isArray(existing)
        ? existing.map(String)
        : [String(existing)];
  void reply.header('set-cookie', [...all, cookie]);
}
