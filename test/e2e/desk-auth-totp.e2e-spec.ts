import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { Session, totpCodeAt, User } from '@madoguchi/auth';
import { FieldCipher } from '@madoguchi/crypto';
import { Merchant } from '@madoguchi/tenancy';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const LOGIN = '/api/v1/auth/login';
const ME = '/api/v1/auth/me';
const STEP_MS = 30_000;
/** Inside STAFF_ALLOWED_IP_RANGES below. */
const OFFICE_IP = '10.20.30.40';
const OFFICE_IPV6 = '2001:db8:1::7';
const OUTSIDE_IP = '192.0.2.99';

function cookieOf(response: request.Response): string {
  const headers = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const session = headers.find((header) => header.startsWith('madoguchi_session='));
  if (!session) throw new Error('no session cookie set');
  return session.split(';')[0];
}

/** The base32 key the enrolment page shows (grouped by 4 for reading). */
function secretOnPage(page: string): string {
  const match = /<code class="totp-secret__key"[^>]*>([A-Z2-7 ]+)<\/code\s*>/.exec(page);
  if (!match) throw new Error('no TOTP key on the page');
  return match[1].replace(/ /g, '');
}

describe(`desk second factor and IP allow-lists (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let tenant: TestTenant;

  const http = () => request(app.getHttpServer());
  const users = () => testEnv.dataSource.getRepository(User);
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  const login = (email: string, ip: string, extra: Record<string, string> = {}) =>
    http()
      .post(LOGIN)
      .set(from(ip))
      .send({ email, password: TEST_PASSWORD, ...extra });

  /** A staff user with TOTP already enrolled (secret set directly, as after enrolment). */
  async function enrolledStaff(
    role: 'agent' | 'admin' = 'agent',
  ): Promise<{ user: User; secret: string }> {
    const user = await createTestUser(testEnv.dataSource, { role, queueIds: [tenant.queue.id] });
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await users().update(
      { id: user.id },
      { totpSecret: app.get(FieldCipher).encrypt(secret), totpLastStep: null },
    );
    return { user, secret };
  }

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenant = await createTestTenant(testEnv.dataSource);
    app = await startDeskApp(testEnv, {
      REQUIRE_STAFF_TOTP: 'true',
      TRUST_PROXY: 'true',
      STAFF_ALLOWED_IP_RANGES: '10.0.0.0/8, 2001:db8:1::/48',
    });
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  describe('enrolment required for staff', () => {
    it('should enrol staff through the pages: 403 elsewhere until then, CSRF on the form, one code accepted once', async () => {
      const agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      const loggedIn = await login(agent.email, OFFICE_IP).expect(200);
      expect(loggedIn.body.mustEnrolTotp).toBe(true);
      const cookie = cookieOf(loggedIn);
      const csrfToken = loggedIn.body.csrfToken as string;

      // Everything but enrolment, me and logout is closed.
      const refused = await http()
        .get('/api/v1/tickets')
        .set(from(OFFICE_IP))
        .set('Cookie', cookie)
        .expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      const page = await http()
        .get('/')
        .set(from(OFFICE_IP))
        .set('Cookie', cookie)
        .set('Accept', 'text/html')
        .expect(303);
      expect(page.headers.location).toBe('/account/totp');
      await http().get(ME).set(from(OFFICE_IP)).set('Cookie', cookie).expect(200);

      // The form login sends staff who must enrol straight to the enrolment page.
      const formLogin = await http()
        .post('/login')
        .set(from(OFFICE_IP))
        .type('form')
        .send({ email: agent.email, password: TEST_PASSWORD, next: '/queues' })
        .expect(303);
      expect(formLogin.headers.location).toBe('/account/totp');

      const enrolment = await http()
        .get('/account/totp')
        .set(from(OFFICE_IP))
        .set('Cookie', cookie)
        .expect(200);
      expect(enrolment.text).toContain('<svg');
      expect(enrolment.text).toContain('otpauth://totp/');
      const secret = secretOnPage(enrolment.text);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // A reload offers the same key, so a code from an app that scanned it stays valid.
      const reload = await http()
        .get('/account/totp')
        .set(from(OFFICE_IP))
        .set('Cookie', cookie)
        .expect(200);
      expect(secretOnPage(reload.text)).toBe(secret);
      const pending = await testEnv.dataSource
        .getRepository(Session)
        .findOneByOrFail({ userId: agent.id });
      expect(pending.pendingTotpSecret).toMatch(/^enc1:/);
      expect(pending.pendingTotpSecret).not.toContain(secret);

      const code = totpCodeAt(secret, new Date());
      // Without the CSRF token: refused, nothing enrolled.
      await http()
        .post('/account/totp')
        .set(from(OFFICE_IP))
        .set('Cookie', cookie)
        .type('form')
        .send({ code })
        .expect(403);
      // A wrong code: the form again, with the error, nothing enrolled.
      const wrongCode = code === '000000' ? '111111' : '000000';
      const wrong = await http()
        .post('/account/totp')
        .set(from(OFFICE_IP))
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfToken, code: wrongCode })
        .expect(400);
      expect(wrong.text).toContain('確認コードが正しくありません');
      expect((await users().findOneByOrFail({ id: agent.id })).totpSecret).toBeNull();

      const done = await http()
        .post('/account/totp')
        .set(from(OFFICE_IP))
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfToken, code })
        .expect(303);
      expect(done.headers.location).toBe('/');

      const enrolled = await users().findOneByOrFail({ id: agent.id });
      expect(enrolled.totpSecret).toMatch(/^enc1:/);
      expect(app.get(FieldCipher).decrypt(enrolled.totpSecret as string)).toBe(secret);
      expect(
        (await testEnv.dataSource.getRepository(Session).findOneByOrFail({ id: pending.id }))
          .pendingTotpSecret,
      ).toBeNull();
      const audit = await testEnv.dataSource
        .getRepository(AuditEvent)
        .findBy({ action: 'auth.totp_enrolled', actorId: agent.id });
      expect(audit).toHaveLength(1);

      // The same session may now work.
      const me = await http().get(ME).set(from(OFFICE_IP)).set('Cookie', cookie).expect(200);
      expect(me.body.mustEnrolTotp).toBe(false);
      await http().get('/api/v1/tickets').set(from(OFFICE_IP)).set('Cookie', cookie).expect(200);

      // The code that confirmed the enrolment is spent: it cannot also log in.
      await login(agent.email, OFFICE_IP, { totp: code }).expect(401);
      // Without a code, or with a wrong one: 401, counted as failures.
      await login(agent.email, OFFICE_IP).expect(401);
      await login(agent.email, OFFICE_IP, { totp: wrongCode }).expect(401);
      expect((await users().findOneByOrFail({ id: agent.id })).failedLoginCount).toBe(3);
      // The next step's code (inside the ±1 window) logs in once, and only once.
      const next = totpCodeAt(secret, new Date(Date.now() + STEP_MS));
      const ok = await login(agent.email, OFFICE_IP, { totp: next }).expect(200);
      expect(ok.body.mustEnrolTotp).toBe(false);
      await login(agent.email, OFFICE_IP, { totp: next }).expect(401);
    });

    it('should not ask merchant users to enrol a second factor', async () => {
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
      });
      const response = await login(viewer.email, OUTSIDE_IP).expect(200);
      expect(response.body.mustEnrolTotp).toBe(false);
    });
  });

  describe('TOTP at login', () => {
    it('should need a valid code from an enrolled user and accept each code once', async () => {
      const { user, secret } = await enrolledStaff();
      await login(user.email, OFFICE_IP).expect(401);
      await login(user.email, OFFICE_IP, { totp: '12345' }).expect(401);

      const code = totpCodeAt(secret, new Date());
      const first = await login(user.email, OFFICE_IP, { totp: code }).expect(200);
      expect(first.body.mustEnrolTotp).toBe(false);
      const replay = await login(user.email, OFFICE_IP, { totp: code }).expect(401);
      expect(replay.body.code).toBe('AUTHENTICATION_FAILED');
      // An older step than the last accepted one is refused too.
      await login(user.email, OFFICE_IP, {
        totp: totpCodeAt(secret, new Date(Date.now() - STEP_MS)),
      }).expect(401);
    });

    it('should accept a code once even when it is sent twice at the same moment', async () => {
      const { user, secret } = await enrolledStaff();
      const code = totpCodeAt(secret, new Date());
      const responses = await Promise.all([
        login(user.email, OFFICE_IP, { totp: code }),
        login(user.email, OFFICE_IP, { totp: code }),
        login(user.email, OFFICE_IP, { totp: code }),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 401, 401]);
    });

    it('should accept a code typed with a space in the form login', async () => {
      const { user, secret } = await enrolledStaff();
      const code = totpCodeAt(secret, new Date());
      const response = await http()
        .post('/login')
        .set(from(OFFICE_IP))
        .type('form')
        .send({
          email: user.email,
          password: TEST_PASSWORD,
          totp: `${code.slice(0, 3)} ${code.slice(3)}`,
        })
        .expect(303);
      expect(response.headers.location).toBe('/');
    });
  });

  describe('staff IP allow-list', () => {
    it('should let staff log in from the allowed IPv4 and IPv6 ranges and refuse others like a wrong password', async () => {
      const { user, secret } = await enrolledStaff('admin');
      const outside = await login(user.email, OUTSIDE_IP, {
        totp: totpCodeAt(secret, new Date(Date.now() - STEP_MS)),
      }).expect(401);
      expect(outside.headers['set-cookie']).toBeUndefined();
      // The right password from outside answers exactly as a wrong one: no oracle for guessers.
      const wrong = await login(user.email, OUTSIDE_IP, { password: 'wrong password' }).expect(401);
      expect(outside.body).toEqual(wrong.body);
      expect(outside.body).toMatchObject({ statusCode: 401, code: 'AUTHENTICATION_FAILED' });
      // Refused before the password: nothing counted towards the lock.
      expect((await users().findOneByOrFail({ id: user.id })).failedLoginCount).toBe(0);

      const v4 = await login(user.email, OFFICE_IP, {
        totp: totpCodeAt(secret, new Date()),
      }).expect(200);
      const v6 = await login(user.email, OFFICE_IPV6, {
        totp: totpCodeAt(secret, new Date(Date.now() + STEP_MS)),
      }).expect(200);

      // A session from the office is refused when used from elsewhere.
      await http().get(ME).set(from(OFFICE_IP)).set('Cookie', cookieOf(v4)).expect(200);
      await http().get(ME).set(from(OFFICE_IPV6)).set('Cookie', cookieOf(v6)).expect(200);
      await http().get(ME).set(from(OUTSIDE_IP)).set('Cookie', cookieOf(v4)).expect(403);
      // The failed attempt from outside was audited with its address.
      const failures = await testEnv.dataSource
        .getRepository(AuditEvent)
        .findBy({ action: 'auth.login_failed', actorId: user.id, ip: OUTSIDE_IP });
      expect(failures.map((event) => JSON.parse(event.detail ?? '{}').reason)).toContain(
        'ip_not_allowed',
      );
    });

    it('should not apply the staff list to merchant users', async () => {
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenant.merchant.id,
      });
      await login(viewer.email, OUTSIDE_IP).expect(200);
    });
  });

  describe("merchant's IP allow-list", () => {
    it("should hold a merchant's users to the merchant's ranges, at login and on every request", async () => {
      const other = await createTestTenant(testEnv.dataSource);
      await testEnv.dataSource
        .getRepository(Merchant)
        .update({ id: other.merchant.id }, { allowedIpRanges: ['198.51.100.0/24'] });
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_admin',
        merchantId: other.merchant.id,
      });

      const refused = await login(viewer.email, '203.0.113.9').expect(401);
      expect(refused.body.code).toBe('AUTHENTICATION_FAILED');
      const allowed = await login(viewer.email, '198.51.100.7').expect(200);
      const cookie = cookieOf(allowed);
      await http().get(ME).set(from('198.51.100.200')).set('Cookie', cookie).expect(200);
      await http().get(ME).set(from('203.0.113.9')).set('Cookie', cookie).expect(403);
      // Even an address in the staff ranges does not help a merchant user.
      await http().get(ME).set(from(OFFICE_IP)).set('Cookie', cookie).expect(403);

      // A changed list applies at once to live sessions; an empty list lets everyone in.
      await testEnv.dataSource
        .getRepository(Merchant)
        .update({ id: other.merchant.id }, { allowedIpRanges: [] });
      await http().get(ME).set(from('203.0.113.9')).set('Cookie', cookie).expect(200);
    });

    it("should not let another merchant's list admit a user", async () => {
      const open = await createTestTenant(testEnv.dataSource);
      const closed = await createTestTenant(testEnv.dataSource);
      await testEnv.dataSource
        .getRepository(Merchant)
        .update({ id: closed.merchant.id }, { allowedIpRanges: ['198.51.100.0/24'] });
      await testEnv.dataSource
        .getRepository(Merchant)
        .update({ id: open.merchant.id }, { allowedIpRanges: ['203.0.113.0/24'] });
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: closed.merchant.id,
      });
      await login(viewer.email, '203.0.113.9').expect(401);
      await login(viewer.email, '198.51.100.1').expect(200);
    });
  });
});
