import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '@madoguchi/common';
import type { HttpErrorBody } from '@madoguchi/http';
import { renderDeskErrorPage } from './error-page.view';
import { SHARED_TEXTS } from './shared.texts';
import { viewerOf } from './http.util';
import '../auth/request-context.type';

const T = SHARED_TEXTS.errors;

function textsFor(error: HttpErrorBody): { title: string; message: string } {
  if (error.code === ErrorCode.CsrfTokenInvalid) return T.csrf;
  switch (error.statusCode) {
    case 400:
      return T.badRequest;
    case 401:
      return T.unauthenticated;
    case 403:
      return T.forbidden;
    case 404:
      return T.notFound;
    case 409:
      return T.conflict;
    case 413:
      return T.payloadTooLarge;
    case 423:
      return T.locked;
    case 429:
      return T.tooManyRequests;
    case 503:
      return T.unavailable;
    default:
      return error.statusCode >= 500 ? T.internal : T.badRequest;
  }
}

/**
 * The desk's HTML error pages (everything outside /api/): Japanese, in the console layout, with
 * the nav when the session is known. 404 says nothing about whether a ticket exists elsewhere.
 */
export function renderDeskHtmlError(error: HttpErrorBody, request: FastifyRequest): string {
  const texts = textsFor(error);
  // A 500 shows its error id so support can find the log line; other messages are generic.
  const message =
    error.statusCode >= 500 && error.errorId ? `${texts.message} ${error.message}` : texts.message;
  const user = request.user;
  return renderDeskErrorPage({
    title: texts.title,
    message,
    status: error.statusCode,
    requestId: error.requestId,
    viewer: user && !user.mustEnrolTotp ? viewerOf(user) : null,
    next: error.statusCode === 401 ? 'login' : 'queues',
  });
}
