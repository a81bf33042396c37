import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Clock } from '@madoguchi/common';
import type { AppConfig } from '@madoguchi/config';
import {
  createFastifyApp,
  DatabaseRateLimitCounter,
  type HttpErrorBody,
  registerCompression,
} from '@madoguchi/http';
import { registerIntakeMultipart } from './attachments/intake-multipart.hook';
import { INTAKE_ATTACHMENT_TEXTS } from './attachments/attachments.texts';
import { IntakeModule } from './intake.module';
import { ERROR_PAGE_TEXTS } from './web/error-page.texts';
import { renderErrorPage, renderNotFound } from './web/error-page.view';

function renderIntakeError(error: HttpErrorBody): string {
  switch (error.statusCode) {
    case 404:
      return renderNotFound();
    case 411:
      return renderErrorPage({
        ...INTAKE_ATTACHMENT_TEXTS.lengthRequired,
        status: 411,
        requestId: error.requestId,
      });
    case 413:
      return renderErrorPage({
        ...ERROR_PAGE_TEXTS.payloadTooLarge,
        status: 413,
        requestId: error.requestId,
      });
    case 429:
      return renderErrorPage({
        ...ERROR_PAGE_TEXTS.tooManyRequests,
        status: 429,
        requestId: error.requestId,
      });
    case 503:
      return renderErrorPage({
        ...ERROR_PAGE_TEXTS.serviceUnavailable,
        status: 503,
        requestId: error.requestId,
      });
    default:
      return renderErrorPage({
        ...ERROR_PAGE_TEXTS.internal,
        status: error.statusCode,
        requestId: error.requestId,
      });
  }
}

/**
 * GET routes that count against the per-IP limit, named by the route the router matched
 * (`request.routeOptions.url`), never by the raw URL: `/%73tatus/…` or `/s/x/%69ncident` match
 * the same routes as their plain spelling and so are counted the same. Token lookups (the status
 * page writes a view audit) and the public incident page (one counter upsert per view, issue
 * 13.6) count like writes.
 */
export const RATE_LIMITED_GET_ROUTES: ReadonlySet<string> = new Set([
  '/status/:token',
  '/status/:token/attachments/:id',
  '/s/:site/incident',
]);

/**
 * Every request counts against the per-IP limit except a GET of a route not listed above
 * (reading a form, the thank-you page, assets, /healthz). A request no route matched (a 404)
 * counts too, so probing for tokens or sites is limited whatever the spelling.
 */
export function exemptFromRateLimit(request: FastifyRequest): boolean {
  // HEAD is a GET without a body: it counts the same.
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const route = request.routeOptions.url;
  return route !== undefined && !RATE_LIMITED_GET_ROUTES.has(route);
}

export interface IntakeAppOptions {
  /** The clock the services decide by (SLA, token expiry); tests inject a fixed one. */
  clock?: Clock;
}

/** Builds the intake app (used by main.ts and by the tests alike). Nest's Fastify adapter parses forms itself. */
export async function createIntakeApp(
  config: AppConfig,
  options: IntakeAppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await createFastifyApp(
    IntakeModule.forRoot(config, { clock: options.clock }),
    config,
    {
      name: 'intake',
      bodyLimit: config.intake.bodyLimitBytes,
      renderHtmlError: renderIntakeError,
    },
  );
  // Files on the form and the status page's reply only; every other route answers 415 to multipart.
  await registerIntakeMultipart(app, config.intake.bodyLimitBytes);
  // Pages, the stylesheet and JSON gzip/brotli-compressed for phones (no secret sits beside
  // chosen text here: a status page's token is its URL, which a stranger cannot request).
  await registerCompression(app);
  if (config.intake.rateLimitPerMinute > 0) {
    // Counted in the database, so the limit holds across every intake instance (docs/operations.md).
    const clock = app.get(Clock);
    const counter = new DatabaseRateLimitCounter(app.get(DataSource), 'intake', () =>
      clock.now().getTime(),
    );
    await app.register(rateLimit, {
      global: true,
      max: config.intake.rateLimitPerMinute,
      timeWindow: 60_000,
      store: counter.asStore(),
      // Database down: the request goes on to its handler, which answers 503 (not a 500 here).
      skipOnError: true,
      allowList: exemptFromRateLimit,
      errorResponseBuilder: () => Object.assign(new Error('rate limited'), { statusCode: 429 }),
    });
  }
  return app;
}
