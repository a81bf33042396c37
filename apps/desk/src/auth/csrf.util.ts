import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export const CSRF_FORM_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isStateChanging(method: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase());
}

/** The token a request carries: the X-CSRF-Token header (fetch, API) or the `_csrf` form field. */
export function csrfTokenOf(request: FastifyRequest): string | null {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const field = (body as Record<string, unknown>)[CSRF_FORM_FIELD];
    if (typeof field === 'string' && field !== '') return field;
  }
  return null;
}

/**
 * Takes `_csrf` out of a form body once checked, so the handlers' DTOs (whitelist +
 * forbidNonWhitelisted) never see it.
 */
export function stripCsrfField(request: FastifyRequest): void {
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body))
    delete (body as Record<string, unknown>)[CSRF_FORM_FIELD];
}

/** Constant-time comparison of the sent token with the session's. */
export function csrfTokenMatches(sent: string | null, expected: string): boolean {
  if (sent === null) return false;
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
