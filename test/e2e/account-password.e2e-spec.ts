import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { MoreThan } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import { Session, totpCodeAt, User } from '@madoguchi/auth';
import { OutboxJob, OutboxService } from '@madoguchi/mail';
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

const NEW_PASSWORD = 'lantern quietly over the river';
const RESET_LINK = /\/password\/reset\/([A-Za-z0-9_-]{43})/;
const INVITE_LINK = /\/invite\/([A-Za-z0-9_-]{43})/;

describe(`a user's own password, resent invitations, merchant TOTP (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenant: TestTenant;

  const server = () => desk.getHttpServer();
  const users = () => testEnv.dataSource.getRepository(User);
  const post = (path: string, session: LoggedIn | null, fields: Record<string, string>) => {
    const call = request(server()).post(path).type('form');
    return session
      ? call.set('cookie', session.cookie).send({ _csrf: session.csrfToken, ...fields })
      : call.send(fields);
  };
  const auditOf = (action: string, userId: number) =>
    testEnv.dataSource
      .getRepository(AuditEvent)
      .find({ where: { action, targetType: 'user', targetId: String(userId) } });
  /** The mails the outbox holds for `to`, opened, newest last. */
  const mailsTo = async (to: string, afterId = 0) => {
    const outbox = desk.get(OutboxService);
    const jobs = await testEnv.dataSource
      .getRepository(OutboxJob)
      .find({ where: { id: MoreThan(afterId) }, order: { id: 'ASC' } });
    return jobs.map((job) => outbox.readMail(job)).filter((mail) => mail.to === to);
  };
  const lastJobId = async () =>
    (await testEnv.dataSource.getRepository(OutboxJob).find({ order: { id: 'DESC' }, take: 1 }))[0]
      ?.id ?? 0;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('changing one’s password', () => {
    it('should need the current password, refuse common ones, end the other sessions and audit it', async () => {
      const user = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const here = await loginAs(desk, user.email);
      const elsewhere = await loginAs(desk, user.email);
      const before = (await users().findOneByOrFail({ id: user.id })).passwordHash;

      const page = await request(server())
        .get('/account/password')
        .set('cookie', here.cookie)
        .expect(200);
      expect(page.text).toContain('パスワードの変更');

      const wrong = await post('/account/password', here, {
        currentPassword: 'not the password at all',
        password: NEW_PASSWORD,
        confirmation: NEW_PASSWORD,
      }).expect(400);
      expect(wrong.text).toContain('現在のパスワードが正しくありません。');
      const common = await post('/account/password', here, {
        currentPassword: TEST_PASSWORD,
        password: 'Password1234!',
        confirmation: 'Password1234!',
      }).expect(400);
      expect(common.text).toContain('よく使われているパスワード');
      expect((await users().findOneByOrFail({ id: user.id })).passwordHash).toBe(before);

      await post('/account/password', here, {
        currentPassword: TEST_PASSWORD,
        password: NEW_PASSWORD,
        confirmation: NEW_PASSWORD,
      })
        .expect(303)
        .expect('location', '/account/password?done=changed');

      // This session goes on; the other one has ended; the new password logs in.
      await request(server()).get('/api/v1/auth/me').set('cookie', here.cookie).expect(200);
      await request(server()).get('/api/v1/auth/me').set('cookie', elsewhere.cookie).expect(401);
      await loginAs(desk, user.email, NEW_PASSWORD);
      await request(server())
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: TEST_PASSWORD })
        .expect(401);
      const [event] = await auditOf(AUDIT_ACTIONS.userPasswordChanged, user.id);
      expect(event).toMatchObject({ actorType: 'user', actorId: user.id, ip: expect.any(String) });
      expect(JSON.parse(event.detail as string)).toEqual({ sessionsEnded: 1 });
    });

    it('should refuse a password that contains the email address or the display name', async () => {
      const user = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        displayName: 'Kobayashi Midori',
      });
      const session = await loginAs(desk, user.email);
      for (const password of [`${user.email}!!`, 'kobayashi under the moon']) {
        const refused = await post('/account/password', session, {
          currentPassword: TEST_PASSWORD,
          password,
          confirmation: password,
        }).expect(400);
        expect(refused.text).toContain('メールアドレスや表示名を含むパスワードは使えません。');
      }
    });
  });

  describe('a forgotten password', () => {
    it('should answer the same for a known and an unknown address, and mail only the known one', async () => {
      const user = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
      });
      const from = await lastJobId();
      const known = await post('/password/forgot', null, {
        email: user.email.toUpperCase(),
      }).expect(200);
      const unknown = await post('/password/forgot', null, {
        email: 'nobody-here@users.test',
      }).expect(200);
      const strip = (text: string) => text.replace(/<input[^>]*>/g, '');
      expect(strip(unknown.text)).toBe(strip(known.text));
      expect(await mailsTo('nobody-here@users.test', from)).toEqual([]);
      const [mail] = await mailsTo(user.email, from);
      expect(mail.text).toMatch(RESET_LINK);
      expect(mail.subject).toBe('【窓口】パスワード再設定のご案内');
      const stored = await users().findOneByOrFail({ id: user.id });
      const token = RESET_LINK.exec(mail.text)?.[1] as string;
      // Only the token's SHA-256 is stored, valid for 30 minutes.
      expect(stored.passwordResetTokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.passwordResetTokenHash).not.toContain(token);
      const minutes = ((stored.passwordResetExpiresAt as Date).getTime() - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(28);
      expect(minutes).toBeLessThanOrEqual(30);
      const [event] = await auditOf(AUDIT_ACTIONS.userPasswordResetRequested, user.id);
      expect(event).toMatchObject({
        actorId: user.id,
        merchantId: tenant.merchant.id,
        ip: expect.any(String),
      });
    });

    it('should set a new password through the link once: lockout cleared, every session ended, audited', async () => {
      const user = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const session = await loginAs(desk, user.email);
      await users().update(
        { id: user.id },
        { failedLoginCount: 5, lockedUntil: new Date(Date.now() + 3_600_000) },
      );
      const from = await lastJobId();
      await post('/password/forgot', null, { email: user.email }).expect(200);
      const [mail] = await mailsTo(user.email, from);
      const token = RESET_LINK.exec(mail.text)?.[1] as string;

      const form = await request(server()).get(`/password/reset/${token}`).expect(200);
      expect(form.text).toContain(user.email);
      expect(form.headers['referrer-policy']).toBe('no-referrer');
      const weak = await post(`/password/reset/${token}`, null, {
        password: 'qwertyuiop12',
        confirmation: 'qwertyuiop12',
      }).expect(400);
      expect(weak.text).toContain('よく使われているパスワード');

      await post(`/password/reset/${token}`, null, {
        password: NEW_PASSWORD,
        confirmation: NEW_PASSWORD,
      }).expect(200);

      const stored = await users().findOneByOrFail({ id: user.id });
      expect(stored).toMatchObject({
        failedLoginCount: 0,
        lockedUntil: null,
        passwordResetTokenHash: null,
        passwordResetExpiresAt: null,
      });
      await request(server()).get('/api/v1/auth/me').set('cookie', session.cookie).expect(401);
      await loginAs(desk, user.email, NEW_PASSWORD);
      // One use only.
      await request(server()).get(`/password/reset/${token}`).expect(404);
      await post(`/password/reset/${token}`, null, {
        password: 'another long passphrase here',
        confirmation: 'another long passphrase here',
      }).expect(404);
      const [event] = await auditOf(AUDIT_ACTIONS.userPasswordReset, user.id);
      expect(event).toMatchObject({ actorId: user.id, ip: expect.any(String) });
      expect(JSON.parse(event.detail as string)).toEqual({ sessionsEnded: 1 });
    });

    it('should refuse an expired link and limit the mails per address', async () => {
      const user = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const from = await lastJobId();
      await post('/password/forgot', null, { email: user.email }).expect(200);
      const [mail] = await mailsTo(user.email, from);
      const token = RESET_LINK.exec(mail.text)?.[1] as string;
      await users().update(
        { id: user.id },
        { passwordResetExpiresAt: new Date(Date.now() - 1000) },
      );
      await request(server()).get(`/password/reset/${token}`).expect(404);

      // Five an hour for one address (this user had one already); then 429, and no mail.
      for (let i = 0; i < 4; i++) {
        await post('/password/forgot', null, { email: user.email }).expect(200);
      }
      const limited = await post('/password/forgot', null, { email: user.email }).expect(429);
      expect(limited.text).toContain('操作が多すぎます');
      expect(await mailsTo(user.email, from)).toHaveLength(5);
    });
  });

  describe('resending an invitation', () => {
    it('should send a new link that works while the old one stops working (admin and merchant admin)', async () => {
      const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
      const adminSession = await loginAs(desk, admin.email);
      const merchantAdmin = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: tenant.merchant.id,
      });
      const merchantSession = await loginAs(desk, merchantAdmin.email);
      const cases: [LoggedIn, string, string][] = [
        [adminSession, '/admin/users', `resent-staff-${Date.now()}@staff.test`],
        [merchantSession, '/portal/users', `resent-merchant-${Date.now()}@merchant.test`],
      ];
      for (const [session, base, email] of cases) {
        const from = await lastJobId();
        await post(base, session, {
          email,
          displayName: '再送 確認',
          role: base === '/admin/users' ? 'agent' : 'merchant_viewer',
          merchantId: '',
        }).expect(303);
        const invitee = await users().findOneByOrFail({ email });
        const [first] = await mailsTo(email, from);
        const oldToken = INVITE_LINK.exec(first.text)?.[1] as string;

        await post(`${base}/${invitee.id}/resend-invite`, session, {}).expect(303);

        const mails = await mailsTo(email, from);
        expect(mails).toHaveLength(2);
        const newToken = INVITE_LINK.exec(mails[1].text)?.[1] as string;
        expect(newToken).not.toBe(oldToken);
        await request(server()).get(`/invite/${oldToken}`).expect(404);
        await request(server()).get(`/invite/${newToken}`).expect(200);
        const [event] = await auditOf(AUDIT_ACTIONS.userInviteResent, invitee.id);
        expect(event).toMatchObject({ actorType: 'user', ip: expect.any(String) });
        // Once the password is set, there is nothing to resend.
        await post(`/invite/${newToken}`, null, {
          password: NEW_PASSWORD,
          confirmation: NEW_PASSWORD,
        }).expect(200);
        await post(`${base}/${invitee.id}/resend-invite`, session, {}).expect(400);
      }
    });
  });

  describe('a merchant requiring TOTP of its users', () => {
    it('should keep a merchant user without a second factor on the enrolment pages until enrolled', async () => {
      const other = await createTestTenant(testEnv.dataSource);
      const admin = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: other.merchant.id,
      });
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: other.merchant.id,
      });
      const adminSession = await loginAs(desk, admin.email);
      const viewerSession = await loginAs(desk, viewer.email);
      await request(server())
        .get('/portal/cases')
        .set('cookie', viewerSession.cookie)
        .set('accept', 'text/html')
        .expect(200);

      await post('/portal/users/totp-requirement', adminSession, { requireTotp: 'on' })
        .expect(303)
        .expect('location', '/portal/users?done=totpRequired');
      expect(
        (
          await testEnv.dataSource
            .getRepository(Merchant)
            .findOneByOrFail({ id: other.merchant.id })
        ).requireTotp,
      ).toBe(true);
      // Another merchant's users are not affected.
      expect(
        (
          await testEnv.dataSource
            .getRepository(Merchant)
            .findOneByOrFail({ id: tenant.merchant.id })
        ).requireTotp,
      ).toBe(false);

      await request(server())
        .get('/portal/cases')
        .set('cookie', viewerSession.cookie)
        .set('accept', 'text/html')
        .expect(303)
        .expect('location', '/account/totp');
      await request(server())
        .get('/api/v1/tickets')
        .set('cookie', viewerSession.cookie)
        .expect(403);
      const enrolment = await request(server())
        .get('/account/totp')
        .set('cookie', viewerSession.cookie)
        .expect(200);
      const secret = (
        /<code class="totp-secret__key"[^>]*>([A-Z2-7 ]+)<\/code\s*>/.exec(enrolment.text)?.[1] ??
        ''
      ).replace(/ /g, '');
      await post('/account/totp', viewerSession, { code: totpCodeAt(secret, new Date()) }).expect(
        303,
      );
      await request(server())
        .get('/portal/cases')
        .set('cookie', viewerSession.cookie)
        .set('accept', 'text/html')
        .expect(200);

      const changed = await testEnv.dataSource.getRepository(AuditEvent).find({
        where: { action: AUDIT_ACTIONS.merchantSettingsUpdated, merchantId: other.merchant.id },
      });
      expect(JSON.parse(changed[0].detail as string)).toEqual({ changed: ['requireTotp'] });
      const sessions = await testEnv.dataSource
        .getRepository(Session)
        .countBy({ userId: viewer.id });
      expect(sessions).toBeGreaterThan(0);
    });
  });
});
