import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '@madoguchi/common';
import type { AppConfig } from '@madoguchi/config';
import { createFastifyApp, registerCompression } from '@madoguchi/http';
import { OutboxAdminService } from '@madoguchi/mail';
import { IpRefusedFilter } from './auth/ip-refused.filter';
import { LoginRedirectFilter } from './auth/login-redirect.filter';
import { registerMultipartUploads } from './auth/multipart-upload.hook';
import { publishPageAccess } from './auth/page-access';
import { registerPreBodyGate, routeRules } from './auth/pre-body-gate.hook';
import { sessionTokenOf } from './auth/session-cookie.util';
import { setupOpenApi } from './api/openapi-setup.util';
import { offerDevMailboxInAdminMenu } from './admin/shared/admin-subnav.view';
import { renderDeskHtmlError } from './web/html-error.renderer';
import { DeskModule } from './desk.module';

export interface DeskAppOptions {
  /** The clock every service decides by (SLA, claims, sessions, jobs); tests inject a fixed one. */
  clock?: Clock;
}

/** Builds the desk app (used by main.ts and by the tests alike). */
export async function createDeskApp(
  config: AppConfig,
  options: DeskAppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await createFastifyApp(DeskModule.forRoot(config, { clock: options.clock }), config, {
    name: 'desk',
    // The outbox backlog is read from the database at each scrape of the desk (docs/operations.md).
    metricsCollector: (desk) => () => desk.get(OutboxAdminService).refreshBacklogGauge(),
    renderHtmlError: renderDeskHtmlError,
    // The Voice SDK signals over Twilio's WebSocket and plays its ring tones from Twilio.
    contentSecurityPolicy: {
      connectSrc: ['https://*.twilio.com', 'wss://*.twilio.com'],
      mediaSrc: ['https://sdk.twilio.com'],
    },
  });
  // No @fastify/cookie: its dynamic import() breaks under jest; the auth layer reads its one cookie itself.
  // Registered after the catch-all error filter, so Nest tries it first (it only catches the guard's redirects).
  app.useGlobalFilters(new LoginRedirectFilter(), new IpRefusedFilter());
  setupOpenApi(app);
  // The dev mailbox shows every mail in full: offered outside production only.
  offerDevMailboxInAdminMenu(!config.isProduction);
  // Menus offer a page only to the roles its route's guard lets in (auth/page-access.ts).
  publishPageAccess(routeRules(app));
  // Session, IP list, role and a header CSRF token are checked before any body is read.
  registerPreBodyGate(app, renderDeskHtmlError);
  // Multipart only on the routes marked @CsrfInMultipartParts (415 elsewhere); see the hook.
  await registerMultipartUploads(app);
  // Assets, JSON and the login page compressed; signed-in pages not (BREACH, see the option).
  await registerCompression(app, { skip: isSignedInPage });
  return app;
}

/** An HTML answer to a request with a session cookie: it carries that session's CSRF token. */
function isSignedInPage(request: FastifyRequest, reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type');
  return String(type ?? '').startsWith('text/html') && sessionTokenOf(request) !== null;
}
