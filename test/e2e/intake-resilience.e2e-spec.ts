import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Message, Ticket } from '@madoguchi/tickets';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

describe(`intake under failure and abuse (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let tenant: TestTenant;
  const apps: NestFastifyApplication[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const app = await startIntakeApp(testEnv, env);
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenant = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await testEnv?.cleanup();
  });

  it('should answer 429 past the per-IP limit on submissions, and keep serving the form', async () => {
    const app = await start({ INTAKE_RATE_LIMIT_PER_MINUTE: '3' });
    const url = `/api/v1/sites/${tenant.site.slug}/inquiries`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (
          await request(app.getHttpServer())
            .post(url)
            .send({ ...VALID_INQUIRY, name: `n${i}` })
        ).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const limited = await request(app.getHttpServer()).post(url).send(VALID_INQUIRY).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(limited.headers['retry-after']).toBeDefined();
    const formPost = await request(app.getHttpServer())
      .post(`/s/${tenant.site.slug}`)
      .type('form')
      .send({})
      .expect(429);
    expect(formPost.text).toContain('アクセスが集中しています');
    await request(app.getHttpServer()).get(`/s/${tenant.site.slug}`).expect(200);
  });

  it('should roll back the whole inquiry when a later write fails: no half-stored ticket', async () => {
    const app = await start({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    const before = {
      tickets: await testEnv.dataSource.manager.count(Ticket),
      messages: await testEnv.dataSource.manager.count(Message),
    };
    // The outbox write comes after the ticket and its message in the transaction.
    await testEnv.dataSource.query(
      `ALTER TABLE ${testEnv.dataSource.driver.escape('outbox_jobs')} RENAME TO ${testEnv.dataSource.driver.escape('outbox_jobs_away')}`,
    );
    try {
      const response = await request(app.getHttpServer())
        .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
        .send(VALID_INQUIRY);
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
      expect(JSON.stringify(response.body)).not.toMatch(/outbox|SQL|sqlite|mysql/i);
    } finally {
      await testEnv.dataSource.query(
        `ALTER TABLE ${testEnv.dataSource.driver.escape('outbox_jobs_away')} RENAME TO ${testEnv.dataSource.driver.escape('outbox_jobs')}`,
      );
    }
    expect(await testEnv.dataSource.manager.count(Ticket)).toBe(before.tickets);
    expect(await testEnv.dataSource.manager.count(Message)).toBe(before.messages);
  });

  it('should answer 503 on /healthz and on submission when the database is gone, storing nothing', async () => {
    const app = await start({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    const before = await testEnv.dataSource.manager.count(Ticket);
    await app.get(DataSource).destroy();
    const health = await request(app.getHttpServer()).get('/healthz').expect(503);
    expect(health.body).toEqual({ status: 'unavailable' });
    const api = await request(app.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(503);
    expect(api.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
    const form = await request(app.getHttpServer()).get(`/s/${tenant.site.slug}`).expect(503);
    expect(form.text).toContain('ただいまご利用いただけません');
    expect(await testEnv.dataSource.manager.count(Ticket)).toBe(before);
  });
});
