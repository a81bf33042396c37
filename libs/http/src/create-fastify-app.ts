import helmet from '@fastify/helmet';
import { type DynamicModule, type LogLevel, type Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@madoguchi/config';
import { type HtmlErrorRenderer, HttpExceptionFilter } from './http-exception.filter';
import { AppLogger } from './logging/app-logger';
import { requestIdGenerator } from './logging/request-context';
import { installRequestLogging } from './logging/request-logging';
import { installMetrics, type MetricsApp, type MetricsCollector } from './metrics/metrics-endpoint';
import { addNoStoreDefault } from './no-store.hook';
import { recordRoutes } from './route-table.util';
import { validationExceptionFactory } from './validation-exception.factory';

export interface FastifyAppOptions {
  /** Which app this is: the `app` field of its log lines and metrics, its metrics port offset. */
  name?: MetricsApp;
  /** Figures the app refreshes when scraped (the desk: the outbox backlog). */
  metricsCollector?: (app: NestFastifyApplication) => MetricsCollector;
  bodyLimit?: number;
  renderHtmlError?: HtmlErrorRenderer;
  /** Extra CSP sources for one app (the desk's in-browser calls reach Twilio). */
  contentSecurityPolicy?: { connectSrc?: string[]; mediaSrc?: string[] };
}

export function logLevelsFor(config: AppConfig): LogLevel[] {
  return config.nodeEnv === 'test' ? ['fatal', 'error'] : ['fatal', 'error', 'warn', 'log'];
}

/**
 * Every app runs on Fastify (DESIGN, performance), with the same global pipe, error filter and
 * security headers; routes are registered by the app's module.
 */
export async function createFastifyApp(
  module: Type | DynamicModule,
  config: AppConfig,
  options: FastifyAppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: fastifyTrustProxy(config.http.trustProxy),
    // Every GET route answers HEAD like GET without a body (uptime checks send HEAD); no other
    // method is added. A handler with a side effect per view counts GETs only.
    exposeHeadRoutes: true,
    return503OnClosing: true,
    // X-Request-Id: a fresh id, or the trusted proxy's (docs/operations.md, "Logs").
    genReqId: requestIdGenerator(Boolean(config.http.trustProxy)),
  });
  recordRoutes(adapter.getInstance());
  addNoStoreDefault(adapter.getInstance());
  // JSON lines through pino for everything Nest and the code log (docs/operations.md).
  const name = options.name ?? 'app';
  const logger = new AppLogger({ app: name, levels: logLevelsFor(config) });
  installRequestLogging(adapter.getInstance(), logger, name);
  // The collector needs the app, which does not exist yet: the scrape reads it when it runs.
  const scrape: { collector?: MetricsCollector } = {};
  installMetrics(adapter.getInstance(), config, name, () => scrape.collector);
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { logger });
  scrape.collector = options.metricsCollector?.(app);
  app.useGlobalFilters(new HttpExceptionFilter(options.renderHtmlError));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        styleSrc: ["'self'"],
        // Only style attributes (a site's brand colour on <body>), never <style> elements.
        styleSrcAttr: ["'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", ...(options.contentSecurityPolicy?.connectSrc ?? [])],
        mediaSrc: ["'self'", ...(options.contentSecurityPolicy?.mediaSrc ?? [])],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    hsts: config.isProduction ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  // Exit 0 after a clean shutdown (a bound on its length: enforceShutdownDeadline in main.ts).
  app.enableShutdownHooks([], { useProcessExit: true });
  return app;
}

/**
 * TRUST_PROXY as Fastify takes it. A hop count becomes the function Fastify itself builds from a
 * number (trust the nearest `hops` addresses of the chain), as the adapter's type has no number.
 */
export function fastifyTrustProxy(
  setting: AppConfig['http']['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address: string, hop: number) => hop < setting;
}
