import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { Session, totpCodeAt, User } from '@madoguchi/auth';
import { loadConfig } from '@madoguchi/config';
import { FieldCipher, hashSecretToken } from '@madoguchi/crypto';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import { createDeskApp } from '../../apps/desk/src/desk-app.factory';
import {
  createTestUser,
  type LoggedIn,
  loginAs,
  startDeskApp,
  TEST_PASSWORD,
} from '../support/desk-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const LOGIN = '/api/v1/auth/login';
const ME = '/api/v1/auth/me';
const COOKIE = 'madoguchi_session';
const WRONG_PASSWORD = 'wrong guess 8f3a-logprobe';
const INVITE_PASSWORD = 'invited passphrase 4c1d-logprobe';
const EXPORT_WRONG_PASSWORD = 'export guess 77e0-logprobe';
/** Every level Nest knows: the apps log at most this much in any environment. */
const ALL_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
const INVITE_LINK = /\/invite\/([A-Za-z0-9_-]{43})/;
const TOTP_KEY = /<code class="totp-secret__key"[^>]*>([A-Z2-7 ]+)<\/code\s*>/;

function sessionCookieOf(response: request.Response): string | undefined {
  const headers = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  return headers.find((header) => header.startsWith(`${COOKIE}=`))?.split(';')[0];
}

/** Everything written to stdout, stderr and the console while it is on. */
class OutputCapture {
  readonly chunks: string[] = [];
  private restore: (() => void)[] = [];

  start(): void {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }) as typeof stream.write;
      this.restore.push(() => {
        stream.write = original as typeof stream.write;
      });
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      const original = console[method];
      console[method] = (...args: unknown[]) => {
        this.chunks.push(
          args.map((arg) => (typeof arg === 'string' ? arg : String(arg))).join(' '),
        );
      };
      this.restore.push(() => {
        console[method] = original;
      });
    }
  }

  stop(): void {
    for (const undo of this.restore.reverse()) undo();
    this.restore = [];
  }

  get text(): string {
    return this.chunks.join('\n');
  }
}

describe(`credentials: hashes, secrets in logs, lockout across instances, session fixation (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let tenant: TestTenant;
  const apps: NestFastifyApplication[] = [];
  let desk: NestFastifyApplication;
  let secondDesk: NestFastifyApplication;

  const http = (app: NestFastifyApplication = desk) => request(app.getHttpServer());
  const users = () => testEnv.dataSource.getRepository(User);

  /** The real desk, logging at every level (the test environment alone would log errors only). */
  async function startLoggingDesk(): Promise<NestFastifyApplication> {
    const app = await createDeskApp(loadConfig({ ...testEnv.env, OUTBOX_WORKER: 'off' }));
    app.useLogger([...ALL_LEVELS]);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({ SMTP_URL: smtp.url });
    tenant = await createTestTenant(testEnv.dataSource);
    desk = await startDeskApp(testEnv, { OUTBOX_WORKER: 'off' });
    apps.push(desk);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  describe('secrets in logs', () => {
    const capture = new OutputCapture();
    let logged: NestFastifyApplication;
    const http = () => request(logged.getHttpServer());
    const secrets: { label: string; value: string }[] = [];
    let inviteeId: number;

    beforeAll(async () => {
      capture.start();
      try {
        // A desk of its own, started while the output is captured: its start-up logs count too.
        logged = await startLoggingDesk();
        const desk = logged;
        const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
        const merchantAdmin = await createTestUser(testEnv.dataSource, {
          role: 'merchant_admin',
          merchantId: tenant.merchant.id,
        });

        // Logins: API and form, right and wrong, an unknown email, a lockout.
        const adminSession = await loginAs(desk, admin.email);
        const merchantSession = await loginAs(desk, merchantAdmin.email);
        const form = await http()
          .post('/login')
          .type('form')
          .send({ email: admin.email, password: TEST_PASSWORD, next: '/' })
          .expect(303);
        const formCookie = sessionCookieOf(form) as string;
        await http().post(LOGIN).send({ email: admin.email, password: WRONG_PASSWORD }).expect(401);
        await http()
          .post('/login')
          .type('form')
          .send({ email: 'nobody@users.test', password: WRONG_PASSWORD })
          .expect(401);
        const lockee = await createTestUser(testEnv.dataSource, { role: 'agent' });
        for (let i = 0; i < 6; i += 1)
          await http()
            .post(LOGIN)
            .send({ email: lockee.email, password: `${WRONG_PASSWORD}${i}` });
        await http().post(LOGIN).send({ email: lockee.email, password: TEST_PASSWORD }).expect(401);

        // TOTP enrolment, a wrong code, then a login with a code.
        const enrolment = await http()
          .get('/account/totp')
          .set('cookie', merchantSession.cookie)
          .expect(200);
        const totpSecret = (TOTP_KEY.exec(enrolment.text)?.[1] ?? '').replace(/ /g, '');
        expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
        const code = totpCodeAt(totpSecret, new Date());
        await http()
          .post('/account/totp')
          .set('cookie', merchantSession.cookie)
          .type('form')
          .send({ _csrf: merchantSession.csrfToken, code: code === '000000' ? '111111' : '000000' })
          .expect(400);
        await http()
          .post('/account/totp')
          .set('cookie', merchantSession.cookie)
          .type('form')
          .send({ _csrf: merchantSession.csrfToken, code })
          .expect(303);
        const totpLogin = await loginAs(
          desk,
          merchantAdmin.email,
          TEST_PASSWORD,
          totpCodeAt(totpSecret, new Date(Date.now() + 30_000)),
        );

        // An invitation whose first delivery the SMTP server refuses (the failure is logged),
        // then accepted: the invitee sets a password and logs in.
        const inviteeEmail = `invitee-${randomBytes(3).toString('hex')}@staff.test`;
        await http()
          .post('/admin/users')
          .set('cookie', adminSession.cookie)
          .type('form')
          .send({
            _csrf: adminSession.csrfToken,
            email: inviteeEmail,
            displayName: '招待 ログ',
            role: 'agent',
            merchantId: '',
          })
          .expect(303);
        smtp.rejectNext = 1;
        await desk.get(OutboxWorker).drainOnce();
        expect(smtp.messages).toHaveLength(0);
        await testEnv.dataSource
          .createQueryBuilder()
          .update(OutboxJob)
          .set({ nextAttemptAt: new Date(0) })
          .where('1 = 1')
          .execute();
        await desk.get(OutboxWorker).drainOnce();
        const [inviteMail] = await smtp.waitFor(1);
        const inviteToken = INVITE_LINK.exec(inviteMail.text)?.[1] as string;
        expect(inviteToken).toBeDefined();
        await http().get(`/invite/${inviteToken}`).expect(200);
        await http()
          .post(`/invite/${inviteToken}`)
          .type('form')
          .send({ password: INVITE_PASSWORD, confirmation: 'a different confirmation' })
          .expect(400);
        await http()
          .post(`/invite/${inviteToken}`)
          .type('form')
          .send({ password: INVITE_PASSWORD, confirmation: INVITE_PASSWORD })
          .expect(200);
        const inviteeSession = await loginAs(desk, inviteeEmail, INVITE_PASSWORD);
        inviteeId = (await users().findOneByOrFail({ email: inviteeEmail })).id;

        // The password given again for an export, wrong and right.
        for (const password of [EXPORT_WRONG_PASSWORD, TEST_PASSWORD]) {
          await http()
            .post('/portal/export')
            .set('cookie', totpLogin.cookie)
            .type('form')
            .send({ _csrf: totpLogin.csrfToken, from: '2025-04-01', to: '2025-04-02', password });
        }

        // Logout.
        await http()
          .post('/api/v1/auth/logout')
          .set('cookie', adminSession.cookie)
          .set('x-csrf-token', adminSession.csrfToken)
          .expect(204);

        const sessions: LoggedIn[] = [adminSession, merchantSession, totpLogin, inviteeSession];
        secrets.push(
          { label: 'password', value: TEST_PASSWORD },
          { label: 'wrong password', value: WRONG_PASSWORD },
          { label: 'invited password', value: INVITE_PASSWORD },
          { label: 'export password', value: EXPORT_WRONG_PASSWORD },
          { label: 'invite token', value: inviteToken },
          { label: 'invite token hash', value: hashSecretToken(inviteToken) },
          { label: 'TOTP secret', value: totpSecret },
          { label: 'TOTP secret (lower case)', value: totpSecret.toLowerCase() },
          { label: 'form session token', value: formCookie.split('=')[1] },
          ...sessions.flatMap((session, index) => [
            { label: `session token ${index}`, value: session.cookie.split('=')[1] },
            {
              label: `session token hash ${index}`,
              value: hashSecretToken(session.cookie.split('=')[1]),
            },
            { label: `CSRF token ${index}`, value: session.csrfToken },
          ]),
          { label: 'invitee email', value: inviteeEmail },
        );
      } finally {
        capture.stop();
      }
    }, 60_000);

    it('should capture what the app logs (the route table at start, the refused invitation mail)', () => {
      expect(capture.text).toContain('Mapped {/api/v1/auth/login, POST}');
      expect(capture.text).toMatch(/outbox job \d+ attempt 1 failed/);
    });

    it('should log no password, session token, CSRF token, invite token or TOTP secret', () => {
      expect(secrets.length).toBeGreaterThan(15);
      const found = secrets
        .filter((secret) => capture.text.includes(secret.value))
        .map((secret) => secret.label);
      expect(found).toEqual([]);
    });

    it('should store the password as argon2id with at least OWASP’s parameters (m ≥ 19456, t ≥ 2, p ≥ 1)', async () => {
      const { passwordHash } = await users().findOneByOrFail({ id: inviteeId });
      // PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash (the parameters in any order).
      const [, algorithm, version, params, salt, digest] = passwordHash.split('$');
      expect(algorithm).toBe('argon2id');
      expect(version).toBe('v=19');
      const parameters = Object.fromEntries(
        params.split(',').map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]),
      );
      expect(Object.keys(parameters).sort()).toEqual(['m', 'p', 't']);
      expect(parameters.m).toBeGreaterThanOrEqual(19456);
      expect(parameters.t).toBeGreaterThanOrEqual(2);
      expect(parameters.p).toBeGreaterThanOrEqual(1);
      expect(salt.length).toBeGreaterThanOrEqual(16);
      expect(digest.length).toBeGreaterThanOrEqual(32);
      expect(passwordHash).not.toContain(INVITE_PASSWORD);
    });
  });

  describe('lockout across two desk instances', () => {
    /** Wrong passwords that were really verified: each leaves a `bad_password` failure. */
    const verifiedGuesses = async (userId: number) =>
      (
        await testEnv.dataSource
          .getRepository(AuditEvent)
          .findBy({ action: 'auth.login_failed', actorId: userId })
      ).filter((event) => JSON.parse(event.detail ?? '{}').reason === 'bad_password').length;

    it('should verify at most 5 of 24 parallel guesses sent to two instances through the API and the form, and then refuse the right password on both', async () => {
      secondDesk = await startDeskApp(testEnv, { OUTBOX_WORKER: 'off' });
      apps.push(secondDesk);
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const guesses = Array.from({ length: 24 }, (_, index) => {
        const app = index % 2 === 0 ? desk : secondDesk;
        return index % 4 < 2
          ? http(app)
              .post(LOGIN)
              .send({ email: agent.email, password: `guess ${index}` })
          : http(app)
              .post('/login')
              .type('form')
              .send({ email: agent.email, password: `guess ${index}` });
      });
      const statuses = (await Promise.all(guesses)).map((response) => response.status);

      expect(statuses.every((status) => status === 401)).toBe(true);
      expect(await verifiedGuesses(agent.id)).toBeLessThanOrEqual(5);
      const locked = await users().findOneByOrFail({ id: agent.id });
      expect(locked.failedLoginCount).toBe(5);
      expect(locked.lockedUntil).not.toBeNull();
      for (const app of [desk, secondDesk]) {
        const right = await http(app)
          .post(LOGIN)
          .send({ email: agent.email, password: TEST_PASSWORD })
          .expect(401);
        expect(right.headers['set-cookie']).toBeUndefined();
      }
      expect(await testEnv.dataSource.getRepository(Session).countBy({ userId: agent.id })).toBe(0);
    });
  });

  describe('second factor and disabling across two desk instances', () => {
    it('should accept one TOTP code once when it reaches two instances at the same moment', async () => {
      const other = await startDeskApp(testEnv, { OUTBOX_WORKER: 'off' });
      apps.push(other);
      const user = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      await users().update(
        { id: user.id },
        { totpSecret: desk.get(FieldCipher).encrypt(secret), totpLastStep: null },
      );
      const code = totpCodeAt(secret, new Date());
      const responses = await Promise.all(
        [desk, other, desk, other].map((app) =>
          http(app).post(LOGIN).send({ email: user.email, password: TEST_PASSWORD, totp: code }),
        ),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 401, 401, 401]);
      expect(await testEnv.dataSource.getRepository(Session).countBy({ userId: user.id })).toBe(1);
    });

    it("should end a user's sessions on every instance the moment an admin disables them", async () => {
      const other = await startDeskApp(testEnv, { OUTBOX_WORKER: 'off' });
      apps.push(other);
      const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const adminSession = await loginAs(desk, admin.email);
      const onFirst = await loginAs(desk, agent.email);
      const onSecond = await loginAs(other, agent.email);
      await http(other).get(ME).set('Cookie', onSecond.cookie).expect(200);

      await http(desk)
        .post(`/admin/users/${agent.id}/disable`)
        .set('cookie', adminSession.cookie)
        .type('form')
        .send({ _csrf: adminSession.csrfToken })
        .expect(303);

      for (const [app, session] of [
        [desk, onFirst],
        [other, onSecond],
        [other, onFirst],
      ] as const) {
        await http(app).get(ME).set('Cookie', session.cookie).expect(401);
      }
      const left = await testEnv.dataSource.getRepository(Session).findBy({ userId: agent.id });
      expect(left).toHaveLength(2);
      expect(left.every((session) => session.revokedAt !== null)).toBe(true);
    });
  });

  describe('session fixation', () => {
    it('should set no session cookie before login', async () => {
      const page = await http().get('/login').expect(200);
      expect(sessionCookieOf(page)).toBeUndefined();
      const refused = await http().get('/').set('Accept', 'text/html').expect(303);
      expect(sessionCookieOf(refused)).toBeUndefined();
    });

    it.each([
      ['the API', 'api'],
      ['the form', 'form'],
    ])('should never adopt a session id planted before login through %s', async (_label, route) => {
      const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
      const planted = randomBytes(32).toString('base64url');
      const login =
        route === 'api'
          ? http()
              .post(LOGIN)
              .set('Cookie', `${COOKIE}=${planted}`)
              .send({ email: agent.email, password: TEST_PASSWORD })
              .expect(200)
          : http()
              .post('/login')
              .set('Cookie', `${COOKIE}=${planted}`)
              .type('form')
              .send({ email: agent.email, password: TEST_PASSWORD, next: '/' })
              .expect(303);
      const issued = sessionCookieOf(await login);

      expect(issued).toBeDefined();
      expect(issued).not.toBe(`${COOKIE}=${planted}`);
      // The planted value opens nothing, and no session was stored under it.
      await http().get(ME).set('Cookie', `${COOKIE}=${planted}`).expect(401);
      expect(
        await testEnv.dataSource
          .getRepository(Session)
          .countBy({ tokenHash: hashSecretToken(planted) }),
      ).toBe(0);
      await http()
        .get(ME)
        .set('Cookie', issued as string)
        .expect(200);
    });
  });
});
