import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { FixedClock } from '@madoguchi/common';
import { loadConfig } from '@madoguchi/config';
import { metricsAddress } from '@madoguchi/http';
import { OutboxJob, OutboxService, OutboxWorker } from '@madoguchi/mail';
import { DeskJobsRunner } from '@madoguchi/jobs';
import { createDeskApp } from '../../apps/desk/src/desk-app.factory';
import { createIntakeApp } from '../../apps/intake/src/intake-app.factory';
import { VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import {
  callParams,
  newCallSid,
  startTelephonyApp,
  twilioPost,
} from '../support/telephony-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 18 (observability): JSON logs with a request id on every line of a request and in error
 * pages, an access log without personal data, Prometheus metrics on a separate loopback port
 * (or behind a token) whose figures move with traffic, and `/healthz` answering 503 while the
 * database misses a migration of this build, on all three apps.
 */

const ALL_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789abcdef';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Everything written to stdout while it is on (the apps' logger writes there). */
class StdoutCapture {
  private chunks: string[] = [];
  private restore: (() => void) | null = null;

  start(): void {
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof process.stdout.write;
    this.restore = () => {
      process.stdout.write = original as typeof process.stdout.write;
    };
  }

  stop(): void {
    this.restore?.();
    this.restore = null;
  }

  get text(): string {
    return this.chunks.join('');
  }

  lines(): Record<string, unknown>[] {
    return this.text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** One sample of a Prometheus text exposition, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [
        pair[1],
        pair[2],
      ]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(match[3]);
    }
  }
  return 0;
}

async function scrape(app: NestFastifyApplication): Promise<string> {
  const address = metricsAddress(app.getHttpAdapter().getInstance());
  if (!address) throw new Error('no metrics listener');
  const response = await fetch(`http://${address.address}:${address.port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

describe(`observability: logs, metrics, healthz and migrations (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let tenant: TestTenant;
  let intake: NestFastifyApplication;
  let proxiedIntake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let telephony: NestFastifyApplication;
  const clock = new FixedClock('2026-11-27T12:00:00+09:00');
  const capture = new StdoutCapture();

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      SMTP_URL: smtp.url,
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      METRICS_PORT: '0',
    });
    tenant = await createTestTenant(testEnv.dataSource);
    intake = await createIntakeApp(loadConfig(testEnv.env));
    // A probe route of the test's own: lines logged after a timer and a query, with a body read.
    intake
      .getHttpAdapter()
      .getInstance()
      .post('/probe', async (probe) => {
        const label = (probe.body as { label: string }).label;
        await new Promise((resolve) => setTimeout(resolve, 5));
        new Logger('Probe').log(`probe ${label} after a timer`);
        await testEnv.dataSource.query('SELECT 1');
        new Logger('Probe').warn(`probe ${label} after a query`);
        return { label };
      });
    intake.useLogger([...ALL_LEVELS]);
    await intake.init();
    await intake.getHttpAdapter().getInstance().ready();
    proxiedIntake = await createIntakeApp(loadConfig({ ...testEnv.env, TRUST_PROXY: '1' }));
    await proxiedIntake.init();
    await proxiedIntake.getHttpAdapter().getInstance().ready();
    desk = await createDeskApp(loadConfig({ ...testEnv.env, METRICS_TOKEN }));
    await desk.init();
    await desk.getHttpAdapter().getInstance().ready();
    telephony = await startTelephonyApp(testEnv, clock);
    // Levels are the process's (as Nest's are): each app created since reset them.
    intake.useLogger([...ALL_LEVELS]);
  });

  afterAll(async () => {
    capture.stop();
    for (const app of [intake, proxiedIntake, desk, telephony]) await app?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  describe('logs', () => {
    it('should write JSON lines without colours, each line of a request with its id, concurrent requests apart', async () => {
      capture.start();
      let responses: request.Response[];
      try {
        responses = await Promise.all(
          ['a', 'b', 'c', 'd'].map((label) =>
            request(intake.getHttpServer()).post('/probe').send({ label }).expect(200),
          ),
        );
      } finally {
        capture.stop();
      }
      expect(capture.text).not.toContain('\u001b[');
      const lines = capture.lines();
      for (const response of responses) {
        const id = response.headers['x-request-id'];
        expect(id).toMatch(UUID);
        const label = (response.body as { label: string }).label;
        const own = lines.filter((line) => String(line.msg).startsWith(`probe ${label} `));
        expect(own.map((line) => [line.level, line.context, line.reqId, line.app])).toEqual([
          ['info', 'Probe', id, 'intake'],
          ['warn', 'Probe', id, 'intake'],
        ]);
        const access = lines.filter(
          (line) => line.msg === 'request completed' && line.reqId === id,
        );
        expect(access).toHaveLength(1);
        expect(access[0]).toMatchObject({ method: 'POST', route: '/probe', status: 200 });
      }
      expect(new Set(responses.map((response) => response.headers['x-request-id'])).size).toBe(4);
    });

    it('should log one access line per request with the route pattern, never a token, query or personal data', async () => {
      capture.start();
      let submitted: request.Response;
      let statusPage: request.Response;
      let notFound: request.Response;
      let token: string;
      try {
        submitted = await request(intake.getHttpServer())
          .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
          .send(VALID_INQUIRY)
          .expect(201);
        token = String(submitted.body.statusUrl).split('/status/')[1];
        statusPage = await request(intake.getHttpServer())
          .get(`/status/${token}?email=${encodeURIComponent(VALID_INQUIRY.email)}`)
          .expect(200);
        notFound = await request(intake.getHttpServer())
          .get(`/no/such/${token}/page?name=${encodeURIComponent(VALID_INQUIRY.name)}`)
          .expect(404);
      } finally {
        capture.stop();
      }
      const secrets = [
        token,
        VALID_INQUIRY.name,
        VALID_INQUIRY.email,
        VALID_INQUIRY.phone,
        VALID_INQUIRY.orderNumber,
        VALID_INQUIRY.message,
        encodeURIComponent(VALID_INQUIRY.email),
        encodeURIComponent(VALID_INQUIRY.name),
        submitted.body.reference as string,
      ];
      expect(secrets.filter((secret) => capture.text.includes(secret))).toEqual([]);
      const access = capture.lines().filter((line) => line.msg === 'request completed');
      const byId = (response: request.Response) =>
        access.find((line) => line.reqId === response.headers['x-request-id']);
      expect(byId(submitted)).toMatchObject({
        method: 'POST',
        route: '/api/v1/sites/:site/inquiries',
        status: 201,
      });
      expect(byId(statusPage)).toMatchObject({
        method: 'GET',
        route: '/status/:token',
        status: 200,
      });
      expect(byId(notFound)).toMatchObject({ method: 'GET', route: '(unmatched)', status: 404 });
      for (const line of access) {
        expect(Object.keys(line).sort()).toEqual(
          [
            'app',
            'durationMs',
            'level',
            'method',
            'msg',
            'reqId',
            'route',
            'status',
            'time',
          ].sort(),
        );
        expect(typeof line.durationMs).toBe('number');
      }
    });

    it('should take a sane X-Request-Id only from a trusted proxy, and show the id on error pages', async () => {
      const ignored = await request(intake.getHttpServer())
        .get('/healthz')
        .set('x-request-id', 'proxy-request-0001')
        .expect(200);
      expect(ignored.headers['x-request-id']).toMatch(UUID);

      const taken = await request(proxiedIntake.getHttpServer())
        .get('/healthz')
        .set('x-request-id', 'proxy-request-0001')
        .expect(200);
      expect(taken.headers['x-request-id']).toBe('proxy-request-0001');
      const forged = await request(proxiedIntake.getHttpServer())
        .get('/healthz')
        .set('x-request-id', 'x" forged="1')
        .expect(200);
      expect(forged.headers['x-request-id']).toMatch(UUID);

      // An HTML error page (413 from the intake form) and a JSON error both carry the id.
      const tooLarge = await request(intake.getHttpServer())
        .post(`/s/${tenant.site.slug}`)
        .type('form')
        .send({ message: 'x'.repeat(40 * 1024) })
        .expect(413);
      expect(tooLarge.text).toContain(tooLarge.headers['x-request-id']);
      const unauthenticated = await request(desk.getHttpServer())
        .get('/api/v1/tickets/ZZZZ-ZZZZ')
        .expect(401);
      expect(unauthenticated.headers['x-request-id']).toMatch(UUID);
    });
  });

  describe('metrics', () => {
    it('should not serve /metrics on a public port without the token', async () => {
      await request(intake.getHttpServer()).get('/metrics').expect(404);
      await request(telephony.getHttpServer()).get('/metrics').expect(404);
      await request(desk.getHttpServer()).get('/metrics').expect(401);
      await request(desk.getHttpServer())
        .get('/metrics')
        .set('authorization', 'Bearer not-the-token')
        .expect(401);
      const allowed = await request(desk.getHttpServer())
        .get('/metrics')
        .set('authorization', `Bearer ${METRICS_TOKEN}`)
        .expect(200);
      expect(allowed.text).toContain('madoguchi_http_requests_total');
    });

    it('should listen on loopback, separately, and answer only /metrics there', async () => {
      for (const app of [intake, desk, telephony]) {
        const address = metricsAddress(app.getHttpAdapter().getInstance());
        expect(address?.address).toBe('127.0.0.1');
        expect(address?.port).not.toBe(0);
        const other = await fetch(`http://127.0.0.1:${address?.port}/healthz`);
        expect(other.status).toBe(404);
      }
    });

    it('should count requests per matched route with latencies, and move after traffic', async () => {
      const route = { app: 'desk', method: 'GET', route: '/healthz' };
      const before = await scrape(desk);
      for (let i = 0; i < 3; i++) await request(desk.getHttpServer()).get('/healthz').expect(200);
      const after = await scrape(desk);
      expect(
        sample(after, 'madoguchi_http_requests_total', { ...route, status: '200' }) -
          sample(before, 'madoguchi_http_requests_total', { ...route, status: '200' }),
      ).toBe(3);
      expect(
        sample(after, 'madoguchi_http_request_duration_seconds_count', route) -
          sample(before, 'madoguchi_http_request_duration_seconds_count', route),
      ).toBe(3);
      expect(after).toContain('madoguchi_http_request_duration_seconds_bucket{le="0.005"');
      expect(after).toContain('madoguchi_process_cpu_seconds_total');
    });

    it('should count inquiries per merchant id, calls by outcome and job runs', async () => {
      const inquiry = { merchant_id: String(tenant.merchant.id), channel: 'web' };
      const outOfHours = { outcome: 'out_of_hours' };
      const retention = { job: 'retention', result: 'success' };
      const intakeBefore = await scrape(intake);
      const telephonyBefore = await scrape(telephony);
      const deskBefore = await scrape(desk);

      await request(intake.getHttpServer())
        .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
        .send(VALID_INQUIRY)
        .expect(201);
      clock.set('2026-11-28T12:00:00+09:00'); // a Saturday: out of hours
      await twilioPost(telephony, '/twilio/voice/incoming', callParams(newCallSid())).expect(200);
      await desk.get(DeskJobsRunner).runOnce();

      const intakeAfter = await scrape(intake);
      expect(
        sample(intakeAfter, 'madoguchi_inquiries_total', inquiry) -
          sample(intakeBefore, 'madoguchi_inquiries_total', inquiry),
      ).toBe(1);
      expect(intakeAfter).not.toContain(tenant.merchant.name);
      const telephonyAfter = await scrape(telephony);
      expect(
        sample(telephonyAfter, 'madoguchi_calls_total', outOfHours) -
          sample(telephonyBefore, 'madoguchi_calls_total', outOfHours),
      ).toBe(1);
      const deskAfter = await scrape(desk);
      expect(
        sample(deskAfter, 'madoguchi_job_runs_total', retention) -
          sample(deskBefore, 'madoguchi_job_runs_total', retention),
      ).toBe(1);
    });

    it('should report the outbox backlog by state and count delivery outcomes', async () => {
      const jobs = testEnv.dataSource.getRepository(OutboxJob);
      await jobs.clear();
      const outbox = desk.get(OutboxService);
      const enqueue = () =>
        testEnv.dataSource.transaction((manager) =>
          outbox.enqueueMail(manager, {
            to: 'backlog@example.com',
            fromName: 'テスト',
            subject: 'backlog',
            text: 'backlog',
          }),
        );
      const dead = await enqueue();
      const failed = await enqueue();
      await enqueue();
      await jobs.update({ id: dead }, { status: 'dead', attempts: 12 });
      await jobs.update(
        { id: failed },
        { attempts: 2, nextAttemptAt: new Date(Date.now() + 3_600_000) },
      );

      const before = await scrape(desk);
      expect(sample(before, 'madoguchi_outbox_jobs', { state: 'pending' })).toBe(1);
      expect(sample(before, 'madoguchi_outbox_jobs', { state: 'failed' })).toBe(1);
      expect(sample(before, 'madoguchi_outbox_jobs', { state: 'dead' })).toBe(1);

      smtp.rejectNext = 0;
      expect((await desk.get(OutboxWorker).drainOnce()).sent).toBe(1);
      const after = await scrape(desk);
      expect(sample(after, 'madoguchi_outbox_jobs', { state: 'pending' })).toBe(0);
      expect(
        sample(after, 'madoguchi_outbox_deliveries_total', { outcome: 'sent' }) -
          sample(before, 'madoguchi_outbox_deliveries_total', { outcome: 'sent' }),
      ).toBe(1);
    });
  });

  describe('/healthz and migrations', () => {
    it('should answer 503 on all three apps while the database is one migration behind, 200 once applied', async () => {
      const apps = [intake, desk, telephony];
      for (const app of apps) {
        await request(app.getHttpServer()).get('/healthz').expect(200, { status: 'ok' });
      }
      // The database does not have the newest migration of this build: its row is not in the
      // migrations table (what TypeORM and the check go by; the schema change itself is left in
      // place, so the row can be put back instead of reverting another feature's migration).
      const table = testEnv.dataSource.driver.escape('migrations');
      const [newest] = (await testEnv.dataSource.query(
        `SELECT id, timestamp, name FROM ${table} ORDER BY timestamp DESC LIMIT 1`,
      )) as { id: number; timestamp: number | string; name: string }[];
      expect(
        testEnv.dataSource.migrations.map(
          (migration) => migration.name ?? migration.constructor.name,
        ),
      ).toContain(newest.name);
      await testEnv.dataSource.query(`DELETE FROM ${table} WHERE id = ?`, [newest.id]);
      for (const app of apps) {
        const response = await request(app.getHttpServer()).get('/healthz').expect(503);
        expect(response.body).toEqual({ status: 'migrations_pending', pendingMigrations: 1 });
        expect(response.headers['cache-control']).toBe('no-store');
      }
      await testEnv.dataSource.query(
        `INSERT INTO ${table} (id, timestamp, name) VALUES (?, ?, ?)`,
        [newest.id, newest.timestamp, newest.name],
      );
      expect(await testEnv.dataSource.showMigrations()).toBe(false);
      for (const app of apps) {
        await request(app.getHttpServer()).get('/healthz').expect(200, { status: 'ok' });
      }
    });
  });
});
