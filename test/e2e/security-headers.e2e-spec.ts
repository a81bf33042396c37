import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { FixedClock } from '@madoguchi/common';
import { type AppConfig, loadConfig } from '@madoguchi/config';
import { createDeskApp } from '../../apps/desk/src/desk-app.factory';
import { createIntakeApp } from '../../apps/intake/src/intake-app.factory';
import { createTelephonyApp } from '../../apps/telephony/src/telephony-app.factory';
import { TEST_TELEPHONY_PUBLIC_URL, TEST_TWILIO_AUTH_TOKEN } from '../support/telephony-test-app';
import { createTestUser, TEST_PASSWORD } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 6: every app sends the same protective headers on its pages: a CSP that forbids framing
 * (frame-ancestors 'none', plus X-Frame-Options for old browsers), nosniff, no referrer, and
 * HSTS only in production (a development server on plain http must stay reachable).
 */

type AppName = 'desk' | 'intake' | 'telephony';

/** The same configuration, marked production: what decides the production-only headers. */
function asProduction(config: AppConfig): AppConfig {
  return Object.assign(
    Object.create(Object.getPrototypeOf(config) as object) as AppConfig,
    config,
    {
      nodeEnv: 'production',
    },
  );
}

async function build(name: AppName, config: AppConfig): Promise<NestFastifyApplication> {
  // A production app logs its start-up (route mapping) to stdout: not wanted in test output.
  const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const app =
      name === 'desk'
        ? await createDeskApp(config)
        : name === 'intake'
          ? await createIntakeApp(config)
          : await createTelephonyApp(config, {
              clock: new FixedClock('2026-11-26T11:00:00+09:00'),
            });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } finally {
    quiet.mockRestore();
  }
}

describe(`security headers on all three apps (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let tenant: TestTenant;
  let config: AppConfig;

  /** A page of each app: the desk's login, the intake's form, the telephony app's health check. */
  const pageOf = (name: AppName): string =>
    name === 'desk' ? '/login' : name === 'intake' ? `/s/${tenant.site.slug}` : '/healthz';

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource);
    config = loadConfig({
      ...testEnv.env,
      TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN,
      TELEPHONY_PUBLIC_URL: TEST_TELEPHONY_PUBLIC_URL,
    });
  });

  afterAll(async () => {
    await testEnv?.cleanup();
  });

  it.each(['desk', 'intake', 'telephony'] as const)(
    'should send CSP with frame-ancestors none, nosniff, no-referrer and X-Frame-Options from the %s app, HSTS only in production',
    async (name) => {
      for (const production of [false, true]) {
        const app = await build(name, production ? asProduction(config) : config);
        try {
          const response = await request(app.getHttpServer()).get(pageOf(name)).expect(200);
          const csp = String(response.headers['content-security-policy']);
          expect(csp).toContain("frame-ancestors 'none'");
          expect(csp).toContain("default-src 'self'");
          expect(csp).toContain("script-src 'self'");
          expect(csp).toContain("object-src 'none'");
          expect(csp).toContain("base-uri 'none'");
          expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
          expect(response.headers['x-content-type-options']).toBe('nosniff');
          expect(response.headers['referrer-policy']).toBe('no-referrer');
          expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
          if (production) {
            expect(response.headers['strict-transport-security']).toBe(
              'max-age=31536000; includeSubDomains',
            );
          } else {
            expect(response.headers['strict-transport-security']).toBeUndefined();
          }
          // Error pages carry them too.
          const missing = await request(app.getHttpServer()).get('/no-such-page').expect(404);
          expect(missing.headers['content-security-policy']).toContain("frame-ancestors 'none'");
          expect(missing.headers['x-content-type-options']).toBe('nosniff');
        } finally {
          await app.close();
        }
      }
    },
  );

  it('should answer personal data with Cache-Control: no-store and let static assets be cached', async () => {
    const intake = await build('intake', config);
    const desk = await build('desk', config);
    try {
      // The JSON API answers with the status link: nothing may keep it.
      const created = await request(intake.getHttpServer())
        .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
        .send({
          name: '山田 太郎',
          email: 'cache-check@example.com',
          category: 'leak_check',
          message: 'キャッシュの確認です。',
          consent: true,
        });
      expect(created.status).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const statusPath = new URL(String(created.body.statusUrl)).pathname;
      const statusPage = await request(intake.getHttpServer()).get(statusPath).expect(200);
      expect(statusPage.headers['cache-control']).toBe('no-store');
      const form = await request(intake.getHttpServer()).get(pageOf('intake')).expect(200);
      expect(form.headers['cache-control']).toBe('no-store');
      const error = await request(intake.getHttpServer()).get('/status/not-a-token');
      expect(error.headers['cache-control']).toBe('no-store');
      // Unversioned, the stylesheet is cached briefly; by its content hash, for a year
      // (test/e2e/web-delivery.e2e-spec.ts).
      const css = await request(intake.getHttpServer()).get('/assets/ui.css').expect(200);
      expect(css.headers['cache-control']).toBe('public, max-age=300');

      const user = await createTestUser(testEnv.dataSource, { role: 'admin' });
      const login = await request(desk.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      expect(login.headers['cache-control']).toBe('no-store');
      const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
      const tickets = await request(desk.getHttpServer())
        .get('/api/v1/tickets')
        .set('Cookie', cookie)
        .expect(200);
      expect(tickets.headers['cache-control']).toBe('no-store');
    } finally {
      await intake.close();
      await desk.close();
    }
  });

  it('should force the staff second factor in production, whatever REQUIRE_STAFF_TOTP says', () => {
    const production = loadConfig({
      ...testEnv.env,
      NODE_ENV: 'production',
      REQUIRE_STAFF_TOTP: 'false',
      DATABASE_URL: 'mysql://madoguchi@127.0.0.1:3306/madoguchi',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN,
      TELEPHONY_PUBLIC_URL: TEST_TELEPHONY_PUBLIC_URL,
    });
    expect(production.auth.requireStaffTotp).toBe(true);
    expect(config.auth.requireStaffTotp).toBe(false);
  });

  it('should mark the session cookie Secure in production', async () => {
    const app = await build('desk', asProduction(config));
    try {
      const user = await createTestUser(testEnv.dataSource, { role: 'admin' });
      const response = await request(app.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(200);
      const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).join('\n');
      expect(cookie).toMatch(/^madoguchi_session=[^;]+;.*; Secure/im);
      expect(cookie).toMatch(/HttpOnly/i);
    } finally {
      await app.close();
    }
  });
});
