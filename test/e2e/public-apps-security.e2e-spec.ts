import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { FixedClock } from '@madoguchi/common';
import { hashSecretToken } from '@madoguchi/crypto';
import { registeredRoutes } from '@madoguchi/http';
import { startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { captureQueries, fillRoutePath, tableDigests } from '../support/security-test';
import { startTelephonyApp } from '../support/telephony-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 6: the internet-facing apps hold the least power. Their route tables hold no desk route;
 * every route answers only the methods it needs (the 2016 breach began with an open HTTP PUT);
 * the status-page token is 256 random bits, looked up by its SHA-256 digest, rate limited, and a
 * malformed one never reaches the database.
 */

/** Routes the intake and telephony apps share with the desk on purpose: no staff data behind them. */
const SHARED_WITH_DESK = new Set(['GET /healthz', 'GET /assets/ui.css', 'GET /assets/favicon.svg']);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'OPTIONS', 'HEAD'] as const;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

type AppName = 'desk' | 'intake' | 'telephony';

describe(`public apps: routes, methods and the status token (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  const apps = {} as Record<AppName, NestFastifyApplication>;
  let tenant: TestTenant;

  /** The routes an app declares; HEAD is every GET without a body (checked on its own below). */
  const keysOf = (app: NestFastifyApplication): string[] => [
    ...new Set(
      registeredRoutes(app)
        .filter((route) => route.method !== 'HEAD')
        .map((route) => `${route.method} ${route.url}`),
    ),
  ];

  const submit = async (): Promise<{ reference: string; token: string }> => {
    const response = await request(apps.intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const body = response.body as { reference: string; statusUrl: string };
    return { reference: body.reference, token: body.statusUrl.split('/').pop() as string };
  };

  const send = (app: NestFastifyApplication, method: string, path: string): request.Test => {
    const agent = request(app.getHttpServer());
    const verb = method.toLowerCase() as 'get';
    return agent[verb](path);
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource);
    apps.desk = await startDeskApp(testEnv);
    apps.intake = await startIntakeApp(testEnv);
    apps.telephony = await startTelephonyApp(testEnv, new FixedClock('2026-11-26T11:00:00+09:00'));
  });

  afterAll(async () => {
    for (const app of Object.values(apps)) await app?.close();
    await testEnv?.cleanup();
  });

  describe('no staff route on the public apps', () => {
    it('should register exactly the intake’s public routes (a new one is a reviewed change)', () => {
      expect(keysOf(apps.intake).sort()).toEqual(
        [
          'GET /healthz',
          'GET /assets/ui.css',
          'GET /assets/favicon.svg',
          'POST /api/v1/sites/:site/inquiries',
          'GET /s/:site',
          'POST /s/:site',
          'GET /s/:site/thanks',
          // The public incident page (issue 13.6): reads approved faq answers, counts a view.
          'GET /s/:site/incident',
          'GET /status/:token',
          'POST /status/:token/leak-check',
          'POST /status/:token/leak-check/verify',
          'POST /status/:token/replies',
          // Issue 14: the status page's files by token, and the status-link recovery page.
          'GET /status/:token/attachments/:id',
          'GET /s/:site/status-link',
          'POST /s/:site/status-link',
        ].sort(),
      );
    });

    it('should write nothing but its per-site view counter on the incident page', async () => {
      const before = await tableDigests(testEnv.dataSource, ['faq_page_stats']);
      await request(apps.intake.getHttpServer()).get(`/s/${tenant.site.slug}/incident`).expect(200);
      await request(apps.intake.getHttpServer()).get('/s/no-such-site/incident').expect(404);
      expect(await tableDigests(testEnv.dataSource, ['faq_page_stats'])).toEqual(before);
    });

    it.each(['intake', 'telephony'] as const)(
      'should register none of the desk’s routes on the %s app',
      (name) => {
        const desk = new Set(keysOf(apps.desk));
        const shared = keysOf(apps[name]).filter(
          (key) => desk.has(key) && !SHARED_WITH_DESK.has(key),
        );
        expect(shared).toEqual([]);
        // Nor any path under the desk's own prefixes, whatever the method.
        const staffish = keysOf(apps[name]).filter((key) =>
          /^\S+ \/(api\/v1\/(auth|tickets|queues|calls|events|canned)|admin|portal|supervisor|login|tickets|queues|calls|search|invite|api\/docs)/.test(
            key,
          ),
        );
        expect(staffish).toEqual([]);
      },
    );

    it.each(['intake', 'telephony'] as const)(
      'should answer 404 on the %s app to every desk route, writing nothing',
      async (name) => {
        const before = await tableDigests(testEnv.dataSource);
        const answered: string[] = [];
        for (const key of keysOf(apps.desk)) {
          if (SHARED_WITH_DESK.has(key)) continue;
          const [method, url] = key.split(' ');
          const response = await send(apps[name], method, fillRoutePath(url));
          if (response.status !== 404) answered.push(`${key} → ${response.status}`);
        }
        expect(answered).toEqual([]);
        expect(await tableDigests(testEnv.dataSource)).toEqual(before);
      },
    );
  });

  describe('HEAD, as uptime checks send it', () => {
    it.each(['intake', 'telephony', 'desk'] as const)(
      'should answer HEAD on every GET route of the %s app like GET, without a body',
      async (name) => {
        const app = apps[name];
        const { token } = await submit();
        const routes = registeredRoutes(app);
        const heads = new Set(routes.filter((r) => r.method === 'HEAD').map((r) => r.url));
        const gets = [...new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url))];
        expect(gets.filter((url) => !heads.has(url))).toEqual([]);
        const differ: string[] = [];
        for (const url of gets) {
          const path = fillRoutePath(url, { site: tenant.site.slug, token });
          const get = await send(app, 'GET', path);
          const head = await send(app, 'HEAD', path);
          const same =
            head.status === get.status &&
            head.headers['content-type'] === get.headers['content-type'] &&
            (head.text ?? '') === '';
          if (!same) differ.push(`${url}: GET ${get.status}, HEAD ${head.status}`);
        }
        expect(differ).toEqual([]);
      },
    );

    it('should serve the shopper form to HEAD with its length and no body', async () => {
      const get = await request(apps.intake.getHttpServer())
        .get(`/s/${tenant.site.slug}`)
        .expect(200);
      const head = await request(apps.intake.getHttpServer())
        .head(`/s/${tenant.site.slug}`)
        .expect(200);
      expect(head.headers['content-type']).toMatch(/^text\/html/);
      expect(head.text ?? '').toBe('');
      expect(Number(head.headers['content-length'])).toBeGreaterThan(1000);
      expect(get.text.length).toBeGreaterThan(1000);
    });
  });

  describe('only the methods a route needs', () => {
    it.each(['intake', 'telephony', 'desk'] as const)(
      'should answer 404/405 on the %s app to every method a route does not declare (PUT, DELETE, PATCH, TRACE, OPTIONS, HEAD…), writing nothing',
      async (name) => {
        const app = apps[name];
        const { token } = await submit();
        const byPath = new Map<string, Set<string>>();
        for (const { method, url } of registeredRoutes(app)) {
          byPath.set(url, (byPath.get(url) ?? new Set()).add(method));
        }
        // `/api/v1/tickets/search` is also `/api/v1/tickets/:reference`: a method that another
        // route declares for the same concrete path is open on purpose.
        const patterns = registeredRoutes(app).map(({ method, url }) => ({
          method,
          pattern: new RegExp(`^${url.replace(/:[^/]+/g, '[^/]+')}$`),
        }));
        const declaredFor = (method: string, path: string): boolean =>
          patterns.some((route) => route.method === method && route.pattern.test(path));
        const before = await tableDigests(testEnv.dataSource);
        const open: string[] = [];
        let tried = 0;
        for (const [url, declared] of byPath) {
          const path = fillRoutePath(url, { site: tenant.site.slug, token });
          for (const method of METHODS) {
            if (declared.has(method) || declaredFor(method, path)) continue;
            tried++;
            const response = await send(app, method, path).send(
              method === 'GET' || method === 'HEAD' || method === 'TRACE' ? undefined : '<?php ?>',
            );
            if (![404, 405].includes(response.status)) {
              open.push(`${method} ${url} → ${response.status}`);
            }
          }
        }
        expect(tried).toBeGreaterThan(byPath.size * 4);
        expect(open).toEqual([]);
        expect(await tableDigests(testEnv.dataSource)).toEqual(before);
      },
    );

    it('should serve nothing from a path the client chooses: no wildcard route on any app', () => {
      const wildcards = (['desk', 'intake', 'telephony'] as const).flatMap((name) =>
        keysOf(apps[name])
          .filter((key) => key.includes('*'))
          .map((key) => `${name}: ${key}`),
      );
      expect(wildcards).toEqual([]);
    });

    it('should plant nothing with a PUT of a script under any intake path', async () => {
      const before = await tableDigests(testEnv.dataSource);
      for (const path of ['/shell.php', '/assets/shell.php', `/s/${tenant.site.slug}/shell.php`]) {
        await request(apps.intake.getHttpServer())
          .put(path)
          .set('Content-Type', 'application/x-php')
          .send('<?php system($_GET["c"]); ?>')
          .expect(404);
        await request(apps.intake.getHttpServer()).get(path).expect(404);
      }
      expect(await tableDigests(testEnv.dataSource)).toEqual(before);
    });
  });

  describe('the status-page token', () => {
    it('should be 256 random bits, URL-safe, different for every inquiry', async () => {
      const tokens = await Promise.all([submit(), submit(), submit()]);
      for (const { token } of tokens) {
        expect(token).toMatch(TOKEN_PATTERN);
        expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      }
      expect(new Set(tokens.map(({ token }) => token)).size).toBe(3);
    });

    it('should be looked up by its SHA-256 digest, never by the token itself', async () => {
      const { token, reference } = await submit();
      const capture = captureQueries(apps.intake);
      try {
        const page = await request(apps.intake.getHttpServer()).get(`/status/${token}`).expect(200);
        expect(page.text).toContain(reference);
      } finally {
        capture.stop();
      }
      const sent = JSON.stringify(capture.queries);
      expect(sent).toContain(hashSecretToken(token));
      expect(sent).not.toContain(token);
    });

    it('should answer 404 to a malformed token without a single database query', async () => {
      const malformed = [
        'short',
        'A'.repeat(42),
        'A'.repeat(44),
        `${'A'.repeat(42)}=`,
        `${'A'.repeat(42)}%27`,
        "' OR '1'='1",
        '%00',
        `${'A'.repeat(42)}.`,
      ];
      const capture = captureQueries(apps.intake);
      try {
        for (const token of malformed) {
          await request(apps.intake.getHttpServer())
            .get(`/status/${encodeURIComponent(token)}`)
            .expect(404);
          await request(apps.intake.getHttpServer())
            .post(`/status/${encodeURIComponent(token)}/replies`)
            .type('form')
            .send({ message: 'x' })
            .expect(404);
        }
      } finally {
        capture.stop();
      }
      expect(capture.queries).toEqual([]);
    });

    it('should answer an unknown well-formed token like any unknown page, writing nothing', async () => {
      const before = await tableDigests(testEnv.dataSource);
      const unknown = await request(apps.intake.getHttpServer())
        .get(`/status/${'Q'.repeat(43)}`)
        .expect(404);
      const nowhere = await request(apps.intake.getHttpServer()).get('/no-such-page').expect(404);
      expect(unknown.text).toBe(nowhere.text);
      expect(await tableDigests(testEnv.dataSource)).toEqual(before);
    });

    it('should rate limit token lookups per IP: 429 after the limit, even for the right token', async () => {
      const limited = await startIntakeApp(testEnv, { INTAKE_RATE_LIMIT_PER_MINUTE: '3' });
      try {
        const { token } = await submit();
        const statuses: number[] = [];
        for (let attempt = 0; attempt < 3; attempt++) {
          const guess = await request(limited.getHttpServer()).get(
            `/status/${attempt}${'G'.repeat(42)}`,
          );
          statuses.push(guess.status);
        }
        statuses.push((await request(limited.getHttpServer()).get(`/status/${token}`)).status);
        statuses.push(
          (
            await request(limited.getHttpServer())
              .post(`/status/${token}/replies`)
              .type('form')
              .send({ message: 'x' })
          ).status,
        );
        expect(statuses).toEqual([404, 404, 404, 429, 429]);
      } finally {
        await limited.close();
      }
    });
  });
});
