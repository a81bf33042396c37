import helmet from '@fastify/helmet';
import { type DynamicModule, type LogLevel, type Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@madoguchi/config';
import { type HtmlErrorRenderer, HttpExceptionFilter } from './http-exception.filter';
import { recordRoutes } from './route-table.util';
import { validationExceptionFactory } from './validation-exception.factory';

export interface FastifyAppOptions {
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
    trustProxy: config.http.trustProxy,
    // Only the methods a route declares are open; HEAD is not added implicitly to GET routes.
    exposeHeadRoutes: false,
    return503OnClosing: true,
  });
  recordRoutes(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: logLevelsFor(config),
  });
  app.useGlobalFilters(new HttpExceptionFilter(options.renderHtmlError));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  await app.register(helmet as never, {
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
