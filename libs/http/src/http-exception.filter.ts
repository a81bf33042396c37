import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type HttpErrorBody, toHttpError } from './http-error-body';

/** Renders an error for a browser (HTML routes) when the app gives a renderer. */
export type HtmlErrorRenderer = (error: HttpErrorBody, request: FastifyRequest) => string | null;

/** JSON for the API, Twilio and health routes; the app's HTML error page for everything else. */
export function wantsJson(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0];
  return path.startsWith('/api/') || path.startsWith('/twilio/') || path === '/healthz';
}

export function sendHttpError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  renderHtml?: HtmlErrorRenderer,
): void {
  // The id in the X-Request-Id header, shown on every HTML error page and in a 5xx JSON body.
  const body: HttpErrorBody = { ...toHttpError(error, request.id), requestId: request.id };
  if (body.statusCode === 429) void reply.header('retry-after', '60');
  const html = !wantsJson(request) && renderHtml ? renderHtml(body, request) : null;
  if (html !== null) {
    void reply.status(body.statusCode).type('text/html; charset=utf-8').send(html);
    return;
  }
  const { errorId: _errorId, requestId, ...publicBody } = body;
  // 4xx bodies stay `{statusCode, code, message}` (the header has the id); a 5xx names it too.
  void reply
    .status(body.statusCode)
    .type('application/json; charset=utf-8')
    .send(body.statusCode >= 500 ? { ...publicBody, requestId } : publicBody);
}

/** The one global filter (STYLE 11): every error leaves through toHttpError. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly renderHtml?: HtmlErrorRenderer) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendHttpError(
      error,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.renderHtml,
    );
  }
}
