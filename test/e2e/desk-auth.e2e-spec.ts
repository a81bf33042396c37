import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { Session, SessionService, User } from '@madoguchi/auth';
import { createDeskApp } from '../../apps/desk/src/desk-app.factory';
import { createTestUser, loginAs, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { loadConfig } from '@madoguchi/config';

const LOGIN = '/api/v1/auth/login';
const ME = '/api/v1/auth/me';
const LOGOUT = '/api/v1/auth/logout';
const MINUTE = 60_000;

function cookieOf(response: request.Response): string {
  const headers = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const session = headers.find((header) => header.startsWith('madoguchi_session='));
  if (!session) throw new Error('no session cookie set');
  return session.split(';')[0];
}

function tokenOf(cookie: string): string {
  return cookie.slice('madoguchi_session='.length);
}

describe(`desk login and sessions (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let tenant: TestTenant;
  const extraApps: NestFastifyApplication[] = [];

  const http = () => request(app.getHttpServer());
  const users = () => testEnv.dataSource.getRepository(User);
  const sessions = () => testEnv.dataSource.getRepository(Session);
  const auditOf = (action: string) =>
    testEnv.dataSource.getRepository(AuditEvent).find({ where: { action }, order: { id: 'ASC' } });

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenant = await createTestTenant(testEnv.dataSource);
    app = await startDeskApp(testEnv);
  });

  afterAll(async () => {
    for (const extra of extraApps) await extra.close();
    await app?.close();
    await testEnv?.cleanup();
  });

  describe('POST /api/v1/auth/login', () => {
    it('should log in, set an HttpOnly SameSite=Lax cookie and return the user and CSRF token', async () => {
      const agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });

      const response = await http()
        .post(LOGIN)
        .send({ email: agent.email, password: TEST_PASSWORD })
        .expect(200);

      expect(response.body).toEqual({
        user: {
          id: agent.id,
          email: agent.email,
          displayName: agent.displayName,
          role: 'agent',
          merchantId: null,
        },
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        mustEnrolTotp: false,
      });
      const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).join('\n');
      expect(setCookie).toMatch(/madoguchi_session=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(setCookie).toMatch(/Path=\//);
      expect(setCookie).not.toMatch(/Secure/i);

      // Only the token's SHA-256 is stored.
      const token = tokenOf(cookieOf(response));
      const stored = await sessions().findOneByOrFail({ userId: agent.id });
      expect(stored.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(stored.tokenHash).not.toContain(token);
      expect(stored.csrfToken).toBe(response.body.csrfToken);
      expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(12 * 60 * MINUTE);

      const succeeded = (await auditOf('auth.login_succeeded')).filter(
        (event) => event.actorId === agent.id,
      );
      expect(succeeded).toHaveLength(1);
      expect(succeeded[0].ip).toBeTruthy();
      expect(succeeded[0].detail ?? '').not.toContain(TEST_PASSWORD);
    });

    it('should accept the email in another case and with spaces around it', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      await http()
        .post(LOGIN)
        .send({ email: `  ${agent.email.toUpperCase()} `, password: TEST_PASSWORD })
        .expect(200);
    });

    it('should answer a wrong password exactly like an unknown email', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });

      const wrongPassword = await http()
        .post(LOGIN)
        .send({ email: agent.email, password: 'not the password' })
        .expect(401);
      const unknownEmail = await http()
        .post(LOGIN)
        .send({ email: 'nobody@users.test', password: TEST_PASSWORD })
        .expect(401);

      expect(wrongPassword.body).toEqual({
        statusCode: 401,
        code: 'AUTHENTICATION_FAILED',
        message: expect.stringContaining('正しくありません'),
      });
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expect(wrongPassword.headers['set-cookie']).toBeUndefined();
      expect(await sessions().countBy({ userId: agent.id })).toBe(0);
    });

    it('should audit failures without the email or the password, with a null actor for unknown emails', async () => {
      await http()
        .post(LOGIN)
        .send({ email: 'ghost-audit@users.test', password: 'ghost-password-1' })
        .expect(401);

      const failures = await auditOf('auth.login_failed');
      const unknown = failures.find((event) => event.detail?.includes('unknown_user'));
      expect(unknown).toMatchObject({ actorType: 'user', actorId: null, merchantId: null });
      for (const event of failures) {
        expect(event.detail ?? '').not.toContain('ghost-audit');
        expect(event.detail ?? '').not.toContain('ghost-password-1');
      }
    });

    it.each([
      [{ password: TEST_PASSWORD }, 'email'],
      [{ email: 'a@users.test' }, 'password'],
      [{ email: 'a@users.test', password: TEST_PASSWORD, role: 'admin' }, 'role'],
      [{ email: ['a@users.test'], password: TEST_PASSWORD }, 'email'],
      [{ email: 'a@users.test', password: 'x'.repeat(1025) }, 'password'],
    ])(
      'should refuse the malformed body %j with 400 naming the field, creating nothing',
      async (body, field) => {
        const before = await sessions().count();
        const response = await http().post(LOGIN).send(body).expect(400);
        expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
        expect(response.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
        expect(await sessions().count()).toBe(before);
      },
    );

    it('should refuse a disabled user even with the right password', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      await users().update({ id: agent.id }, { disabledAt: new Date() });

      const response = await http()
        .post(LOGIN)
        .send({ email: agent.email, password: TEST_PASSWORD })
        .expect(401);
      expect(response.body.code).toBe('AUTHENTICATION_FAILED');
      expect(await sessions().countBy({ userId: agent.id })).toBe(0);
    });

    it('should make a new session, with a new id and token, at every login', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const first = await http()
        .post(LOGIN)
        .send({ email: agent.email, password: TEST_PASSWORD })
        .expect(200);
      // Logging in while already holding a session cookie (session fixation) still gives a fresh one.
      const second = await http()
        .post(LOGIN)
        .set('Cookie', cookieOf(first))
        .send({ email: agent.email, password: TEST_PASSWORD })
        .expect(200);

      expect(cookieOf(second)).not.toBe(cookieOf(first));
      expect(second.body.csrfToken).not.toBe(first.body.csrfToken);
      const stored = await sessions().find({ where: { userId: agent.id }, order: { id: 'ASC' } });
      expect(stored).toHaveLength(2);
      expect(stored[0].id).not.toBe(stored[1].id);
    });
  });

  describe('lockout', () => {
    it('should lock after 5 failures in a row, answering exactly like a wrong password, even to the right one', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const wrongs = [];
      for (let attempt = 1; attempt <= 4; attempt++) {
        wrongs.push(
          await http()
            .post(LOGIN)
            .send({ email: agent.email, password: 'wrong password' })
            .expect(401),
        );
      }
      const fifth = await http()
        .post(LOGIN)
        .send({ email: agent.email, password: 'wrong password' })
        .expect(401);
      // Existence is not revealed: a lock has the status and body of a wrong password.
      expect(fifth.body).toEqual(wrongs[0].body);
      expect(fifth.body).toMatchObject({ statusCode: 401, code: 'AUTHENTICATION_FAILED' });

      const right = await http()
        .post(LOGIN)
        .send({ email: agent.email, password: TEST_PASSWORD })
        .expect(401);
      expect(right.body).toEqual(wrongs[0].body);
      expect(right.headers['set-cookie']).toBeUndefined();
      const locked = await users().findOneByOrFail({ id: agent.id });
      expect(locked.failedLoginCount).toBe(5);
      const lockedFor = (locked.lockedUntil as Date).getTime() - Date.now();
      expect(lockedFor).toBeGreaterThan(14 * MINUTE);
      expect(lockedFor).toBeLessThanOrEqual(15 * MINUTE);
      expect(
        (await auditOf('auth.account_locked')).filter((event) => event.actorId === agent.id),
      ).toHaveLength(1);
      expect(await sessions().countBy({ userId: agent.id })).toBe(0);
    });

    it('should let the user in again once the lock has run out, with a clean count', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      await users().update(
        { id: agent.id },
        { failedLoginCount: 5, lockedUntil: new Date(Date.now() - MINUTE) },
      );

      await http().post(LOGIN).send({ email: agent.email, password: 'wrong password' }).expect(401);
      expect((await users().findOneByOrFail({ id: agent.id })).failedLoginCount).toBe(1);
      await http().post(LOGIN).send({ email: agent.email, password: TEST_PASSWORD }).expect(200);
      const after = await users().findOneByOrFail({ id: agent.id });
      expect(after.failedLoginCount).toBe(0);
      expect(after.lockedUntil).toBeNull();
    });

    it('should reset the count on a successful login', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      for (let attempt = 1; attempt <= 3; attempt++) {
        await http()
          .post(LOGIN)
          .send({ email: agent.email, password: 'wrong password' })
          .expect(401);
      }
      await http().post(LOGIN).send({ email: agent.email, password: TEST_PASSWORD }).expect(200);
      expect((await users().findOneByOrFail({ id: agent.id })).failedLoginCount).toBe(0);
    });

    it('should count 10 parallel failures as 10 (no lost updates)', async () => {
      const roomy = await createDeskApp(loadConfig({ ...testEnv.env, LOGIN_MAX_FAILURES: '50' }));
      await roomy.init();
      await roomy.getHttpAdapter().getInstance().ready();
      extraApps.push(roomy);
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });

      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          request(roomy.getHttpServer())
            .post(LOGIN)
            .send({ email: agent.email, password: 'wrong password' }),
        ),
      );

      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(401));
      expect((await users().findOneByOrFail({ id: agent.id })).failedLoginCount).toBe(10);
    });

    it('should lock once, whatever number of parallel failures cross the limit', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          http().post(LOGIN).send({ email: agent.email, password: 'wrong password' }),
        ),
      );
      expect(responses.every((response) => response.status === 401)).toBe(true);
      const locked = await users().findOneByOrFail({ id: agent.id });
      expect(locked.lockedUntil).not.toBeNull();
      expect(
        (await auditOf('auth.account_locked')).filter((event) => event.actorId === agent.id),
      ).toHaveLength(1);
      await http().post(LOGIN).send({ email: agent.email, password: TEST_PASSWORD }).expect(401);
    });

    /** Wrong passwords that were really verified: each leaves a `bad_password` failure. */
    const verifiedWrongGuesses = async (userId: number) =>
      (await auditOf('auth.login_failed')).filter(
        (event) =>
          event.actorId === userId && JSON.parse(event.detail ?? '{}').reason === 'bad_password',
      ).length;

    it('should verify at most 5 of 20 parallel guesses, and keep the lock against the right password', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          http().post(LOGIN).send({ email: agent.email, password: 'wrong password' }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.every((status) => status === 401)).toBe(true);
      expect(await verifiedWrongGuesses(agent.id)).toBeLessThanOrEqual(5);

      const right = await http()
        .post(LOGIN)
        .send({ email: agent.email, password: TEST_PASSWORD })
        .expect(401);
      expect(right.headers['set-cookie']).toBeUndefined();
      const locked = await users().findOneByOrFail({ id: agent.id });
      expect(locked.failedLoginCount).toBe(5);
      expect(locked.lockedUntil).not.toBeNull();
      expect(
        (await auditOf('auth.account_locked')).filter((event) => event.actorId === agent.id),
      ).toHaveLength(1);
      expect(await sessions().countBy({ userId: agent.id })).toBe(0);
    });

    it('should not let the right password in a parallel burst clear a lock or widen the limit', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const responses = await Promise.all(
        Array.from({ length: 21 }, (_, index) =>
          http()
            .post(LOGIN)
            .send({
              email: agent.email,
              password: index === 20 ? TEST_PASSWORD : 'wrong password',
            }),
        ),
      );
      const right = responses[20];
      const wrongStatuses = responses.slice(0, 20).map((response) => response.status);
      expect(wrongStatuses.every((status) => status === 401)).toBe(true);
      const after = await users().findOneByOrFail({ id: agent.id });
      expect(after.failedLoginCount).toBeLessThanOrEqual(5);

      if (right.status === 401) {
        // Refused or overtaken by the lock: the lock stands and nothing beyond the limit was tried.
        expect(after.lockedUntil).not.toBeNull();
        expect(await verifiedWrongGuesses(agent.id)).toBeLessThanOrEqual(5);
        expect(await sessions().countBy({ userId: agent.id })).toBe(0);
      } else {
        // Verified before the lock: a success resets the count, so at most 4 guesses before it
        // and 5 after it were tried — never an unbounded number.
        expect(right.status).toBe(200);
        expect(await verifiedWrongGuesses(agent.id)).toBeLessThanOrEqual(9);
      }
    });

    it('should not clear a lock set while the right password was being verified', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      // 4 failures: one of the two requests takes the last free attempt...
      await users().update({ id: agent.id }, { failedLoginCount: 4 });
      const [right, wrong] = await Promise.all([
        http().post(LOGIN).send({ email: agent.email, password: TEST_PASSWORD }),
        // ...and the other finds the limit reached and locks the account at once.
        new Promise<request.Response>((resolve, reject) => {
          setTimeout(() => {
            http()
              .post(LOGIN)
              .send({ email: agent.email, password: 'wrong password' })
              .then(resolve, reject);
          }, 0);
        }),
      ]);
      const after = await users().findOneByOrFail({ id: agent.id });
      if (right.status === 200) {
        // The right password finished before the guess arrived: the guess is a fresh attempt.
        expect(wrong.status).toBe(401);
        expect(after.lockedUntil).toBeNull();
      } else {
        // Whichever of the two took the last attempt, the lock is set and stays set.
        expect(right.status).toBe(401);
        expect(wrong.status).toBe(401);
        expect(after.lockedUntil).not.toBeNull();
        expect(after.failedLoginCount).toBe(5);
        expect(await sessions().countBy({ userId: agent.id })).toBe(0);
      }
    });
  });

  describe('sessions', () => {
    it('should answer GET /api/v1/auth/me with the session user and 401 JSON without a session', async () => {
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
      });
      const { cookie, csrfToken } = await loginAs(app, viewer.email);

      const me = await http().get(ME).set('Cookie', cookie).expect(200);
      expect(me.body).toEqual({
        user: {
          id: viewer.id,
          email: viewer.email,
          displayName: viewer.displayName,
          role: 'merchant_viewer',
          merchantId: tenant.merchant.id,
        },
        csrfToken,
        mustEnrolTotp: false,
      });

      const anonymous = await http().get(ME).expect(401);
      expect(anonymous.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
      });
      await http().get(ME).set('Cookie', 'madoguchi_session=forged-token-value').expect(401);
      await http()
        .get(ME)
        .set('Cookie', `madoguchi_session=${'A'.repeat(43)}`)
        .expect(401);
    });

    it('should end a session after the idle limit and refresh its last activity on use', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const { cookie } = await loginAs(app, agent.email);
      const session = await sessions().findOneByOrFail({ userId: agent.id });

      await sessions().update(
        { id: session.id },
        { lastSeenAt: new Date(Date.now() - 5 * MINUTE) },
      );
      await http().get(ME).set('Cookie', cookie).expect(200);
      const touched = await sessions().findOneByOrFail({ id: session.id });
      expect(Date.now() - touched.lastSeenAt.getTime()).toBeLessThan(MINUTE);

      await sessions().update(
        { id: session.id },
        { lastSeenAt: new Date(Date.now() - 121 * MINUTE) },
      );
      await http().get(ME).set('Cookie', cookie).expect(401);
    });

    it('should end a session at its absolute limit even while in use', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const { cookie } = await loginAs(app, agent.email);
      const session = await sessions().findOneByOrFail({ userId: agent.id });

      await sessions().update(
        { id: session.id },
        { expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() },
      );
      await http().get(ME).set('Cookie', cookie).expect(401);
    });

    it("should end a disabled user's existing sessions", async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const first = await loginAs(app, agent.email);
      const second = await loginAs(app, agent.email);
      await http().get(ME).set('Cookie', first.cookie).expect(200);

      await users().update({ id: agent.id }, { disabledAt: new Date() });
      // disabledAt alone already ends them…
      await http().get(ME).set('Cookie', first.cookie).expect(401);
      // …and revokeAllForUser marks every one revoked, for good.
      expect(await app.get(SessionService).revokeAllForUser(agent.id)).toBe(2);
      await users().update({ id: agent.id }, { disabledAt: null });
      await http().get(ME).set('Cookie', first.cookie).expect(401);
      await http().get(ME).set('Cookie', second.cookie).expect(401);
    });

    it('should log out with the CSRF header: 204, cookie cleared, old cookie refused', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const { cookie, csrfToken } = await loginAs(app, agent.email);

      const response = await http()
        .post(LOGOUT)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrfToken)
        .expect(204);
      const cleared = ([] as string[]).concat(response.headers['set-cookie'] ?? []).join('\n');
      expect(cleared).toMatch(/madoguchi_session=;/);

      await http().get(ME).set('Cookie', cookie).expect(401);
      expect((await sessions().findOneByOrFail({ userId: agent.id })).revokedAt).not.toBeNull();
      expect(
        (await auditOf('auth.logged_out')).filter((event) => event.actorId === agent.id),
      ).toHaveLength(1);
    });
  });

  describe('CSRF', () => {
    it.each([
      ['without a token', {}],
      ['with a wrong token', { 'X-CSRF-Token': 'x'.repeat(43) }],
      ['with an empty token', { 'X-CSRF-Token': '' }],
    ])('should refuse a logout %s with 403 and leave the session live', async (_label, headers) => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const { cookie } = await loginAs(app, agent.email);

      const response = await http().post(LOGOUT).set('Cookie', cookie).set(headers).expect(403);
      expect(response.body).toMatchObject({ statusCode: 403, code: 'CSRF_TOKEN_INVALID' });
      await http().get(ME).set('Cookie', cookie).expect(200);
      expect((await sessions().findOneByOrFail({ userId: agent.id })).revokedAt).toBeNull();
    });

    it("should refuse another session's CSRF token", async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const mine = await loginAs(app, agent.email);
      const other = await loginAs(app, agent.email);

      await http()
        .post(LOGOUT)
        .set('Cookie', mine.cookie)
        .set('X-CSRF-Token', other.csrfToken)
        .expect(403);
      await http().get(ME).set('Cookie', mine.cookie).expect(200);
    });

    it('should accept the token as the _csrf form field and refuse the form without it', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const { cookie, csrfToken } = await loginAs(app, agent.email);

      await http().post('/logout').set('Cookie', cookie).type('form').send({}).expect(403);
      await http().get(ME).set('Cookie', cookie).expect(200);

      const response = await http()
        .post('/logout')
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfToken })
        .expect(303);
      expect(response.headers.location).toBe('/login?loggedOut=1');
      await http().get(ME).set('Cookie', cookie).expect(401);
    });
  });

  describe('HTML pages', () => {
    it('should redirect an unauthenticated page request to /login with the path in next', async () => {
      const response = await http()
        .get('/account/totp?x=1')
        .set('Accept', 'text/html,application/xhtml+xml')
        .expect(303);
      expect(response.headers.location).toBe('/login?next=%2Faccount%2Ftotp%3Fx%3D1');
      // The API (and fetch without text/html) gets JSON instead.
      await http().get('/account/totp').set('Accept', 'application/json').expect(401);
      await http().get(ME).set('Accept', 'text/html').expect(401);
    });

    it('should show the login form with email, password and code fields', async () => {
      const response = await http().get('/login?next=%2Fqueues%2F1').expect(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.text).toContain('<html lang="ja">');
      expect(response.text).toMatch(/<input[^>]*name="email"/);
      expect(response.text).toMatch(
        /<input[^>]*name="password"[^>]*type="password"|<input[^>]*type="password"[^>]*name="password"/,
      );
      expect(response.text).toContain('確認コード');
      expect(response.text).toContain('name="next" value="/queues/1"');
    });

    it('should re-render the form with a Japanese error, the email kept and the password not', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const response = await http()
        .post('/login')
        .type('form')
        .send({ email: agent.email, password: 'wrong-password-here', next: '/queues/1' })
        .expect(401);
      expect(response.text).toContain('role="alert"');
      expect(response.text).toContain(
        'メールアドレス、パスワードまたは確認コードが正しくありません。',
      );
      expect(response.text).toContain(`value="${agent.email}"`);
      expect(response.text).not.toContain('wrong-password-here');
      expect(response.text).toContain('name="next" value="/queues/1"');
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('should log in through the form and go to next with 303', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const response = await http()
        .post('/login')
        .type('form')
        .send({
          email: agent.email,
          password: TEST_PASSWORD,
          totp: '',
          next: '/queues/1?status=open',
        })
        .expect(303);
      expect(response.headers.location).toBe('/queues/1?status=open');
      await http().get(ME).set('Cookie', cookieOf(response)).expect(200);
    });

    it.each([
      '//evil.example/',
      'https://evil.example/',
      '/\\evil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
    ])('should not redirect off-site through next=%j', async (next) => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const response = await http()
        .post('/login')
        .type('form')
        .send({ email: agent.email, password: TEST_PASSWORD, next })
        .expect(303);
      expect(response.headers.location).toBe('/');
      const page = await http()
        .get(`/login?next=${encodeURIComponent(next)}`)
        .expect(200);
      expect(page.text).not.toContain('name="next"');
    });

    it('should show a locked account on the form exactly like a wrong password (401)', async () => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const wrong = await http()
        .post('/login')
        .type('form')
        .send({ email: agent.email, password: 'wrong password' })
        .expect(401);
      await users().update(
        { id: agent.id },
        { failedLoginCount: 5, lockedUntil: new Date(Date.now() + 10 * MINUTE) },
      );
      const response = await http()
        .post('/login')
        .type('form')
        .send({ email: agent.email, password: TEST_PASSWORD })
        .expect(401);
      expect(response.text).not.toContain('ロック');
      expect(response.text).toBe(wrong.text);
    });

    it('should keep /healthz public', async () => {
      await http().get('/healthz').expect(200, { status: 'ok' });
    });
  });
});
