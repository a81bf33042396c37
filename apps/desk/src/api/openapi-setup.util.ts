import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const SESSION_COOKIE_NAME = 'madoguchi_session';
export const OPENAPI_SESSION_SCHEME = 'session';
export const OPENAPI_JSON_PATH = '/api/docs-json';
const DOCS_PATH = '/api/docs';

/**
 * The browsable page, without an inline script or style, so the app's strict CSP
 * (script-src/style-src 'self') holds here too.
 */
const DOCS_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Madoguchi desk API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/docs-init.js"></script>
</body>
</html>
`;

const DOCS_INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_JSON_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

/** The only files of swagger-ui-dist the page needs; nothing else of that folder is served. */
const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

/**
 * OpenAPI for the desk: JSON at `/api/docs-json`, the browsable page (Swagger UI) at `/api/docs`.
 *
 * Both are public on purpose: they are plain Fastify routes, outside the session guard. The
 * document describes routes, never data, and black-box checks read it.
 *
 * The page is served here rather than by SwaggerModule's UI option: that one registers
 * @fastify/static on the whole swagger-ui-dist folder and writes inline `<style>` elements
 * that the CSP would block.
 */
export function setupOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Madoguchi desk API')
    .setDescription(
      [
        'The REST API of the desk (agent console and merchant portal).',
        '',
        'Log in with `POST /api/v1/auth/login`; the session cookie `madoguchi_session` authenticates every',
        "other call. Every state-changing call (POST, PUT, PATCH, DELETE) also needs the session's",
        'CSRF token, returned by the login, in the header `X-CSRF-Token`.',
        '',
        "A merchant user sees only its own merchant's tickets: another merchant's ticket is 404, never 403.",
        'Errors are `{ statusCode, code, message }`, plus `errors: [{ field, message }]` on a 400.',
        'Live updates: `GET /api/v1/events` (Server-Sent Events, see docs/api.md).',
      ].join('\n'),
    )
    .setVersion('1')
    .addCookieAuth(
      SESSION_COOKIE_NAME,
      { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE_NAME },
      OPENAPI_SESSION_SCHEME,
    )
    .addSecurityRequirements(OPENAPI_SESSION_SCHEME)
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_JSON_PATH,
  });
  serveDocsPage(app);
}

function serveDocsPage(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get(DOCS_PATH, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(DOCS_HTML),
  );
  fastify.get(`${DOCS_PATH}/docs-init.js`, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(DOCS_INIT_JS),
  );
  const cache = new Map<string, Promise<Buffer>>();
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    fastify.get(`${DOCS_PATH}/${file}`, async (_request, reply) => {
      if (!cache.has(file)) cache.set(file, readFile(join(swaggerUiDistPath(), file)));
      const content = await (cache.get(file) as Promise<Buffer>);
      return reply.type(type).header('cache-control', 'public, max-age=3600').send(content);
    });
  }
}

/** swagger-ui-dist comes with @nestjs/swagger; resolve it from there. */
function swaggerUiDistPath(): string {
  const swaggerPackage = require.resolve('@nestjs/swagger');
  return dirname(require.resolve('swagger-ui-dist/package.json', { paths: [swaggerPackage] }));
}
