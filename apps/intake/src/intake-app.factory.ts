import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@madoguchi/config';
import { createFastifyApp, DatabaseRateLimitCounter, type HttpErrorBody } from '@madoguchi/http';
import { INTAKE_TEXTS } from './i18n/ja';
import { IntakeModule } from './intake.module';
import { renderErrorPage, renderNotFound } from './views';

function renderIntakeError(error: HttpErrorBody): string {
  const texts = INTAKE_TEXTS.errors;
  switch (error.statusCode) {
    case 404:
      return renderNotFound();
    case 413:
      return renderErrorPage({ ...texts.payloadTooLarge, status: 413 });
    case 429:
      return renderErrorPage({ ...texts.tooManyRequests, status: 429 });
    case 503:
      return renderErrorPage({ ...texts.serviceUnavailable, status: 503 });
    default:
      return renderErrorPage({ ...texts.internal, status: error.statusCode });
  }
}

/** Only writes and token lookups count against the per-IP limit; reading a form does not. */
function exemptFromRateLimit(request: FastifyRequest): boolean {
  return request.method === 'GET' && !request.url.startsWith('/status/');
}

/** Builds the intake app (used by main.ts and by the tests alike). Nest's Fastify adapter parses forms itself. */
export async function createIntakeApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await createFastifyApp(IntakeModule.forRoot(config), config, {
    bodyLimit: config.intake.bodyLimitBytes,
    renderHtmlError: renderIntakeError,
  });
  if (config.intake.rateLimitPerMinute > 0) {
    // Counted in the database, so the limit holds across every intake instance (docs/operations.md).
    const counter = new DatabaseRateLimitCounter(app.get(DataSource), 'intake');
    await app.register(rateLimit as never, {
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
