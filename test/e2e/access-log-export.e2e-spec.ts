import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { AUDIT_LOG_EXPORT_DAILY_LIMIT, AUDIT_LOG_EXPORT_MAX_ROWS } from '@madoguchi/reporting';
import { AUDIT_ACTION_LABELS_JA } from '../../apps/desk/src/web/parts/audit-actions.texts';
import {
  createTestUser,
  type LoggedIn,
  loginAs,
  startDeskApp,
  TEST_PASSWORD,
} from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const tokyo = (text: string) => new Date(`${text}+09:00`);

/**
 * Issue 13.8: every audit action has a Japanese label on the merchant's access log and the
 * operator's audit page; both filter by action; both export a bounded, audited CSV (password
 * again, the filters respected, a merchant only ever gets its own tenant's rows).
 */
describe(`readable access log: labels, action filter, CSV export (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let staffAgent: User;
  let adminA: User;
  let adminB: User;
  let supervisor: User;
  let adminASession: LoggedIn;
  let adminBSession: LoggedIn;
  let viewerASession: LoggedIn;
  let supervisorSession: LoggedIn;
  let agentSession: LoggedIn;

  const server = () => desk.getHttpServer();
  const get = (path: string, session: LoggedIn) =>
    request(server()).get(path).set('Cookie', session.cookie).set('Accept', 'text/html');
  const post = (path: string, session: LoggedIn, fields: Record<string, string>) =>
    request(server())
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .buffer(true)
      .send({ _csrf: session.csrfToken, ...fields });
  const events = (actorId: number, action: string) =>
    testEnv.dataSource.manager.find(AuditEvent, { where: { actorId, action } });
  const listedIds = (html: string, attr: string) =>
    [...html.matchAll(new RegExp(`${attr}="(\\d+)"`, 'g'))].map((m) => Number(m[1]));

  const event = (fields: Partial<AuditEvent>): Partial<AuditEvent> => ({
    actorType: 'user',
    actorId: staffAgent.id,
    action: AUDIT_ACTIONS.ticketViewed,
    merchantId: tenantA.merchant.id,
    targetType: 'ticket',
    targetId: 'REF-A-1',
    ip: '198.51.100.7',
    detail: null,
    createdAt: tokyo('2025-05-01T10:00:00'),
    ...fields,
  });

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv);
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    staffAgent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      displayName: '窓口 花子',
    });
    adminA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
    });
    adminB = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantB.merchant.id,
    });
    const viewerA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    adminASession = await loginAs(desk, adminA.email);
    adminBSession = await loginAs(desk, adminB.email);
    viewerASession = await loginAs(desk, viewerA.email);
    supervisorSession = await loginAs(desk, supervisor.email);
    agentSession = await loginAs(desk, staffAgent.email);
    await testEnv.dataSource.manager.insert(AuditEvent, [
      event({}),
      event({ action: AUDIT_ACTIONS.ticketReplied, targetId: 'REF-A-1' }),
      event({ action: AUDIT_ACTIONS.callViewed, targetType: 'call', targetId: '77' }),
      event({ action: AUDIT_ACTIONS.ticketViewed, targetId: '=HYPERLINK("x")' }),
      // Another merchant's events: never in A's log or A's file.
      event({ merchantId: tenantB.merchant.id, targetId: 'REF-B-SECRET' }),
      event({
        merchantId: tenantB.merchant.id,
        action: AUDIT_ACTIONS.ticketReplied,
        targetId: 'REF-B-SECRET-2',
      }),
    ]);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('labels', () => {
    it('should have a Japanese label for every audit action (AUDIT_ACTIONS)', () => {
      for (const action of Object.values(AUDIT_ACTIONS)) {
        const label = (AUDIT_ACTION_LABELS_JA as Record<string, string>)[action];
        expect({ action, label: typeof label }).toEqual({ action, label: 'string' });
        expect(label).toMatch(/[ぁ-んァ-ヶ一-龠]/);
      }
    });

    it('should label every action in the operator’s filter and the table', async () => {
      const page = await get('/supervisor/audit', supervisorSession).expect(200);
      for (const action of Object.values(AUDIT_ACTIONS)) {
        expect(page.text).toContain(`<option value="${action}"`);
        // The label escaped as the page writes it.
        const label = AUDIT_ACTION_LABELS_JA[action].replace(/&/g, '&amp;').replace(/</g, '&lt;');
        expect(page.text).toContain(`${label}（${action}）`);
      }
      expect(page.text).toContain('お客様へ返信');
    });

    it('should label the merchant’s log and offer its own actions as the filter', async () => {
      const page = await get('/portal/access-log', adminASession).expect(200);
      expect(page.text).toContain('<select');
      expect(page.text).toContain(`<option value="${AUDIT_ACTIONS.callViewed}"`);
      expect(page.text).toContain(AUDIT_ACTION_LABELS_JA['call.viewed']);
      expect(page.text).not.toContain('REF-B-SECRET');
    });
  });

  describe('filter by action', () => {
    it('should filter the merchant’s log by action, its own rows only', async () => {
      const page = await get(
        `/portal/access-log?action=${AUDIT_ACTIONS.ticketReplied}`,
        adminASession,
      ).expect(200);
      const mine = await testEnv.dataSource.manager.findBy(AuditEvent, {
        merchantId: tenantA.merchant.id,
        action: AUDIT_ACTIONS.ticketReplied,
      });
      expect(listedIds(page.text, 'data-event-id').sort()).toEqual(mine.map((e) => e.id).sort());
      expect(page.text).not.toContain('REF-B-SECRET');
      expect(page.text).toMatch(/<option value="ticket.replied"[^>]*selected/);
    });

    it('should refuse an unknown action with a field error (400)', async () => {
      const page = await get('/portal/access-log?action=drop.tables', adminASession).expect(400);
      expect(page.text).toContain('操作を一覧から選んでください。');
      const staff = await get('/supervisor/audit?action=drop.tables', supervisorSession).expect(
        400,
      );
      expect(staff.text).toContain('一覧にある操作を選んでください。');
    });

    it('should filter the operator’s audit page by action across merchants', async () => {
      const page = await get(
        `/supervisor/audit?action=${AUDIT_ACTIONS.ticketReplied}`,
        supervisorSession,
      ).expect(200);
      const all = await testEnv.dataSource.manager.findBy(AuditEvent, {
        action: AUDIT_ACTIONS.ticketReplied,
      });
      expect(listedIds(page.text, 'data-audit-id').sort()).toEqual(all.map((e) => e.id).sort());
      expect(page.text).toContain('REF-B-SECRET-2');
    });
  });

  describe('the merchant’s CSV export', () => {
    it('should say the bounds on the page before the export', async () => {
      const page = await get('/portal/access-log', adminASession).expect(200);
      expect(page.text).toContain('action="/portal/access-log/export"');
      expect(page.text).toContain('type="password"');
      expect(page.text).toContain(
        `1回あたり${AUDIT_LOG_EXPORT_MAX_ROWS}件まで（超える場合はダウンロードできません`,
      );
      expect(page.text).toContain(`1日${AUDIT_LOG_EXPORT_DAILY_LIMIT}回まで`);
    });

    it('should refuse a viewer (403) and a request without CSRF token, writing nothing', async () => {
      await post('/portal/access-log/export', viewerASession, { password: TEST_PASSWORD }).expect(
        403,
      );
      await request(server())
        .post('/portal/access-log/export')
        .set('Cookie', adminASession.cookie)
        .type('form')
        .send({ password: TEST_PASSWORD })
        .expect(403);
      expect(await events(adminA.id, 'audit_log.exported')).toHaveLength(0);
    });

    it('should refuse a wrong password with 400, audited, no file', async () => {
      const response = await post('/portal/access-log/export', adminASession, {
        password: 'wrong password',
      }).expect(400);
      expect(response.headers['content-disposition']).toBeUndefined();
      expect(response.text).toContain('パスワードが正しくありません');
      expect(response.text).not.toContain('wrong password');
      const failed = await events(adminA.id, 'audit_log.export_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0].merchantId).toBe(tenantA.merchant.id);
      expect(await events(adminA.id, 'audit_log.exported')).toHaveLength(0);
    });

    it('should send its own rows, filtered, as a safe CSV with BOM, and audit it', async () => {
      const response = await post('/portal/access-log/export', adminASession, {
        password: TEST_PASSWORD,
        action: AUDIT_ACTIONS.ticketViewed,
        from: '2025-05-01',
        to: '2025-05-01',
      }).expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-disposition']).toMatch(
        new RegExp(`^attachment; filename="madoguchi-access-log-${tenantA.merchant.code}-`),
      );
      const text = response.text;
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const records = text.slice(1).split('\r\n');
      expect(records[0]).toBe('日時,利用者,役割,操作,操作コード,案件,IPアドレス');
      expect(records.slice(1, -1)).toHaveLength(2);
      expect(records.slice(1, -1)).toContain(
        '2025-05-01 10:00,窓口 花子,エージェント,案件を閲覧,ticket.viewed,REF-A-1,198.51.100.7',
      );
      // A cell that would run as a formula is neutralised.
      expect(text).toContain(`"'=HYPERLINK(""x"")"`);
      expect(text).not.toContain('REF-B-SECRET');
      expect(text).not.toContain('お客様へ返信');
      const done = await events(adminA.id, 'audit_log.exported');
      expect(done).toHaveLength(1);
      expect(done[0].merchantId).toBe(tenantA.merchant.id);
      expect(JSON.parse(done[0].detail ?? '{}')).toEqual({
        scope: 'access_log',
        action: 'ticket.viewed',
        from: '2025-05-01',
        to: '2025-05-01',
        rows: 2,
      });
      // The export shows in the merchant's own log, labelled.
      const log = await get('/portal/access-log', adminASession).expect(200);
      expect(log.text).toContain(AUDIT_ACTION_LABELS_JA['audit_log.exported']);
    });

    it('should never give merchant B a row of merchant A, whatever it posts', async () => {
      const response = await post('/portal/access-log/export', adminBSession, {
        password: TEST_PASSWORD,
        merchantId: String(tenantA.merchant.id),
        user: String(staffAgent.id),
      }).expect(200);
      expect(response.text).toContain('REF-B-SECRET');
      expect(response.text).not.toContain('REF-A-1');
      expect(response.text).not.toContain('HYPERLINK');
      const done = await events(adminB.id, 'audit_log.exported');
      expect(done[0].merchantId).toBe(tenantB.merchant.id);
    });

    it('should keep the staff out of the portal export (403)', async () => {
      await post('/portal/access-log/export', supervisorSession, {
        password: TEST_PASSWORD,
      }).expect(403);
    });
  });

  describe('the operator’s CSV export', () => {
    it('should refuse an agent (403) and a merchant admin (403)', async () => {
      await post('/supervisor/audit/export', agentSession, { password: TEST_PASSWORD }).expect(403);
      await post('/supervisor/audit/export', adminASession, { password: TEST_PASSWORD }).expect(
        403,
      );
    });

    it('should export the filtered trail with labels and audit it', async () => {
      const page = await get('/supervisor/audit', supervisorSession).expect(200);
      expect(page.text).toContain('action="/supervisor/audit/export"');
      const wrong = await post('/supervisor/audit/export', supervisorSession, {
        password: 'nope',
      }).expect(400);
      expect(wrong.text).toContain('パスワードが正しくありません');
      expect(await events(supervisor.id, 'audit_log.export_failed')).toHaveLength(1);
      const response = await post('/supervisor/audit/export', supervisorSession, {
        password: TEST_PASSWORD,
        action: AUDIT_ACTIONS.ticketReplied,
        merchantId: String(tenantB.merchant.id),
      }).expect(200);
      const records = response.text.slice(1).split('\r\n');
      expect(records[0]).toBe(
        '日時,操作者の種類,操作者ID,操作者,操作,操作コード,加盟店,対象の種類,対象,IPアドレス,詳細',
      );
      expect(records.slice(1, -1)).toEqual([
        `2025-05-01 10:00,利用者,${staffAgent.id},窓口 花子,お客様へ返信,ticket.replied,もみじ商店,ticket,REF-B-SECRET-2,198.51.100.7,`,
      ]);
      const done = await events(supervisor.id, 'audit_log.exported');
      expect(done).toHaveLength(1);
      expect(done[0].merchantId).toBe(tenantB.merchant.id);
      expect(JSON.parse(done[0].detail ?? '{}')).toMatchObject({
        scope: 'audit_trail',
        action: 'ticket.replied',
        rows: 1,
      });
    });
  });

  describe('the row cap', () => {
    it('should warn on the page and refuse a selection over the cap, writing no export event', async () => {
      const rows: Partial<AuditEvent>[] = [];
      for (let i = 0; i <= AUDIT_LOG_EXPORT_MAX_ROWS; i += 1)
        rows.push(
          event({
            action: AUDIT_ACTIONS.ticketSearched,
            targetType: null,
            targetId: null,
            createdAt: tokyo('2025-06-01T09:00:00'),
          }),
        );
      for (let i = 0; i < rows.length; i += 500)
        await testEnv.dataSource.manager.insert(AuditEvent, rows.slice(i, i + 500));
      const query = `action=${AUDIT_ACTIONS.ticketSearched}`;
      const page = await get(`/portal/access-log?${query}`, adminASession).expect(200);
      expect(page.text).toContain(
        `いまの条件では${AUDIT_LOG_EXPORT_MAX_ROWS + 1}件あり、上限の${AUDIT_LOG_EXPORT_MAX_ROWS}件を超えています`,
      );
      const before = (await events(adminA.id, 'audit_log.exported')).length;
      const refused = await post('/portal/access-log/export', adminASession, {
        password: TEST_PASSWORD,
        action: AUDIT_ACTIONS.ticketSearched,
      }).expect(400);
      expect(refused.headers['content-disposition']).toBeUndefined();
      expect(refused.text).toContain('件を超えています。期間や操作で絞り込んで');
      expect(await events(adminA.id, 'audit_log.exported')).toHaveLength(before);
      const staffPage = await get(`/supervisor/audit?${query}`, supervisorSession).expect(200);
      expect(staffPage.text).toContain('上限の');
      await post('/supervisor/audit/export', supervisorSession, {
        password: TEST_PASSWORD,
        action: AUDIT_ACTIONS.ticketSearched,
      }).expect(400);
    });
  });
});
