import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { CASE_EXPORT_MAX_ROWS } from '@madoguchi/reporting';
import { Ticket } from '@madoguchi/tickets';
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

describe(`merchant portal CSV export (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let adminA: User;
  let adminASession: LoggedIn;
  const refsA: string[] = [];
  const refsB: string[] = [];

  const server = () => desk.getHttpServer();

  const ticketRow = (tenant: TestTenant, fields: Partial<Ticket> = {}) => ({
    reference: `E${randomBytes(6).toString('hex').toUpperCase()}`,
    merchantId: tenant.merchant.id,
    siteId: tenant.site.id,
    queueId: tenant.queue.id,
    channel: 'web' as const,
    category: 'leak_check' as const,
    status: 'new' as const,
    priority: 'normal' as const,
    requesterName: 'ENCRYPTED-NAME-PLACEHOLDER',
    createdAt: tokyo('2025-04-01T10:00:00'),
    updatedAt: new Date(),
    version: 1,
    ...fields,
  });

  const postExport = (session: LoggedIn, fields: Record<string, string>) =>
    request(server())
      .post('/portal/export')
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .buffer(true)
      .send({ _csrf: session.csrfToken, ...fields });

  const RANGE = { from: '2025-04-01', to: '2025-04-02' };

  const audits = (actorId: number, action: string) =>
    testEnv.dataSource.manager.find(AuditEvent, { where: { actorId, action } });

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv);
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    adminA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
    });
    adminASession = await loginAs(desk, adminA.email);
    const rows = [
      ticketRow(tenantA, {
        status: 'resolved',
        category: 'payment',
        channel: 'phone',
        priority: 'high',
        firstRespondedAt: tokyo('2025-04-01T11:30:00'),
        resolvedAt: tokyo('2025-04-02T09:05:00'),
      }),
      ticketRow(tenantA, { createdAt: tokyo('2025-04-02T23:59:00'), status: 'pending_merchant' }),
      // outside the range
      ticketRow(tenantA, { createdAt: tokyo('2025-04-03T00:00:00') }),
      ticketRow(tenantB, {}),
      ticketRow(tenantB, { createdAt: tokyo('2025-04-02T12:00:00') }),
    ];
    await testEnv.dataSource.manager.insert(Ticket, rows);
    refsA.push(rows[0].reference, rows[1].reference, rows[2].reference);
    refsB.push(rows[3].reference, rows[4].reference);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should show the form with a password field to a merchant admin', async () => {
    const { text } = await request(server())
      .get('/portal/export')
      .set('Cookie', adminASession.cookie)
      .set('Accept', 'text/html')
      .expect(200);
    expect(text).toContain('name="password"');
    expect(text).toContain('type="password"');
    expect(text).toContain('href="/portal/export"');
  });

  it('should refuse a wrong password with 400, audit it and send no file', async () => {
    const response = await postExport(adminASession, { ...RANGE, password: 'wrong password' });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(response.text).toContain('パスワードが正しくありません');
    expect(response.text).not.toContain('wrong password');
    const failed = await audits(adminA.id, 'export.cases_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].merchantId).toBe(tenantA.merchant.id);
    expect(await audits(adminA.id, 'export.cases')).toHaveLength(0);
  });

  it('should send the CSV with BOM, CRLF, Japanese labels and no personal data or other merchant', async () => {
    const response = await postExport(adminASession, { ...RANGE, password: TEST_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="madoguchi-cases-${tenantA.merchant.code}-2025-04-01-2025-04-02.csv"`,
    );
    expect(response.headers['cache-control']).toBe('no-store');
    const text = response.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const records = text.slice(1).split('\r\n');
    expect(records.at(-1)).toBe('');
    expect(text.slice(1).replace(/\r\n/g, '')).not.toContain('\n');
    expect(records[0]).toBe('受付番号,受付日時,状態,種別,経路,優先度,初回返信日時,解決日時');
    expect(records.slice(1, -1)).toEqual([
      `${refsA[0]},2025-04-01 10:00,解決済み,決済・カード,電話,高,2025-04-01 11:30,2025-04-02 09:05`,
      `${refsA[1]},2025-04-02 23:59,加盟店の返答待ち,流出の有無・対象の確認,Web,通常,,`,
    ]);
    for (const reference of [...refsB, refsA[2]]) expect(text).not.toContain(reference);
    expect(text).not.toContain('ENCRYPTED-NAME-PLACEHOLDER');
    const done = await audits(adminA.id, 'export.cases');
    expect(done).toHaveLength(1);
    expect(JSON.parse(done[0].detail ?? '{}')).toEqual({ ...RANGE, rows: 2 });
  });

  it('should refuse the sixth export of the Tokyo day with 429', async () => {
    // one export done above; four more reach the limit of five
    for (let i = 0; i < 4; i += 1)
      expect((await postExport(adminASession, { ...RANGE, password: TEST_PASSWORD })).status).toBe(
        200,
      );
    const sixth = await postExport(adminASession, { ...RANGE, password: TEST_PASSWORD });
    expect(sixth.status).toBe(429);
    expect(sixth.headers['content-disposition']).toBeUndefined();
    expect(sixth.text).toContain('1日5回まで');
    expect(await audits(adminA.id, 'export.cases')).toHaveLength(5);
  });

  it('should stop checking passwords after five wrong ones in a day (429)', async () => {
    const guesser = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
    });
    const session = await loginAs(desk, guesser.email);
    for (let i = 0; i < 5; i += 1)
      expect((await postExport(session, { ...RANGE, password: `guess ${i}` })).status).toBe(400);
    const right = await postExport(session, { ...RANGE, password: TEST_PASSWORD });
    expect(right.status).toBe(429);
    expect(right.headers['content-disposition']).toBeUndefined();
    expect(await audits(guesser.id, 'export.cases_failed')).toHaveLength(5);
    expect(await audits(guesser.id, 'export.cases')).toHaveLength(0);
  });

  it('should refuse a range with more cases than the cap and ask for a narrower one', async () => {
    const tenantC = await createTestTenant(testEnv.dataSource, { merchantName: 'かえで商店' });
    const adminC = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantC.merchant.id,
    });
    const rows = Array.from({ length: CASE_EXPORT_MAX_ROWS + 1 }, (_, i) =>
      ticketRow(tenantC, {
        requesterName: null,
        createdAt: new Date(tokyo('2025-05-01T00:00:00').getTime() + i * 1000),
      }),
    );
    for (let i = 0; i < rows.length; i += 200)
      await testEnv.dataSource.manager.insert(Ticket, rows.slice(i, i + 200));
    const session = await loginAs(desk, adminC.email);
    const refused = await postExport(session, {
      from: '2025-05-01',
      to: '2025-05-01',
      password: TEST_PASSWORD,
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`${CASE_EXPORT_MAX_ROWS}件を超えています`);
    expect(refused.text).toContain('期間を短く');
    expect(await audits(adminC.id, 'export.cases')).toHaveLength(0);
  }, 120_000);

  it('should refuse a malformed or reversed range with 400', async () => {
    const other = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
    });
    const session = await loginAs(desk, other.email);
    const bad = await postExport(session, { from: '2025-02-30', password: TEST_PASSWORD });
    expect(bad.status).toBe(400);
    const reversed = await postExport(session, {
      from: '2025-04-02',
      to: '2025-04-01',
      password: TEST_PASSWORD,
    });
    expect(reversed.status).toBe(400);
    expect(await audits(other.id, 'export.cases')).toHaveLength(0);
  });

  it('should refuse a merchant viewer and operator staff (403)', async () => {
    const viewer = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    const staff = await createTestUser(testEnv.dataSource, { role: 'admin' });
    for (const user of [viewer, staff]) {
      const session = await loginAs(desk, user.email);
      await request(server())
        .get('/portal/export')
        .set('Cookie', session.cookie)
        .set('Accept', 'text/html')
        .expect(403);
      const response = await postExport(session, { ...RANGE, password: TEST_PASSWORD });
      expect(response.status).toBe(403);
      expect(await audits(user.id, 'export.cases')).toHaveLength(0);
    }
  });

  it('should refuse an export without the CSRF token', async () => {
    await request(server())
      .post('/portal/export')
      .set('Cookie', adminASession.cookie)
      .type('form')
      .send({ ...RANGE, password: TEST_PASSWORD })
      .expect(403);
  });

  it('should only ever export the signed-in merchant\u2019s cases', async () => {
    const adminB = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantB.merchant.id,
    });
    const session = await loginAs(desk, adminB.email);
    const response = await postExport(session, {
      ...RANGE,
      password: TEST_PASSWORD,
      merchantId: String(tenantA.merchant.id),
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toContain(tenantB.merchant.code);
    for (const reference of refsB) expect(response.text).toContain(reference);
    for (const reference of refsA) expect(response.text).not.toContain(reference);
  });
});
