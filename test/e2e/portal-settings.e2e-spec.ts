import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { Session, User } from '@madoguchi/auth';
import { Merchant } from '@madoguchi/tenancy';
import {
  createTestUser,
  type LoggedIn,
  loginAs,
  startDeskApp,
  TEST_PASSWORD,
} from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

// The merchant admin's office network once its ranges are set (TRUST_PROXY + X-Forwarded-For).
const OFFICE_IP = '203.0.113.10';
const OUTSIDE_IP = '198.51.100.77';

describe(`portal settings and users (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let adminA: User;
  let viewerA: User;
  let userB: User;
  let adminASession: LoggedIn;
  let viewerASession: LoggedIn;
  let agentSession: LoggedIn;
  let staffAdminSession: LoggedIn;

  const server = () => desk.getHttpServer();
  const merchantOf = (id: number) =>
    testEnv.dataSource.getRepository(Merchant).findOneByOrFail({ id });
  const userOf = (id: number) => testEnv.dataSource.getRepository(User).findOneByOrFail({ id });

  const get = (path: string, session: LoggedIn, ip = OFFICE_IP) =>
    request(server())
      .get(path)
      .set('cookie', session.cookie)
      .set('accept', 'text/html')
      .set('x-forwarded-for', ip);

  const post = (path: string, session: LoggedIn, fields: Record<string, string>, ip = OFFICE_IP) =>
    request(server())
      .post(path)
      .set('cookie', session.cookie)
      .set('accept', 'text/html')
      .set('x-forwarded-for', ip)
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });

  const saveSettings = (fields: { notificationEmails: string; allowedIpRanges: string }) =>
    post('/portal/settings', adminASession, fields);

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv, { TRUST_PROXY: 'true', OUTBOX_WORKER: 'off' });
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    adminA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
    });
    viewerA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    userB = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantB.merchant.id,
    });
    const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
    const staffAdmin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    adminASession = await loginAs(desk, adminA.email);
    viewerASession = await loginAs(desk, viewerA.email);
    agentSession = await loginAs(desk, agent.email);
    staffAdminSession = await loginAs(desk, staffAdmin.email);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('settings', () => {
    it('should show the merchant its own notification addresses', async () => {
      const response = await get('/portal/settings', adminASession).expect(200);
      expect(response.text).toContain(tenantA.merchant.notificationEmails[0]);
      expect(response.text).toContain('さくら商店');
      expect(response.text).not.toContain('もみじ商店');
    });

    it('should save valid addresses and IPv4/IPv6 ranges and audit only the field names', async () => {
      await saveSettings({
        notificationEmails: 'ops@sakura.example.jp\nsupport@sakura.example.jp',
        allowedIpRanges: '203.0.113.0/24\n2001:db8::/32',
      })
        .expect(303)
        .expect('location', '/portal/settings?done=saved');
      const merchant = await merchantOf(tenantA.merchant.id);
      expect(merchant.notificationEmails).toEqual([
        'ops@sakura.example.jp',
        'support@sakura.example.jp',
      ]);
      expect(merchant.allowedIpRanges).toEqual(['203.0.113.0/24', '2001:db8::/32']);
      const events = await testEnv.dataSource.getRepository(AuditEvent).findBy({
        action: 'merchant.settings_updated',
        merchantId: tenantA.merchant.id,
      });
      expect(events).toHaveLength(1);
      expect(events[0].actorId).toBe(adminA.id);
      expect(events[0].ip).toBe(OFFICE_IP);
      expect(JSON.parse(events[0].detail ?? '{}')).toEqual({
        changed: ['notificationEmails', 'allowedIpRanges'],
      });
      expect(events[0].detail).not.toContain('sakura.example.jp');
      expect(events[0].detail).not.toContain('203.0.113');
      // Another merchant's settings are untouched.
      expect((await merchantOf(tenantB.merchant.id)).allowedIpRanges).toEqual([]);
    });

    it.each([
      [
        'a malformed address',
        'ops@sakura',
        '203.0.113.0/24',
        'notificationEmails',
        'メールアドレスの形式',
      ],
      [
        'more than 20 addresses',
        Array.from({ length: 21 }, (_, i) => `a${i}@sakura.example.jp`).join('\n'),
        '203.0.113.0/24',
        'notificationEmails',
        '20件まで',
      ],
      [
        'a malformed IPv4 range',
        'ops@sakura.example.jp',
        '203.0.113.0/33',
        'allowedIpRanges',
        'CIDR',
      ],
      [
        'a malformed IPv6 range',
        'ops@sakura.example.jp',
        '2001:db8::zz/32',
        'allowedIpRanges',
        'CIDR',
      ],
      [
        'ranges that would lock out the current request',
        'ops@sakura.example.jp',
        '192.0.2.0/24',
        'allowedIpRanges',
        OFFICE_IP,
      ],
    ])(
      'should refuse %s with a field error and change nothing',
      async (_case, notificationEmails, allowedIpRanges, field, message) => {
        const before = await merchantOf(tenantA.merchant.id);
        const auditsBefore = await testEnv.dataSource
          .getRepository(AuditEvent)
          .countBy({ action: 'merchant.settings_updated' });
        const response = await saveSettings({ notificationEmails, allowedIpRanges }).expect(400);
        expect(response.text).toContain(`href="#f-${field}"`);
        expect(response.text).toContain(message);
        const after = await merchantOf(tenantA.merchant.id);
        expect(after.notificationEmails).toEqual(before.notificationEmails);
        expect(after.allowedIpRanges).toEqual(before.allowedIpRanges);
        expect(after.updatedAt.getTime()).toBe(before.updatedAt.getTime());
        expect(
          await testEnv.dataSource
            .getRepository(AuditEvent)
            .countBy({ action: 'merchant.settings_updated' }),
        ).toBe(auditsBefore);
      },
    );

    it('should say which address would be locked out', async () => {
      const response = await saveSettings({
        notificationEmails: 'ops@sakura.example.jp',
        allowedIpRanges: '192.0.2.0/24',
      }).expect(400);
      expect(response.text).toContain('いま操作している接続元（203.0.113.10）');
    });
  });

  describe('who may open the settings', () => {
    it.each(['/portal/settings', '/portal/users'])(
      'should refuse a merchant viewer and operator staff on %s with 403',
      async (path) => {
        await get(path, viewerASession).expect(403);
        await get(path, agentSession).expect(403);
        await get(path, staffAdminSession).expect(403);
      },
    );

    it('should not let a merchant viewer change the settings or invite', async () => {
      const before = await merchantOf(tenantA.merchant.id);
      await post('/portal/settings', viewerASession, {
        notificationEmails: 'evil@example.com',
        allowedIpRanges: '',
      }).expect(403);
      await post('/portal/users', viewerASession, {
        email: 'viewer-invite@sakura.example.jp',
        displayName: '招待',
        role: 'merchant_admin',
      }).expect(403);
      const after = await merchantOf(tenantA.merchant.id);
      expect(after.notificationEmails).toEqual(before.notificationEmails);
      expect(
        await testEnv.dataSource
          .getRepository(User)
          .existsBy({ email: 'viewer-invite@sakura.example.jp' }),
      ).toBe(false);
    });
  });

  describe('users', () => {
    it("should list only the merchant's own users", async () => {
      const response = await get('/portal/users', adminASession).expect(200);
      expect(response.text).toContain(viewerA.email);
      expect(response.text).toContain(adminA.email);
      expect(response.text).not.toContain(userB.email);
    });

    it("should invite a user into the admin's own merchant, whatever the form says", async () => {
      const email = `invitee-${Date.now()}@sakura.example.jp`;
      await post('/portal/users', adminASession, {
        email,
        displayName: '新しい 担当',
        role: 'merchant_viewer',
        merchantId: String(tenantB.merchant.id),
      })
        .expect(303)
        .expect('location', '/portal/users?done=invited');
      const invited = await testEnv.dataSource.getRepository(User).findOneByOrFail({ email });
      expect(invited.merchantId).toBe(tenantA.merchant.id);
      expect(invited.role).toBe('merchant_viewer');
      expect(invited.inviteTokenHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it.each(['agent', 'supervisor', 'admin', ''])(
      'should refuse to invite a user with role "%s" and create nothing',
      async (role) => {
        const email = `staff-${role || 'none'}-${Date.now()}@sakura.example.jp`;
        const response = await post('/portal/users', adminASession, {
          email,
          displayName: 'スタッフ',
          role,
        }).expect(400);
        expect(response.text).toContain('href="#f-role"');
        expect(await testEnv.dataSource.getRepository(User).existsBy({ email })).toBe(false);
      },
    );

    it("should answer 404 for another merchant's user and change nothing", async () => {
      await post(`/portal/users/${userB.id}/disable`, adminASession, {}).expect(404);
      expect((await userOf(userB.id)).disabledAt).toBeNull();
      await testEnv.dataSource
        .getRepository(User)
        .update({ id: userB.id }, { disabledAt: new Date() });
      await post(`/portal/users/${userB.id}/enable`, adminASession, {}).expect(404);
      expect((await userOf(userB.id)).disabledAt).not.toBeNull();
      await testEnv.dataSource.getRepository(User).update({ id: userB.id }, { disabledAt: null });
      await post('/portal/users/999999/disable', adminASession, {}).expect(404);
      await post('/portal/users/abc/disable', adminASession, {}).expect(404);
    });

    it("should disable its own merchant's user and end that user's sessions at once", async () => {
      const colleague = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenantA.merchant.id,
      });
      // Tenant A allows only its office network by now: log in from there.
      const login = await request(server())
        .post('/api/v1/auth/login')
        .set('x-forwarded-for', OFFICE_IP)
        .send({ email: colleague.email, password: TEST_PASSWORD })
        .expect(200);
      const colleagueSession: LoggedIn = {
        cookie: ([] as string[])
          .concat(login.headers['set-cookie'] ?? [])
          .map((header) => header.split(';')[0])
          .join('; '),
        csrfToken: (login.body as { csrfToken: string }).csrfToken,
      };
      await get('/portal/cases', colleagueSession).expect(200);

      await post(`/portal/users/${colleague.id}/disable`, adminASession, {})
        .expect(303)
        .expect('location', '/portal/users?done=disabled');
      expect((await userOf(colleague.id)).disabledAt).not.toBeNull();
      const live = await testEnv.dataSource.getRepository(Session).findBy({ userId: colleague.id });
      expect(live.every((session) => session.revokedAt !== null)).toBe(true);
      await request(server())
        .get('/api/v1/auth/me')
        .set('cookie', colleagueSession.cookie)
        .set('x-forwarded-for', OFFICE_IP)
        .expect(401);

      await post(`/portal/users/${colleague.id}/enable`, adminASession, {}).expect(303);
      expect((await userOf(colleague.id)).disabledAt).toBeNull();
    });

    it('should not let a merchant admin disable itself', async () => {
      const response = await post(`/portal/users/${adminA.id}/disable`, adminASession, {}).expect(
        400,
      );
      expect(response.text).toContain('自分自身を無効にすることはできません');
      expect((await userOf(adminA.id)).disabledAt).toBeNull();
    });
  });

  describe('refused network', () => {
    it('should show a Japanese 403 page with the address to a browser outside the ranges', async () => {
      // Tenant A allows 203.0.113.0/24 since the settings tests.
      expect((await merchantOf(tenantA.merchant.id)).allowedIpRanges).toContain('203.0.113.0/24');
      const response = await get('/portal/cases', viewerASession, OUTSIDE_IP).expect(403);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('この接続元からは利用できません');
      expect(response.text).toContain(OUTSIDE_IP);
      expect(response.text).toContain('加盟店管理者');
      await get('/portal/cases', viewerASession, OFFICE_IP).expect(200);
    });

    it('should keep the JSON 403 for the API outside the ranges', async () => {
      const response = await request(server())
        .get('/api/v1/auth/me')
        .set('cookie', viewerASession.cookie)
        .set('accept', 'application/json')
        .set('x-forwarded-for', OUTSIDE_IP)
        .expect(403);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toMatchObject({ statusCode: 403, code: expect.any(String) });
      expect(response.text).not.toContain('<html');
    });

    it('should leave another merchant without ranges reachable from anywhere', async () => {
      const userBSession = await loginAs(desk, userB.email);
      await get('/portal/cases', userBSession, OUTSIDE_IP).expect(200);
    });
  });
});
