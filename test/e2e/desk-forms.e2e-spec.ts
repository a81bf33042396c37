import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import { CalendarClosure } from '@madoguchi/calendar';
import { Merchant } from '@madoguchi/tenancy';
import { QueueMember } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 19, "forms people get right the first time", on the server side: every destructive
 * one-click action has a confirm step (GET …/confirm) that names the thing, writes nothing and
 * posts to the action's unchanged route; saving fewer allowed IP ranges asks first; every desk
 * date is a date picker, and a typed date in another format gets a field error, nothing stored.
 */
describe(`desk forms: confirm steps and dates (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenant: TestTenant;
  let admin: LoggedIn;
  let supervisor: LoggedIn;
  let merchantAdminUser: User;
  let merchantAdmin: LoggedIn;

  const http = () => request(desk.getHttpServer());
  const get = (path: string, session: LoggedIn) =>
    http().get(path).set('cookie', session.cookie).set('accept', 'text/html');
  const post = (path: string, fields: Record<string, string>, session: LoggedIn) =>
    http()
      .post(path)
      .set('cookie', session.cookie)
      .set('accept', 'text/html')
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });
  const auditCount = () => testEnv.dataSource.manager.count(AuditEvent);
  /** The session of a role, resolved when a test runs (it.each tables are built before). */
  const as = (who: 'admin' | 'merchant'): LoggedIn => (who === 'admin' ? admin : merchantAdmin);

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenant = await createTestTenant(testEnv.dataSource);
    // Behind a trusted proxy the client address comes from X-Forwarded-For: a test picks it.
    desk = await startDeskApp(testEnv, { TRUST_PROXY: 'true' });
    admin = await loginAs(
      desk,
      (await createTestUser(testEnv.dataSource, { role: 'admin' })).email,
    );
    supervisor = await loginAs(
      desk,
      (await createTestUser(testEnv.dataSource, { role: 'supervisor' })).email,
    );
    merchantAdminUser = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    merchantAdmin = await loginAs(desk, merchantAdminUser.email);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('confirm steps', () => {
    it('should confirm disabling a user and resetting a second factor before either happens', async () => {
      const agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        displayName: '確認 花子',
      });
      const detail = await get(`/admin/users/${agent.id}`, admin).expect(200);
      expect(detail.text).toContain(`href="/admin/users/${agent.id}/disable/confirm"`);
      expect(detail.text).not.toContain(`action="/admin/users/${agent.id}/disable"`);
      const audits = await auditCount();
      for (const action of ['disable', 'reset-totp']) {
        const page = await get(`/admin/users/${agent.id}/${action}/confirm`, admin).expect(200);
        expect(page.text).toContain('確認 花子さん');
        expect(page.text).toContain(agent.email);
        expect(page.text).toContain(
          `<form method="post" action="/admin/users/${agent.id}/${action}">`,
        );
        expect(page.text).toContain(`href="/admin/users/${agent.id}"`);
        await get(`/admin/users/${agent.id}/${action}/confirm`, supervisor).expect(403);
      }
      await get('/admin/users/987654/disable/confirm', admin).expect(404);
      const after = await testEnv.dataSource.manager.findOneByOrFail(User, { id: agent.id });
      expect(after.disabledAt).toBeNull();
      expect(await auditCount()).toBe(audits);
    });

    it('should confirm deleting a closure, naming its date and reason', async () => {
      await post('/admin/calendar', { date: '2032-05-06', reason: '臨時<休業>' }, admin).expect(
        303,
      );
      const closure = await testEnv.dataSource.manager.findOneByOrFail(CalendarClosure, {
        date: '2032-05-06',
      });
      const page = await get(`/admin/calendar/${closure.id}/delete/confirm`, admin).expect(200);
      expect(page.text).toContain('2032-05-06の休業日を削除しますか');
      expect(page.text).toContain('臨時&lt;休業&gt;');
      expect(page.text).toContain(
        `<form method="post" action="/admin/calendar/${closure.id}/delete">`,
      );
      await get('/admin/calendar/987654/delete/confirm', admin).expect(404);
      expect(await testEnv.dataSource.manager.countBy(CalendarClosure, { id: closure.id })).toBe(1);
      // The confirmation's form is the unchanged delete route.
      await post(`/admin/calendar/${closure.id}/delete`, {}, admin).expect(303);
      expect(await testEnv.dataSource.manager.countBy(CalendarClosure, { id: closure.id })).toBe(0);
    });

    it('should confirm taking an agent off a queue', async () => {
      const agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        displayName: '列 太郎',
        queueIds: [tenant.queue.id],
      });
      const path = `/admin/queues/${tenant.queue.id}/members/${agent.id}/remove`;
      expect((await get('/admin/queues', supervisor).expect(200)).text).toContain(
        `href="${path}/confirm"`,
      );
      const page = await get(`${path}/confirm`, supervisor).expect(200);
      expect(page.text).toContain(`列 太郎さんを「${tenant.queue.name}」から外しますか`);
      expect(page.text).toContain(`<form method="post" action="${path}">`);
      const stranger = await createTestUser(testEnv.dataSource, { role: 'agent' });
      await get(
        `/admin/queues/${tenant.queue.id}/members/${stranger.id}/remove/confirm`,
        supervisor,
      ).expect(404);
      expect(
        await testEnv.dataSource.manager.countBy(QueueMember, {
          queueId: tenant.queue.id,
          userId: agent.id,
        }),
      ).toBe(1);
    });

    it("should confirm disabling one of the merchant's own users, never oneself", async () => {
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
        displayName: '閲覧 次郎',
      });
      const list = await get('/portal/users', merchantAdmin).expect(200);
      expect(list.text).toContain(`href="/portal/users/${viewer.id}/disable/confirm"`);
      const page = await get(`/portal/users/${viewer.id}/disable/confirm`, merchantAdmin).expect(
        200,
      );
      expect(page.text).toContain('閲覧 次郎さんを無効にしますか');
      expect(page.text).toContain(
        `<form method="post" action="/portal/users/${viewer.id}/disable">`,
      );
      await get(`/portal/users/${merchantAdminUser.id}/disable/confirm`, merchantAdmin).expect(404);
      const after = await testEnv.dataSource.manager.findOneByOrFail(User, { id: viewer.id });
      expect(after.disabledAt).toBeNull();
    });

    it('should ask before saving fewer allowed IP ranges, and save without asking otherwise', async () => {
      const OFFICE_IP = '203.0.113.10';
      const fromOffice = (path: string, fields: Record<string, string>) =>
        post(path, fields, merchantAdmin).set('x-forwarded-for', OFFICE_IP);
      await testEnv.dataSource.manager.update(Merchant, tenant.merchant.id, {
        allowedIpRanges: ['203.0.113.0/24', '198.51.100.0/24'],
      });
      const ranges = () =>
        testEnv.dataSource.manager
          .findOneByOrFail(Merchant, { id: tenant.merchant.id })
          .then((merchant) => merchant.allowedIpRanges);
      const fields = {
        notificationEmails: 'notify@merchant.test',
        allowedIpRanges: '203.0.113.0/24',
        handBackReminderDays: '3',
      };
      const settings = await get('/portal/settings', merchantAdmin)
        .set('x-forwarded-for', OFFICE_IP)
        .expect(200);
      expect(settings.text).toContain('action="/portal/settings/review"');

      const review = await fromOffice('/portal/settings/review', fields).expect(200);
      expect(review.text).toContain('接続を許可するIPアドレス範囲を削除しますか');
      expect(review.text).toMatch(/削除する範囲[\s\S]*198\.51\.100\.0\/24[\s\S]*残る範囲/);
      expect(review.text).toContain('<form method="post" action="/portal/settings">');
      expect(review.text).toContain('name="notificationEmails" value="notify@merchant.test"');
      expect(review.text).toContain('name="allowedIpRanges" value="203.0.113.0/24"');
      expect(await ranges()).toEqual(['203.0.113.0/24', '198.51.100.0/24']);

      // The confirmation posts the same fields to the unchanged save route.
      await fromOffice('/portal/settings', fields).expect(303);
      expect(await ranges()).toEqual(['203.0.113.0/24']);

      // Nothing removed: the review saves at once.
      await fromOffice('/portal/settings/review', {
        ...fields,
        allowedIpRanges: '203.0.113.0/24\n192.0.2.0/24',
      }).expect(303);
      expect(await ranges()).toEqual(['203.0.113.0/24', '192.0.2.0/24']);
      // The other tests reach the portal from the loopback address.
      await testEnv.dataSource.manager.update(Merchant, tenant.merchant.id, {
        allowedIpRanges: [],
      });
    });
  });

  describe('dates', () => {
    it.each([
      ['/admin/calendar', 'admin', ['date']],
      ['/admin/incidents', 'admin', ['occurredFrom', 'occurredTo']],
      ['/calls/log', 'admin', ['from', 'to']],
      ['/calls/stats', 'admin', ['from', 'to']],
      ['/supervisor/audit', 'admin', ['from', 'to']],
      ['/portal/export', 'merchant', ['from', 'to']],
      ['/portal/stats', 'merchant', ['from', 'to']],
      ['/portal/access-log', 'merchant', ['from', 'to']],
    ] as const)('should offer %s its dates as date pickers', async (path, who, names) => {
      const page = await get(path, as(who)).expect(200);
      for (const name of names) {
        expect(page.text).toMatch(
          new RegExp(`<input class="input"[^>]* name="${name}" type="date"`),
        );
      }
    });

    it("should offer a merchant's support end as a date picker", async () => {
      const page = await get(`/admin/merchants/${tenant.merchant.id}`, admin).expect(200);
      expect(page.text).toMatch(/<input class="input"[^>]* name="supportEndsOn" type="date"/);
    });

    it.each([
      ['/calls/log?from=2026/04/01', 'admin', 'from'],
      ['/calls/stats?from=2026/04/01', 'admin', 'from'],
      ['/supervisor/audit?from=2026/04/01', 'admin', 'from'],
      ['/portal/stats?from=2026/04/01', 'merchant', 'from'],
      ['/portal/access-log?from=2026/04/01', 'merchant', 'from'],
    ] as const)('should answer a typed %s with a field error', async (path, who, field) => {
      const page = await get(path, as(who));
      expect(page.status).toBe(400);
      expect(page.text).toContain('YYYY-MM-DD');
      expect(page.text).toMatch(new RegExp(`id="f-${field}-error"`));
    });

    it('should refuse a typed closure date in another format, and store nothing', async () => {
      const page = await post('/admin/calendar', { date: '2032/05/07', reason: '臨時' }, admin);
      expect(page.status).toBe(400);
      expect(page.text).toContain('id="f-date-error"');
      expect(await testEnv.dataSource.manager.countBy(CalendarClosure, { reason: '臨時' })).toBe(0);
      await post('/admin/calendar', { date: '2032-05-07', reason: '臨時' }, admin).expect(303);
    });
  });
});
