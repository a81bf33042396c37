import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { Session, User } from '@madoguchi/auth';
import { FieldCipher } from '@madoguchi/crypto';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import { QueueMember } from '@madoguchi/tickets';
import { USERS_TEXTS } from '../../apps/desk/src/admin/users/users.texts';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const NEW_PASSWORD = 'a long invited passphrase';
const INVITE_LINK = /http:\/\/[^\s]+\/invite\/([A-Za-z0-9_-]{43})/;

describe(`operator administration of users and queues (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let smtp: SmtpTestServer;
  let tenant: TestTenant;
  let admin: User;
  let adminSession: LoggedIn;

  const server = () => desk.getHttpServer();
  const users = () => testEnv.dataSource.getRepository(User);
  const auditOf = (action: string, targetId: number) =>
    testEnv.dataSource
      .getRepository(AuditEvent)
      .find({ where: { action, targetType: 'user', targetId: String(targetId) } });

  /** A form post with the admin's session and CSRF token. */
  const adminPost = (path: string, fields: Record<string, string> = {}) =>
    request(server())
      .post(path)
      .set('cookie', adminSession.cookie)
      .type('form')
      .send({ _csrf: adminSession.csrfToken, ...fields });

  const invite = (fields: Record<string, string>) => adminPost('/admin/users', fields);

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: smtp.url,
    });
    desk = await startDeskApp(testEnv, { OUTBOX_WORKER: 'off' });
    intake = await startIntakeApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource);
    admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    adminSession = await loginAs(desk, admin.email);
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  describe('invitations', () => {
    it('should mail an invite link with which the invitee sets a password and logs in', async () => {
      smtp.reset();
      const email = `invitee-${Date.now()}@staff.test`;
      await invite({
        email: email.toUpperCase(),
        displayName: '招待 花子',
        role: 'agent',
        merchantId: '',
      })
        .expect(303)
        .expect('location', '/admin/users?done=invited');

      const stored = await users().findOneByOrFail({ email });
      expect(stored.inviteTokenHash).toMatch(/^[0-9a-f]{64}$/);
      // 72 hours, give or take the test's own run time.
      const hoursValid = ((stored.inviteExpiresAt as Date).getTime() - Date.now()) / 3_600_000;
      expect(hoursValid).toBeGreaterThan(71.9);
      expect(hoursValid).toBeLessThanOrEqual(72);
      // No usable password until the invitee sets one.
      await request(server())
        .post('/api/v1/auth/login')
        .send({ email, password: '!invited' })
        .expect(401);

      await desk.get(OutboxWorker).drainOnce();
      const mails = await smtp.waitFor(1, 5000);
      const mail = mails.find((each) => each.envelopeTo.includes(email));
      expect(mail).toBeDefined();
      const match = INVITE_LINK.exec(mail?.text ?? '');
      expect(match).not.toBeNull();
      const token = (match as RegExpExecArray)[1];
      // Only the token's hash is in the database.
      expect(stored.inviteTokenHash).not.toContain(token);

      const form = await request(server()).get(`/invite/${token}`).expect(200);
      expect(form.text).toContain('招待 花子');
      expect(form.text).not.toContain('name="_csrf"');

      const mismatch = await request(server())
        .post(`/invite/${token}`)
        .type('form')
        .send({ password: NEW_PASSWORD, confirmation: 'something else entirely' })
        .expect(400);
      expect(mismatch.text).toContain('確認用のパスワードが一致しません。');
      const short = await request(server())
        .post(`/invite/${token}`)
        .type('form')
        .send({ password: 'short', confirmation: 'short' })
        .expect(400);
      expect(short.text).toContain('12文字以上');
      expect((await users().findOneByOrFail({ email })).inviteTokenHash).toBe(
        stored.inviteTokenHash,
      );

      await request(server())
        .post(`/invite/${token}`)
        .type('form')
        .send({ password: NEW_PASSWORD, confirmation: NEW_PASSWORD })
        .expect(200);
      const accepted = await users().findOneByOrFail({ email });
      expect(accepted.inviteTokenHash).toBeNull();
      expect(accepted.passwordHash).toMatch(/^\$argon2id\$/);

      const login = await request(server())
        .post('/api/v1/auth/login')
        .send({ email, password: NEW_PASSWORD })
        .expect(200);
      expect(login.body.user).toMatchObject({ email, role: 'agent', merchantId: null });

      // The link is spent.
      await request(server()).get(`/invite/${token}`).expect(404);
      await request(server())
        .post(`/invite/${token}`)
        .type('form')
        .send({ password: 'another long passphrase', confirmation: 'another long passphrase' })
        .expect(404);
      expect(await auditOf('user.invited', accepted.id)).toHaveLength(1);
      expect(await auditOf('user.password_set', accepted.id)).toHaveLength(1);
    });

    it('should invite a merchant user into the chosen merchant', async () => {
      const email = `merchant-invitee-${Date.now()}@merchant.test`;
      await invite({
        email,
        displayName: '加盟店 太郎',
        role: 'merchant_viewer',
        merchantId: String(tenant.merchant.id),
      }).expect(303);
      expect(await users().findOneByOrFail({ email })).toMatchObject({
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
      });
    });

    it('should answer 400 with field errors and store nothing for invalid invitations', async () => {
      const usersBefore = await users().count();
      const outboxBefore = await testEnv.dataSource.getRepository(OutboxJob).count();
      const cases: { fields: Record<string, string>; message: string }[] = [
        {
          fields: { email: 'not-an-address', displayName: 'x', role: 'agent', merchantId: '' },
          message: 'メールアドレスの形式が正しくありません。',
        },
        {
          fields: { email: 'ok@staff.test', displayName: '  ', role: 'agent', merchantId: '' },
          message: '表示名を入力してください。',
        },
        {
          fields: { email: 'ok@staff.test', displayName: 'x', role: 'root', merchantId: '' },
          message: '役割を選んでください。',
        },
        {
          fields: {
            email: 'ok@staff.test',
            displayName: 'x',
            role: 'agent',
            merchantId: String(tenant.merchant.id),
          },
          message: '運営スタッフには加盟店を指定できません。',
        },
        {
          fields: {
            email: 'ok@staff.test',
            displayName: 'x',
            role: 'merchant_admin',
            merchantId: '',
          },
          message: '加盟店ユーザーには加盟店を選んでください。',
        },
        {
          fields: {
            email: 'ok@staff.test',
            displayName: 'x',
            role: 'merchant_admin',
            merchantId: '999999',
          },
          message: '加盟店ユーザーには加盟店を選んでください。',
        },
        {
          fields: { email: admin.email, displayName: 'x', role: 'agent', merchantId: '' },
          message: 'このメールアドレスのユーザーは既に登録されています。',
        },
      ];
      for (const { fields, message } of cases) {
        const response = await invite(fields).expect(400);
        expect(response.text).toContain(message);
        expect(response.text).toContain('aria-invalid="true"');
      }
      expect(await users().count()).toBe(usersBefore);
      expect(await testEnv.dataSource.getRepository(OutboxJob).count()).toBe(outboxBefore);
    });

    it('should show 404 for an unknown or expired invite link', async () => {
      await request(server()).get('/invite/not-a-token').expect(404);
      await request(server())
        .get(`/invite/${'A'.repeat(43)}`)
        .expect(404);

      const email = `expired-${Date.now()}@staff.test`;
      await invite({ email, displayName: '期限 切れ', role: 'agent', merchantId: '' }).expect(303);
      smtp.reset();
      await desk.get(OutboxWorker).drainOnce();
      const mails = await smtp.waitFor(1, 5000);
      const token = (
        INVITE_LINK.exec(
          mails.find((m) => m.envelopeTo.includes(email))?.text ?? '',
        ) as RegExpExecArray
      )[1];
      await request(server()).get(`/invite/${token}`).expect(200);
      await users().update({ email }, { inviteExpiresAt: new Date(Date.now() - 1000) });
      await request(server()).get(`/invite/${token}`).expect(404);
      await request(server())
        .post(`/invite/${token}`)
        .type('form')
        .send({ password: NEW_PASSWORD, confirmation: NEW_PASSWORD })
        .expect(404);
      expect((await users().findOneByOrFail({ email })).passwordHash).toBe('!invited');
    });

    it('should list users with role, merchant and state', async () => {
      const page = await request(server())
        .get('/admin/users')
        .set('cookie', adminSession.cookie)
        .expect(200);
      expect(page.text).toContain(admin.email);
      expect(page.text).toContain(tenant.merchant.name);
      expect(page.text).toContain(USERS_TEXTS.states.invited);
      expect(page.text).toContain('name="_csrf"');
    });
  });

  describe('account actions', () => {
    it('should end a disabled user’s existing session at once, and let them back after enabling', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const session = await loginAs(desk, agent.email);
      await request(server()).get('/api/v1/auth/me').set('cookie', session.cookie).expect(200);

      await adminPost(`/admin/users/${agent.id}/disable`).expect(303);

      await request(server()).get('/api/v1/auth/me').set('cookie', session.cookie).expect(401);
      const sessions = await testEnv.dataSource.getRepository(Session).findBy({ userId: agent.id });
      expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
      await request(server())
        .post('/api/v1/auth/login')
        .send({ email: agent.email, password: 'correct horse battery staple' })
        .expect(401);
      expect(await auditOf('user.disabled', agent.id)).toHaveLength(1);

      await adminPost(`/admin/users/${agent.id}/enable`).expect(303);
      await loginAs(desk, agent.email);
      expect(await auditOf('user.enabled', agent.id)).toHaveLength(1);
    });

    it('should refuse to let an admin disable themself', async () => {
      const response = await adminPost(`/admin/users/${admin.id}/disable`).expect(400);
      expect(response.text).toContain('自分自身を無効にすることはできません。');
      expect((await users().findOneByOrFail({ id: admin.id })).disabledAt).toBeNull();
      await request(server()).get('/api/v1/auth/me').set('cookie', adminSession.cookie).expect(200);
    });

    it('should unlock a locked-out user', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      await users().update(
        { id: agent.id },
        { failedLoginCount: 5, lockedUntil: new Date(Date.now() + 3_600_000) },
      );
      await request(server())
        .post('/api/v1/auth/login')
        .send({ email: agent.email, password: 'correct horse battery staple' })
        .expect(401);

      await adminPost(`/admin/users/${agent.id}/unlock`).expect(303);

      expect(await users().findOneByOrFail({ id: agent.id })).toMatchObject({
        failedLoginCount: 0,
        lockedUntil: null,
      });
      await loginAs(desk, agent.email);
      expect(await auditOf('user.unlocked', agent.id)).toHaveLength(1);
    });

    it('should reset the second factor and end the user’s sessions', async () => {
      const agent = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: tenant.merchant.id,
      });
      const session = await loginAs(desk, agent.email);
      await users().update(
        { id: agent.id },
        { totpSecret: desk.get(FieldCipher).encrypt('JBSWY3DPEHPK3PXP'), totpLastStep: 123 },
      );

      await adminPost(`/admin/users/${agent.id}/reset-totp`).expect(303);

      expect(await users().findOneByOrFail({ id: agent.id })).toMatchObject({
        totpSecret: null,
        totpLastStep: null,
      });
      await request(server()).get('/api/v1/auth/me').set('cookie', session.cookie).expect(401);
      expect(await auditOf('user.totp_reset', agent.id)).toHaveLength(1);
    });

    it('should change a role within the same kind only', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      await adminPost(`/admin/users/${agent.id}/role`, { role: 'merchant_admin' }).expect(400);
      expect((await users().findOneByOrFail({ id: agent.id })).role).toBe('agent');

      await adminPost(`/admin/users/${agent.id}/role`, { role: 'supervisor' }).expect(303);
      expect((await users().findOneByOrFail({ id: agent.id })).role).toBe('supervisor');
      expect(await auditOf('user.role_changed', agent.id)).toHaveLength(1);
    });

    it('should answer 404 for an unknown user', async () => {
      await request(server())
        .get('/admin/users/999999')
        .set('cookie', adminSession.cookie)
        .expect(404);
      await adminPost('/admin/users/999999/disable').expect(404);
    });

    it('should refuse an action without the CSRF token', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      await request(server())
        .post(`/admin/users/${agent.id}/disable`)
        .set('cookie', adminSession.cookie)
        .type('form')
        .send({})
        .expect(403);
      expect((await users().findOneByOrFail({ id: agent.id })).disabledAt).toBeNull();
    });
  });

  describe('queues and members', () => {
    it('should let an agent see a queue once added, and lose its tickets once removed', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const session = await loginAs(desk, agent.email);
      const inquiry = await request(intake.getHttpServer())
        .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
        .send(VALID_INQUIRY)
        .expect(201);
      const reference = (inquiry.body as { reference: string }).reference;
      const queuesOf = async () =>
        (
          (await request(server()).get('/api/v1/queues').set('cookie', session.cookie).expect(200))
            .body as { id: number }[]
        ).map((q) => q.id);

      expect(await queuesOf()).not.toContain(tenant.queue.id);
      await request(server())
        .get(`/api/v1/tickets/${reference}`)
        .set('cookie', session.cookie)
        .expect(404);

      await adminPost(`/admin/queues/${tenant.queue.id}/members`, { userId: String(agent.id) })
        .expect(303)
        .expect('location', '/admin/queues?done=memberAdded');

      expect(await queuesOf()).toContain(tenant.queue.id);
      await request(server())
        .get(`/api/v1/tickets/${reference}`)
        .set('cookie', session.cookie)
        .expect(200);
      const page = await request(server())
        .get('/admin/queues')
        .set('cookie', adminSession.cookie)
        .expect(200);
      expect(page.text).toContain(agent.displayName);

      await adminPost(`/admin/queues/${tenant.queue.id}/members/${agent.id}/remove`).expect(303);

      expect(await queuesOf()).not.toContain(tenant.queue.id);
      await request(server())
        .get(`/api/v1/tickets/${reference}`)
        .set('cookie', session.cookie)
        .expect(404);
      const audit = await testEnv.dataSource
        .getRepository(AuditEvent)
        .find({ where: { targetType: 'queue', targetId: String(tenant.queue.id) } });
      expect(audit.map((row) => row.action).sort()).toEqual([
        'queue.member_added',
        'queue.member_removed',
      ]);
    });

    it('should refuse a non-agent as a queue member', async () => {
      const merchantUser = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: tenant.merchant.id,
      });
      await adminPost(`/admin/queues/${tenant.queue.id}/members`, {
        userId: String(merchantUser.id),
      }).expect(400);
      expect(
        await testEnv.dataSource.getRepository(QueueMember).countBy({ userId: merchantUser.id }),
      ).toBe(0);
      await adminPost('/admin/queues/999999/members', { userId: String(merchantUser.id) }).expect(
        404,
      );
    });

    it('should create a queue for a merchant and refuse an empty or duplicate name', async () => {
      await adminPost('/admin/queues', {
        merchantId: String(tenant.merchant.id),
        name: '返金対応',
      }).expect(303);
      const page = await request(server())
        .get('/admin/queues')
        .set('cookie', adminSession.cookie)
        .expect(200);
      expect(page.text).toContain('返金対応');

      const duplicate = await adminPost('/admin/queues', {
        merchantId: String(tenant.merchant.id),
        name: '返金対応',
      }).expect(400);
      expect(duplicate.text).toContain('同じ名前のキュー');
      const empty = await adminPost('/admin/queues', {
        merchantId: String(tenant.merchant.id),
        name: ' ',
      }).expect(400);
      expect(empty.text).toContain('キュー名を入力してください。');
      await adminPost('/admin/queues', { merchantId: '999999', name: 'x' }).expect(400);
    });
  });

  describe('permissions', () => {
    it.each(['agent', 'supervisor', 'merchant_admin', 'merchant_viewer'] as const)(
      'should answer 403 to a %s on every admin route and change nothing',
      async (role) => {
        const user = await createTestUser(testEnv.dataSource, {
          role,
          merchantId: role.startsWith('merchant') ? tenant.merchant.id : null,
        });
        const target = await createTestUser(testEnv.dataSource, { role: 'agent' });
        const session = await loginAs(desk, user.email);
        const gets = ['/admin/users', `/admin/users/${target.id}`, '/admin/queues'];
        const posts: [string, Record<string, string>][] = [
          [
            '/admin/users',
            { email: `x-${role}@staff.test`, displayName: 'x', role: 'admin', merchantId: '' },
          ],
          [`/admin/users/${target.id}/disable`, {}],
          [`/admin/users/${target.id}/enable`, {}],
          [`/admin/users/${target.id}/unlock`, {}],
          [`/admin/users/${target.id}/reset-totp`, {}],
          [`/admin/users/${target.id}/role`, { role: 'admin' }],
          ['/admin/queues', { merchantId: String(tenant.merchant.id), name: `q-${role}` }],
          [`/admin/queues/${tenant.queue.id}/members`, { userId: String(target.id) }],
          [`/admin/queues/${tenant.queue.id}/members/${target.id}/remove`, {}],
        ];
        // Supervisors set queues up (setup.manage); users stay with admins.
        const forbidden = (path: string) =>
          role !== 'supervisor' || !path.startsWith('/admin/queues');
        for (const path of gets.filter(forbidden)) {
          await request(server()).get(path).set('cookie', session.cookie).expect(403);
        }
        for (const [path, fields] of posts.filter(([path]) => forbidden(path))) {
          await request(server())
            .post(path)
            .set('cookie', session.cookie)
            .type('form')
            .send({ _csrf: session.csrfToken, ...fields })
            .expect(403);
        }
        expect(await users().findOneByOrFail({ id: target.id })).toMatchObject({
          role: 'agent',
          disabledAt: null,
        });
        expect(await users().countBy({ email: `x-${role}@staff.test` })).toBe(0);
        expect(
          await testEnv.dataSource.getRepository(QueueMember).countBy({ userId: target.id }),
        ).toBe(0);
      },
    );

    it('should redirect an anonymous browser to the login page', async () => {
      await request(server())
        .get('/admin/users')
        .set('accept', 'text/html')
        .expect(303)
        .expect('location', /^\/login/);
    });
  });
});
