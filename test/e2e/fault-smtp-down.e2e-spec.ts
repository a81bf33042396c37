import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import { startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { waitUntil } from '../support/wait-until';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * The SMTP server is down while inquiries come in: their mail waits in the outbox, retried
 * with growing delays, and goes out once, and only once, when the server is back. On MariaDB
 * two desks run the worker; on SQLite one (two data sources of one test process would wait
 * on each other's file lock synchronously).
 */
describe(`fault: the SMTP server is down (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let tenant: TestTenant;
  let smtp: SmtpTestServer;
  let intake: NestFastifyApplication;
  const desks: NestFastifyApplication[] = [];
  const emails = Array.from({ length: 6 }, (_, i) => `smtp-down-${i}@example.jp`);

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource);
    intake = await startIntakeApp(testEnv);
    smtp = await startSmtpTestServer();
  });

  afterAll(async () => {
    for (const app of [intake, ...desks]) await app?.close();
    await testEnv?.cleanup();
    await smtp?.stop();
  });

  it('should keep the mail, retry it with backoff, and send each once when SMTP is back', async () => {
    const { port } = smtp;
    await smtp.stop();
    for (const email of emails) {
      await request(intake.getHttpServer())
        .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
        .send({ ...VALID_INQUIRY, email })
        .expect(201);
    }
    const outbox = testEnv.dataSource.getRepository(OutboxJob);
    const ids = (await outbox.find({ order: { id: 'ASC' } })).map((job) => job.id);
    expect(ids).toHaveLength(emails.length);

    // The desks' workers poll on their own timers and find the server unreachable.
    const firstTry = Date.now();
    for (let i = 0; i < (TEST_DB === 'mysql' ? 2 : 1); i++) {
      desks.push(
        await startDeskApp(testEnv, {
          OUTBOX_WORKER: 'on',
          SMTP_URL: `smtp://127.0.0.1:${port}`,
          OUTBOX_POLL_INTERVAL_MS: '50',
        }),
      );
    }
    await waitUntil(async () => (await outbox.countBy({ attempts: 0 })) === 0);
    const firstFailed = Date.now();
    for (const job of await outbox.find()) {
      expect(job).toMatchObject({ status: 'pending', attempts: 1, leaseOwner: null });
      expect(job.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
      // 30 s ± 20 % after the attempt.
      expect(job.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(firstTry + 24 * SECOND - 1000);
      expect(job.nextAttemptAt.getTime()).toBeLessThanOrEqual(firstFailed + 36 * SECOND + 1000);
    }

    // Still down two minutes later: a second attempt, and the next one twice as far away.
    const later = new Date(Date.now() + 2 * MINUTE);
    await Promise.all(desks.map((desk) => desk.get(OutboxWorker).drainOnce(later)));
    for (const job of await outbox.find()) {
      expect(job).toMatchObject({ status: 'pending', attempts: 2 });
      const delay = job.nextAttemptAt.getTime() - later.getTime();
      expect(delay).toBeGreaterThanOrEqual(48 * SECOND - 1000);
      expect(delay).toBeLessThanOrEqual(72 * SECOND + 1000);
    }

    // Back on the same address: every worker drains at once; each mail goes out once.
    smtp = await startSmtpTestServer(port);
    const muchLater = new Date(Date.now() + 10 * MINUTE);
    const results = await Promise.all(
      desks.map((desk) => desk.get(OutboxWorker).drainOnce(muchLater)),
    );
    expect(results.reduce((sent, result) => sent + result.sent, 0)).toBe(emails.length);
    expect(await outbox.countBy({ status: 'sent' })).toBe(emails.length);
    for (const email of emails) {
      expect(smtp.messages.filter((mail) => mail.envelopeTo.includes(email))).toHaveLength(1);
    }
    // Nothing is left to send again.
    const again = await Promise.all(
      desks.map((desk) => desk.get(OutboxWorker).drainOnce(new Date(Date.now() + 60 * MINUTE))),
    );
    expect(again.map((result) => result.sent)).toEqual(desks.map(() => 0));
    expect(smtp.messages).toHaveLength(emails.length);
  });
});
