import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { AppConfig } from '@madoguchi/config';
import { createDeskApp } from '../../apps/desk/src/desk-app.factory';
import { DEV_MAILBOX_TEXTS } from '../../apps/desk/src/admin/dev-mailbox/dev-mailbox.texts';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/** The same configuration with NODE_ENV=production (the other production settings are not needed here). */
function asProduction(config: AppConfig): AppConfig {
  return Object.assign(
    Object.create(Object.getPrototypeOf(config) as object) as AppConfig,
    config,
    { nodeEnv: 'production' },
  );
}

/**
 * Issue 14: a newcomer sees the desk's mail without an SMTP server. Outside production the
 * admins' dev mailbox lists the outbox's mails, newest first, whole, with their links clickable
 * (and everything else escaped), so the status link of a demo inquiry can be followed at once.
 * Reading it is audited; agents are refused; in production it does not exist (404).
 */
describe(`the dev mailbox (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenant: TestTenant;
  let admin: LoggedIn;
  let adminId: number;
  let agent: LoggedIn;

  const page = (session: LoggedIn, app = desk) =>
    request(app.getHttpServer())
      .get('/admin/dev-mailbox')
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html');

  const viewedEvents = () =>
    testEnv.dataSource.manager.find(AuditEvent, {
      where: { action: 'dev_mailbox.viewed' },
      order: { id: 'ASC' },
    });

  /** A demo inquiry through the intake's JSON API, as `npm start` sends them; its reference. */
  const inquire = async (name: string, message: string): Promise<string> => {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, name, message })
      .expect(201);
    return (response.body as { reference: string }).reference;
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource, { siteName: 'デモ雑貨店' });
    const adminUser = await createTestUser(testEnv.dataSource, { role: 'admin' });
    adminId = adminUser.id;
    admin = await loginAs(desk, adminUser.email);
    const agentUser = await createTestUser(testEnv.dataSource, { role: 'agent' });
    agent = await loginAs(desk, agentUser.email);
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should list a demo inquiry’s confirmation, newest first, with a status link that works', async () => {
    const first = await inquire('山田 花子', '一件目のお問い合わせです。');
    const second = await inquire('鈴木 一郎', '二件目のお問い合わせです。');

    const response = await page(admin).expect(200);
    const html = response.text;
    const order = [second, first].map((reference) => html.indexOf(reference));
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order[0]).toBeLessThan(order[1]);
    expect(html).toContain(VALID_INQUIRY.email);
    expect(html).toContain(DEV_MAILBOX_TEXTS.states.pending);

    // The status link is a real link; following it opens the shopper's status page.
    const links = [
      ...html.matchAll(
        /<a href="(http:\/\/intake\.test\/status\/[^"]+)" rel="noopener noreferrer"/g,
      ),
    ].map((match) => match[1]);
    expect(links.length).toBeGreaterThanOrEqual(2);
    const status = await request(intake.getHttpServer())
      .get(new URL(links[0]).pathname)
      .set('Accept', 'text/html')
      .expect(200);
    expect(status.text).toContain(second);
  });

  it('should escape a mail’s text: markup is shown as written, never run', async () => {
    // The confirmation repeats the typed name (defused, but its markup kept as text).
    await inquire('<script>alert(1)</script>', 'マークアップを含む名前のテストです。');
    const html = (await page(admin).expect(200)).text;
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');
  });

  it('should audit each read with the admin and the address', async () => {
    const before = (await viewedEvents()).length;
    await page(admin).expect(200);
    const events = await viewedEvents();
    expect(events).toHaveLength(before + 1);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ actorType: 'user', actorId: adminId, merchantId: null });
    expect(last.ip).toMatch(/127\.0\.0\.1/);
    expect(JSON.parse(last.detail ?? '{}')).toMatchObject({ mails: expect.any(Number) });
  });

  it('should be in the admin menu outside production', async () => {
    const outbox = await request(desk.getHttpServer())
      .get('/admin/outbox')
      .set('Cookie', admin.cookie)
      .set('Accept', 'text/html')
      .expect(200);
    expect(outbox.text).toContain('href="/admin/dev-mailbox"');
  });

  it('should refuse an agent (403) and audit nothing', async () => {
    const before = (await viewedEvents()).length;
    await page(agent).expect(403);
    expect(await viewedEvents()).toHaveLength(before);
  });

  it('should not exist in production (404, not in the menu, nothing audited)', async () => {
    // A production app logs its start-up (route mapping) to stdout: not wanted in test output.
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let production: NestFastifyApplication;
    try {
      production = await createDeskApp(asProduction(testEnv.config));
      await production.init();
      await production.getHttpAdapter().getInstance().ready();
    } finally {
      quiet.mockRestore();
    }
    try {
      const user = await createTestUser(testEnv.dataSource, { role: 'admin' });
      const session = await loginAs(production, user.email);
      const before = (await viewedEvents()).length;
      await page(session, production).expect(404);
      expect(await viewedEvents()).toHaveLength(before);
      const outbox = await request(production.getHttpServer())
        .get('/admin/outbox')
        .set('Cookie', session.cookie)
        .set('Accept', 'text/html')
        .expect(200);
      expect(outbox.text).not.toContain('/admin/dev-mailbox');
    } finally {
      await production.close();
    }
  });
});
