import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { User as UserEntity, type User } from '@madoguchi/auth';
import { OutboxJob, OutboxService, OutboxWorker } from '@madoguchi/mail';
import { BulkViewAlert, generateTicketReference, Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/** Small, so a test views one more than this many distinct tickets quickly. */
const THRESHOLD = 5;
const ALERT = 'bulk_view.alert';

describe(`bulk-view alert (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let desk: NestFastifyApplication;
  let secondDesk: NestFastifyApplication;
  let tenant: TestTenant;
  let admin: User;
  let disabledAdmin: User;
  const references: string[] = [];

  const alerts = (userId: number) =>
    testEnv.dataSource.getRepository(AuditEvent).find({
      where: { action: ALERT, targetType: 'user', targetId: String(userId) },
    });

  /** Mail jobs in the outbox addressed to the admins (alerts are the only mails here). */
  const alertJobs = async () => {
    const outbox = desk.get(OutboxService);
    const jobs = await testEnv.dataSource.getRepository(OutboxJob).find({ order: { id: 'ASC' } });
    return jobs.map((job) => outbox.readMail(job));
  };

  const view = (app: NestFastifyApplication, session: LoggedIn, reference: string) =>
    request(app.getHttpServer())
      .get(`/api/v1/tickets/${reference}`)
      .set('cookie', session.cookie)
      .expect(200);

  async function agentSession(): Promise<{ user: User; session: LoggedIn }> {
    const user = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    return { user, session: await loginAs(desk, user.email) };
  }

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      SMTP_URL: smtp.url,
      BULK_VIEW_ALERT_THRESHOLD: String(THRESHOLD),
    });
    desk = await startDeskApp(testEnv);
    secondDesk = await startDeskApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource);
    admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    disabledAdmin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    await testEnv.dataSource
      .getRepository(UserEntity)
      .update({ id: disabledAdmin.id }, { disabledAt: new Date() });
    const now = new Date();
    const rows = Array.from({ length: THRESHOLD + 4 }, () => ({
      reference: generateTicketReference(),
      merchantId: tenant.merchant.id,
      siteId: tenant.site.id,
      queueId: tenant.queue.id,
      channel: 'web' as const,
      category: 'leak_check' as const,
      status: 'open' as const,
      priority: 'normal' as const,
      createdAt: now,
      updatedAt: now,
      version: 1,
    }));
    await testEnv.dataSource.getRepository(Ticket).insert(rows);
    references.push(...rows.map((row) => row.reference));
  });

  afterAll(async () => {
    await secondDesk?.close();
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  beforeEach(async () => {
    smtp.reset();
    await testEnv.dataSource.getRepository(OutboxJob).clear();
  });

  it('should raise nothing for views of exactly the threshold of distinct tickets, however often', async () => {
    const { user, session } = await agentSession();
    for (let round = 0; round < 3; round += 1) {
      for (const reference of references.slice(0, THRESHOLD)) await view(desk, session, reference);
    }
    expect(
      await testEnv.dataSource
        .getRepository(AuditEvent)
        .countBy({ action: 'ticket.viewed', actorId: user.id }),
    ).toBe(THRESHOLD * 3);
    expect(await alerts(user.id)).toHaveLength(0);
    expect(await alertJobs()).toHaveLength(0);
  });

  it('should raise nothing for one ticket viewed many times', async () => {
    const { user, session } = await agentSession();
    for (let i = 0; i < THRESHOLD * 3; i += 1) await view(desk, session, references[0]);
    expect(await alerts(user.id)).toHaveLength(0);
    expect(await alertJobs()).toHaveLength(0);
  });

  it('should raise one audit event and one mail to each active admin at threshold + 1 distinct tickets, and no second one within the hour', async () => {
    const { user, session } = await agentSession();
    for (const reference of references.slice(0, THRESHOLD)) await view(desk, session, reference);
    expect(await alerts(user.id)).toHaveLength(0);

    await view(desk, session, references[THRESHOLD]);

    const [alert, ...more] = await alerts(user.id);
    expect(more).toHaveLength(0);
    expect(alert).toMatchObject({
      actorType: 'system',
      merchantId: null,
      targetType: 'user',
      targetId: String(user.id),
    });
    expect(alert.ip).toBeTruthy();
    expect(JSON.parse(alert.detail ?? '{}')).toEqual({
      distinctTickets: THRESHOLD + 1,
      threshold: THRESHOLD,
      windowMinutes: 60,
    });
    const mails = await alertJobs();
    expect(mails.map((mail) => mail.to)).toEqual([admin.email]);

    // Delivered over SMTP, naming the user and the count, and no ticket of the end users.
    await desk.get(OutboxWorker).drainOnce();
    const [received] = await smtp.waitFor(1);
    expect(received.envelopeTo).toEqual([admin.email]);
    expect(received.subject).toContain('大量閲覧');
    expect(received.text).toContain(user.displayName);
    expect(received.text).toContain(user.email);
    expect(received.text).toContain(`${THRESHOLD + 1} 件`);
    for (const reference of references) expect(received.text).not.toContain(reference);

    // More distinct tickets and repeats within the hour: still the one alert and mail.
    for (const reference of references) await view(desk, session, reference);
    await view(secondDesk, await loginAs(secondDesk, user.email), references.at(-1) as string);
    expect(await alerts(user.id)).toHaveLength(1);
    expect(await alertJobs()).toHaveLength(1);
  });

  it('should raise exactly one alert when views cross the threshold on two instances at once', async () => {
    const { user, session } = await agentSession();
    const second = await loginAs(secondDesk, user.email);
    for (const reference of references.slice(0, THRESHOLD)) await view(desk, session, reference);

    await Promise.all(
      references
        .slice(THRESHOLD)
        .flatMap((reference) => [
          view(desk, session, reference),
          view(secondDesk, second, reference),
        ]),
    );

    expect(await alerts(user.id)).toHaveLength(1);
    expect(await alertJobs()).toHaveLength(1);
  });

  it('should count only the views of the last hour, and alert again once the hour since the last alert is over', async () => {
    const { user, session } = await agentSession();
    // Views of every ticket two hours ago do not count now.
    const longAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await testEnv.dataSource.getRepository(AuditEvent).insert(
      references.map((reference) => ({
        actorType: 'user' as const,
        actorId: user.id,
        action: 'ticket.viewed',
        merchantId: tenant.merchant.id,
        targetType: 'ticket',
        targetId: reference,
        ip: '203.0.113.1',
        detail: null,
        createdAt: longAgo,
      })),
    );
    await view(desk, session, references[0]);
    expect(await alerts(user.id)).toHaveLength(0);

    for (const reference of references.slice(0, THRESHOLD + 1))
      await view(desk, session, reference);
    expect(await alerts(user.id)).toHaveLength(1);

    // The last alert an hour and more ago: the next view over the threshold alerts again.
    await testEnv.dataSource
      .getRepository(BulkViewAlert)
      .update({ userId: user.id }, { alertedAt: new Date(Date.now() - 61 * 60 * 1000) });
    await view(desk, session, references[0]);
    expect(await alerts(user.id)).toHaveLength(2);
    expect(await alertJobs()).toHaveLength(2);
  });

  it('should count a canned response filled in for a ticket as a view of that ticket', async () => {
    const { user, session } = await agentSession();
    const adminSession = await loginAs(desk, admin.email);
    const canned = await request(desk.getHttpServer())
      .post('/api/v1/canned-responses')
      .set('cookie', adminSession.cookie)
      .set('x-csrf-token', adminSession.csrfToken)
      .send({ merchantId: tenant.merchant.id, title: 'あいさつ', body: '{{name}} 様' })
      .expect(201);
    for (const reference of references.slice(0, THRESHOLD)) await view(desk, session, reference);
    expect(await alerts(user.id)).toHaveLength(0);

    await request(desk.getHttpServer())
      .get(`/api/v1/tickets/${references[THRESHOLD]}/canned-responses/${canned.body.id}/rendered`)
      .set('cookie', session.cookie)
      .expect(200);

    expect(await alerts(user.id)).toHaveLength(1);
  });
});
