import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { MoreThan } from 'typeorm';
import { AUDIT_ACTIONS, type AuditAction, AuditEvent } from '@madoguchi/audit';
import { totpCodeAt, User } from '@madoguchi/auth';
import { FieldCipher, hashSecretToken } from '@madoguchi/crypto';
import { registeredRoutes } from '@madoguchi/http';
import { Merchant } from '@madoguchi/tenancy';
import { MerchantDigestService, RetentionService, SupportPeriodService } from '@madoguchi/jobs';
import { Ticket } from '@madoguchi/tickets';
import {
  createTestUser,
  type LoggedIn,
  loginAs,
  startDeskApp,
  TEST_PASSWORD,
} from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { insertTestCall } from '../support/test-call';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 6: audit completeness. Every action in AUDIT_ACTIONS is driven through the running apps
 * (HTTP, or the desk's scheduled job services for the system's own actions), and must leave
 * exactly one audit event of that action with the actor, the tenant (merchant), the target and
 * the client's IP. An action added to AUDIT_ACTIONS without a case here fails the first test.
 * Audit rows cannot be changed through the application: no route is about them but the read-only
 * trail and access log, and the data source refuses to update or delete an AuditEvent.
 */

const CLIENT_IP = /^(::ffff:)?127\.0\.0\.1$/;

interface Expected {
  actorType: 'user' | 'end_user' | 'system';
  actorId: number | null;
  merchantId: number | null;
  /** null only where an action has no single target (a search); said in docs/security.md. */
  target: { type: string; id: string } | null;
  /** true: the client's address; false: no request behind it (the system's scheduled jobs). */
  ip: boolean;
}

type Drive = () => Promise<Expected>;

/**
 * Actions this file does not drive: key rotation (a command, not a request) and the bulk sends
 * (a worker finishes them). Their feature's own test file covers the event; the completeness test
 * checks that the file exists and names the action.
 */
type Elsewhere = { provedIn: string };

describe(`audit completeness (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenant: TestTenant;
  let admin: User;
  let adminSession: LoggedIn;
  let agent: User;
  let agentSession: LoggedIn;
  let merchantAdmin: User;
  let merchantAdminSession: LoggedIn;
  let lastAuditId = 0;

  const deskHttp = () => request(desk.getHttpServer());
  const intakeHttp = () => request(intake.getHttpServer());

  const api = (
    session: LoggedIn,
    method: 'get' | 'post' | 'patch' | 'delete',
    path: string,
    body?: Record<string, unknown>,
  ): request.Test => {
    const agent = deskHttp();
    const req = agent[method](path)
      .set('Cookie', session.cookie)
      .set('Accept', 'application/json')
      .set('x-csrf-token', session.csrfToken);
    return body ? req.send(body) : req;
  };

  const form = (session: LoggedIn, path: string, fields: Record<string, string> = {}) =>
    deskHttp()
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });

  const ok = async (pending: request.Test): Promise<request.Response> => {
    const response = await pending;
    if (response.status >= 400) {
      throw new Error(`${response.status} ${response.text.slice(0, 300)}`);
    }
    return response;
  };

  const newTicket = async (): Promise<{ reference: string; token: string }> => {
    const response = await intakeHttp()
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const body = response.body as { reference: string; statusUrl: string };
    return { reference: body.reference, token: body.statusUrl.split('/').pop() as string };
  };

  const versionOf = async (reference: string): Promise<number> =>
    (await testEnv.dataSource.getRepository(Ticket).findOneByOrFail({ reference })).version;

  const user = (actor: User) => ({ actorType: 'user' as const, actorId: actor.id });
  const ticketTarget = (reference: string) => ({ type: 'ticket', id: reference });
  const userTarget = (target: User) => ({ type: 'user', id: String(target.id) });

  const freshUser = (role: User['role'] = 'agent', merchantId: number | null = null) =>
    createTestUser(testEnv.dataSource, {
      role,
      merchantId,
      queueIds: role === 'agent' ? [tenant.queue.id] : [],
    });

  const waitForAudit = async (action: string, targetId: string): Promise<void> => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const found = await testEnv.dataSource
        .getRepository(AuditEvent)
        .exists({ where: { action, targetId } });
      if (found) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const merchantForm = (code: string) => ({
    code,
    name: `監査商店 ${code}`,
    notificationEmails: `${code}@merchant.test`,
    allowedIpRanges: '',
    retentionDays: '365',
    supportEndsOn: '',
  });

  const siteForm = (slug: string) => ({
    slug,
    displayName: `監査ショップ ${slug}`,
    logoUrl: '',
    brandColor: '#123456',
    contactUrl: 'https://audit.example.jp/contact',
    contactText: 'お問い合わせ窓口',
    senderName: '監査ショップ 窓口',
    intakeOpen: 'on',
    phoneCode: String(100000 + (randomBytes(2).readUInt16BE() % 800000)),
  });

  const CASES: Record<AuditAction, Drive | Elsewhere> = {
    // The end user, on the intake.
    [AUDIT_ACTIONS.ticketCreated]: async () => {
      const { reference } = await newTicket();
      return {
        actorType: 'end_user',
        actorId: null,
        merchantId: tenant.merchant.id,
        target: ticketTarget(reference),
        ip: true,
      };
    },
    [AUDIT_ACTIONS.ticketStatusPageViewed]: async () => {
      const { reference, token } = await newTicket();
      lastAuditId = await maxAuditId();
      await intakeHttp().get(`/status/${token}`).expect(200);
      return {
        actorType: 'end_user',
        actorId: null,
        merchantId: tenant.merchant.id,
        target: ticketTarget(reference),
        ip: true,
      };
    },
    [AUDIT_ACTIONS.ticketCustomerReplied]: async () => {
      const { reference, token } = await newTicket();
      lastAuditId = await maxAuditId();
      await intakeHttp()
        .post(`/status/${token}/replies`)
        .type('form')
        .send({ message: '追加の質問です。' })
        .expect(303);
      return {
        actorType: 'end_user',
        actorId: null,
        merchantId: tenant.merchant.id,
        target: ticketTarget(reference),
        ip: true,
      };
    },
    // Agents on the desk's API and pages.
    [AUDIT_ACTIONS.ticketViewed]: async () => {
      const { reference } = await newTicket();
      lastAuditId = await maxAuditId();
      await ok(api(agentSession, 'get', `/api/v1/tickets/${reference}`));
      return ticketWork(reference);
    },
    [AUDIT_ACTIONS.ticketReplied]: async () => {
      const { reference } = await newTicket();
      const version = await versionOf(reference);
      lastAuditId = await maxAuditId();
      await ok(
        api(agentSession, 'post', `/api/v1/tickets/${reference}/replies`, {
          body: 'ご連絡ありがとうございます。',
          version,
        }),
      );
      return ticketWork(reference);
    },
    [AUDIT_ACTIONS.ticketNoteAdded]: async () => {
      const { reference } = await newTicket();
      const version = await versionOf(reference);
      lastAuditId = await maxAuditId();
      await ok(
        api(agentSession, 'post', `/api/v1/tickets/${reference}/notes`, {
          body: '社内メモ',
          version,
        }),
      );
      return ticketWork(reference);
    },
    [AUDIT_ACTIONS.ticketAssigned]: async () => {
      const { reference } = await newTicket();
      const version = await versionOf(reference);
      lastAuditId = await maxAuditId();
      await ok(
        api(agentSession, 'post', `/api/v1/tickets/${reference}/assign`, {
          assigneeId: agent.id,
          version,
        }),
      );
      return ticketWork(reference);
    },
    [AUDIT_ACTIONS.ticketReleased]: async () => {
      const { reference } = await newTicket();
      await ok(
        api(agentSession, 'post', `/api/v1/tickets/${reference}/assign`, {
          assigneeId: agent.id,
          version: await versionOf(reference),
        }),
      );
      const version = await versionOf(reference);
      lastAuditId = await maxAuditId();
      await ok(
        api(agentSession, 'post', `/api/v1/tickets/${reference}/assign`, {
          assigneeId: null,
          version,
        }),
      );
      return ticketWork(reference);
    },
    [AUDIT_ACTIONS.ticketStatusChanged]: async () => {
      const { reference } = await newTicket();
      const version = await versionOf(reference);
      lastAuditId = await maxAuditId();
      await ok(
        api(agentSession, 'post', `/api/v1/tickets/${reference}/status`, {
          status: 'resolved',
          version,
        }),
      );
      return ticketWork(reference);
    },
    [AUDIT_ACTIONS.ticketUpdated]: async () => {
      const { reference } = await newTicket();
      const version = await versionOf(reference);
      lastAuditId = await maxAuditId();
      await ok(
        api(agentSession, 'patch', `/api/v1/tickets/${reference}`, { priority: 'high', version }),
      );
      return ticketWork(reference);
    },
    [AUDIT_ACTIONS.ticketHandedBack]: async () => {
      const { reference } = await newTicket();
      const version = await versionOf(reference);
      lastAuditId = await maxAuditId();
      await ok(api(agentSession, 'post', `/api/v1/tickets/${reference}/hand-back`, { version }));
      return ticketWork(reference);
    },
    [AUDIT_ACTIONS.merchantQuestionNotified]: async () => {
      const { reference } = await newTicket();
      const version = await versionOf(reference);
      lastAuditId = await maxAuditId();
      await ok(
        api(agentSession, 'post', `/api/v1/tickets/${reference}/status`, {
          status: 'pending_merchant',
          version,
        }),
      );
      // The notice goes out from an event listener, after the change was committed.
      await waitForAudit(AUDIT_ACTIONS.merchantQuestionNotified, reference);
      return {
        actorType: 'system',
        actorId: null,
        merchantId: tenant.merchant.id,
        target: ticketTarget(reference),
        ip: false,
      };
    },
    [AUDIT_ACTIONS.ticketMerchantAnswered]: async () => {
      const { reference } = await newTicket();
      await ok(
        api(agentSession, 'post', `/api/v1/tickets/${reference}/status`, {
          status: 'pending_merchant',
          version: await versionOf(reference),
        }),
      );
      await waitForAudit(AUDIT_ACTIONS.merchantQuestionNotified, reference);
      const version = await versionOf(reference);
      lastAuditId = await maxAuditId();
      await ok(
        form(merchantAdminSession, `/portal/cases/${reference}/answer`, {
          body: '対象のお客様です。',
          version: String(version),
        }),
      );
      return {
        ...user(merchantAdmin),
        merchantId: tenant.merchant.id,
        target: ticketTarget(reference),
        ip: true,
      };
    },
    [AUDIT_ACTIONS.ticketSearched]: async () => {
      const { reference } = await newTicket();
      lastAuditId = await maxAuditId();
      await ok(api(merchantAdminSession, 'get', `/api/v1/tickets/search?q=${reference}`));
      return { ...user(merchantAdmin), merchantId: tenant.merchant.id, target: null, ip: true };
    },
    // Logins.
    [AUDIT_ACTIONS.authLoginSucceeded]: async () => {
      const someone = await freshUser();
      lastAuditId = await maxAuditId();
      await loginAs(desk, someone.email);
      const session = await lastRow(AUDIT_ACTIONS.authLoginSucceeded);
      return {
        ...user(someone),
        merchantId: null,
        target: { type: 'session', id: String(session?.targetId) },
        ip: true,
      };
    },
    [AUDIT_ACTIONS.authLoginFailed]: async () => {
      const someone = await freshUser('merchant_viewer', tenant.merchant.id);
      lastAuditId = await maxAuditId();
      await deskHttp()
        .post('/api/v1/auth/login')
        .send({ email: someone.email, password: 'wrong password' })
        .expect(401);
      // The account is the actor (when it exists); a failed login has no other target.
      return { ...user(someone), merchantId: tenant.merchant.id, target: null, ip: true };
    },
    [AUDIT_ACTIONS.authAccountLocked]: async () => {
      const someone = await freshUser();
      lastAuditId = await maxAuditId();
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 6; attempt++) {
        const response = await deskHttp()
          .post('/api/v1/auth/login')
          .send({ email: someone.email, password: 'wrong password' });
        statuses.push(response.status);
      }
      // A lock answers like a wrong password (existence is not revealed).
      expect(statuses.slice(-1)).toEqual([401]);
      return { ...user(someone), merchantId: null, target: userTarget(someone), ip: true };
    },
    [AUDIT_ACTIONS.authLoggedOut]: async () => {
      const someone = await freshUser();
      const session = await loginAs(desk, someone.email);
      const login = await lastRow(AUDIT_ACTIONS.authLoginSucceeded);
      lastAuditId = await maxAuditId();
      await ok(api(session, 'post', '/api/v1/auth/logout'));
      return {
        ...user(someone),
        merchantId: null,
        target: { type: 'session', id: String(login?.targetId) },
        ip: true,
      };
    },
    [AUDIT_ACTIONS.authTotpEnrolled]: async () => {
      const someone = await freshUser();
      const session = await loginAs(desk, someone.email);
      const page = await deskHttp()
        .get('/account/totp')
        .set('Cookie', session.cookie)
        .set('Accept', 'text/html')
        .expect(200);
      const match = /<code class="totp-secret__key"[^>]*>([A-Z2-7 ]+)<\/code\s*>/.exec(page.text);
      const secret = (match?.[1] ?? '').replace(/ /g, '');
      lastAuditId = await maxAuditId();
      await ok(form(session, '/account/totp', { code: totpCodeAt(secret, new Date()) }));
      return { ...user(someone), merchantId: null, target: userTarget(someone), ip: true };
    },
    // Calls.
    [AUDIT_ACTIONS.callViewed]: async () => {
      // Opening a call is audited when the page shows the caller's number.
      const call = await insertTestCall(testEnv.dataSource, {
        merchantId: tenant.merchant.id,
        fromNumber: desk.get(FieldCipher).encrypt('+819012345678'),
        callerIdWithheld: false,
      });
      lastAuditId = await maxAuditId();
      await ok(
        deskHttp()
          .get(`/calls/${call.id}`)
          .set('Cookie', agentSession.cookie)
          .set('Accept', 'text/html'),
      );
      return callWork(call.id);
    },
    [AUDIT_ACTIONS.callLinked]: async () => {
      const { reference } = await newTicket();
      const call = await insertTestCall(testEnv.dataSource, {
        merchantId: tenant.merchant.id,
        agentId: agent.id,
        outcome: 'answered',
      });
      lastAuditId = await maxAuditId();
      await ok(
        api(agentSession, 'post', `/api/v1/calls/${call.id}/wrap-up`, {
          mode: 'link',
          summary: '電話で確認しました。',
          merchantId: tenant.merchant.id,
          category: 'leak_check',
          reference,
        }),
      );
      return callWork(call.id);
    },
    [AUDIT_ACTIONS.callCallbackDone]: async () => {
      const call = await insertTestCall(testEnv.dataSource, {
        merchantId: tenant.merchant.id,
        outcome: 'voicemail',
      });
      lastAuditId = await maxAuditId();
      await ok(api(agentSession, 'post', `/api/v1/calls/${call.id}/callback-done`, {}));
      return callWork(call.id);
    },
    // Canned responses.
    [AUDIT_ACTIONS.cannedResponseSaved]: async () => {
      lastAuditId = await maxAuditId();
      const created = await ok(
        api(adminSession, 'post', '/api/v1/canned-responses', {
          title: '監査テンプレート',
          body: '本文',
          merchantId: tenant.merchant.id,
        }),
      );
      return {
        ...user(admin),
        merchantId: tenant.merchant.id,
        target: { type: 'canned_response', id: String((created.body as { id: number }).id) },
        ip: true,
      };
    },
    [AUDIT_ACTIONS.cannedResponseDeleted]: async () => {
      const created = await ok(
        api(adminSession, 'post', '/api/v1/canned-responses', {
          title: '消すテンプレート',
          body: '本文',
          merchantId: tenant.merchant.id,
        }),
      );
      const id = (created.body as { id: number }).id;
      lastAuditId = await maxAuditId();
      await ok(api(adminSession, 'delete', `/api/v1/canned-responses/${id}`));
      return {
        ...user(admin),
        merchantId: tenant.merchant.id,
        target: { type: 'canned_response', id: String(id) },
        ip: true,
      };
    },
    // Setting the desk up.
    [AUDIT_ACTIONS.merchantCreated]: async () => {
      const code = `audit-${randomBytes(3).toString('hex')}`;
      lastAuditId = await maxAuditId();
      await ok(form(adminSession, '/admin/merchants', merchantForm(code)));
      const merchant = await testEnv.dataSource.getRepository(Merchant).findOneByOrFail({ code });
      return merchantWork(merchant.id);
    },
    [AUDIT_ACTIONS.merchantUpdated]: async () => {
      const other = await createTestTenant(testEnv.dataSource);
      lastAuditId = await maxAuditId();
      await ok(
        form(adminSession, `/admin/merchants/${other.merchant.id}`, {
          ...merchantForm(other.merchant.code),
          name: '名前を変えた商店',
        }),
      );
      return merchantWork(other.merchant.id);
    },
    [AUDIT_ACTIONS.merchantSettingsUpdated]: async () => {
      lastAuditId = await maxAuditId();
      await ok(
        form(merchantAdminSession, '/portal/settings', {
          notificationEmails: `settings-${randomBytes(3).toString('hex')}@merchant.test`,
          allowedIpRanges: '',
        }),
      );
      return {
        ...user(merchantAdmin),
        merchantId: tenant.merchant.id,
        target: { type: 'merchant', id: String(tenant.merchant.id) },
        ip: true,
      };
    },
    [AUDIT_ACTIONS.siteCreated]: async () => {
      const slug = `audit-${randomBytes(3).toString('hex')}`;
      lastAuditId = await maxAuditId();
      await ok(form(adminSession, `/admin/merchants/${tenant.merchant.id}/sites`, siteForm(slug)));
      const site = await testEnv.dataSource.query(`SELECT id FROM sites WHERE slug = ?`, [slug]);
      return siteWork(Number((site as Array<{ id: number }>)[0].id));
    },
    [AUDIT_ACTIONS.siteUpdated]: async () => {
      const other = await createTestTenant(testEnv.dataSource);
      lastAuditId = await maxAuditId();
      await ok(
        form(adminSession, `/admin/sites/${other.site.id}`, {
          ...siteForm(other.site.slug),
          phoneCode: other.site.phoneCode ?? '',
        }),
      );
      return { ...siteWork(other.site.id), merchantId: other.merchant.id };
    },
    [AUDIT_ACTIONS.calendarClosureAdded]: async () => {
      lastAuditId = await maxAuditId();
      await ok(form(adminSession, '/admin/calendar', { date: '2027-12-30', reason: '年末休業' }));
      const row = await lastRow(AUDIT_ACTIONS.calendarClosureAdded);
      return {
        ...user(admin),
        merchantId: null,
        target: { type: 'calendar_closure', id: String(row?.targetId) },
        ip: true,
      };
    },
    [AUDIT_ACTIONS.calendarClosureDeleted]: async () => {
      await ok(form(adminSession, '/admin/calendar', { date: '2027-12-31', reason: '年末休業' }));
      const added = await lastRow(AUDIT_ACTIONS.calendarClosureAdded);
      lastAuditId = await maxAuditId();
      await ok(form(adminSession, `/admin/calendar/${added?.targetId}/delete`));
      return {
        ...user(admin),
        merchantId: null,
        target: { type: 'calendar_closure', id: String(added?.targetId) },
        ip: true,
      };
    },
    [AUDIT_ACTIONS.queueCreated]: async () => {
      lastAuditId = await maxAuditId();
      await ok(
        form(adminSession, '/admin/queues', {
          name: `監査キュー ${randomBytes(2).toString('hex')}`,
          merchantId: String(tenant.merchant.id),
        }),
      );
      const row = await lastRow(AUDIT_ACTIONS.queueCreated);
      return {
        ...user(admin),
        merchantId: tenant.merchant.id,
        target: { type: 'queue', id: String(row?.targetId) },
        ip: true,
      };
    },
    [AUDIT_ACTIONS.queueMemberAdded]: async () => {
      const member = await createTestUser(testEnv.dataSource, { role: 'agent' });
      lastAuditId = await maxAuditId();
      await ok(
        form(adminSession, `/admin/queues/${tenant.queue.id}/members`, {
          userId: String(member.id),
        }),
      );
      return queueWork();
    },
    [AUDIT_ACTIONS.queueMemberRemoved]: async () => {
      const member = await createTestUser(testEnv.dataSource, { role: 'agent' });
      await ok(
        form(adminSession, `/admin/queues/${tenant.queue.id}/members`, {
          userId: String(member.id),
        }),
      );
      lastAuditId = await maxAuditId();
      await ok(form(adminSession, `/admin/queues/${tenant.queue.id}/members/${member.id}/remove`));
      return queueWork();
    },
    // Users.
    [AUDIT_ACTIONS.userInvited]: async () => {
      const email = `invited-${randomBytes(3).toString('hex')}@staff.test`;
      lastAuditId = await maxAuditId();
      await ok(
        form(adminSession, '/admin/users', {
          email,
          displayName: '招待 太郎',
          role: 'agent',
          merchantId: '',
        }),
      );
      const invited = await testEnv.dataSource.getRepository(User).findOneByOrFail({ email });
      return { ...user(admin), merchantId: null, target: userTarget(invited), ip: true };
    },
    [AUDIT_ACTIONS.userPasswordSet]: async () => {
      const invitee = await freshUser();
      const token = randomBytes(32).toString('base64url');
      await testEnv.dataSource.getRepository(User).update(invitee.id, {
        inviteTokenHash: hashSecretToken(token),
        inviteExpiresAt: new Date(Date.now() + 3_600_000),
      });
      lastAuditId = await maxAuditId();
      await deskHttp()
        .post(`/invite/${token}`)
        .type('form')
        .send({ password: 'a long invited passphrase', confirmation: 'a long invited passphrase' })
        .expect(200);
      return { ...user(invitee), merchantId: null, target: userTarget(invitee), ip: true };
    },
    [AUDIT_ACTIONS.userDisabled]: async () => adminOnUser('disable'),
    [AUDIT_ACTIONS.userEnabled]: async () => {
      const target = await freshUser();
      await ok(form(adminSession, `/admin/users/${target.id}/disable`));
      return adminOnUser('enable', target);
    },
    [AUDIT_ACTIONS.userUnlocked]: async () => {
      const target = await freshUser();
      await testEnv.dataSource
        .getRepository(User)
        .update(target.id, { failedLoginCount: 5, lockedUntil: new Date(Date.now() + 600_000) });
      return adminOnUser('unlock', target);
    },
    [AUDIT_ACTIONS.userTotpReset]: async () => {
      const target = await freshUser();
      await testEnv.dataSource
        .getRepository(User)
        .update(target.id, { totpSecret: 'enc1:t1:placeholder', totpLastStep: 1 });
      return adminOnUser('reset-totp', target);
    },
    [AUDIT_ACTIONS.userRoleChanged]: async () => {
      const target = await freshUser();
      return adminOnUser('role', target, { role: 'supervisor' });
    },
    // Merchant portal: export.
    [AUDIT_ACTIONS.exportCases]: async () => {
      lastAuditId = await maxAuditId();
      await ok(
        form(merchantAdminSession, '/portal/export', { password: TEST_PASSWORD, from: '', to: '' }),
      );
      return exportWork();
    },
    [AUDIT_ACTIONS.exportCasesFailed]: async () => {
      lastAuditId = await maxAuditId();
      await form(merchantAdminSession, '/portal/export', {
        password: 'not my password',
        from: '',
        to: '',
      }).expect(400);
      return exportWork();
    },
    // The access log's CSV export (issue 13.8): the merchant's own, password again.
    [AUDIT_ACTIONS.auditLogExported]: async () => {
      lastAuditId = await maxAuditId();
      await ok(
        form(merchantAdminSession, '/portal/access-log/export', { password: TEST_PASSWORD }),
      );
      return exportWork();
    },
    [AUDIT_ACTIONS.auditLogExportFailed]: async () => {
      lastAuditId = await maxAuditId();
      await form(merchantAdminSession, '/portal/access-log/export', {
        password: 'not my password',
      }).expect(400);
      return exportWork();
    },
    // The desk's scheduled jobs (system actor, no request behind them).
    [AUDIT_ACTIONS.ticketErased]: async () => {
      const { reference } = await newTicket();
      await testEnv.dataSource
        .getRepository(Ticket)
        .update({ reference }, { status: 'closed', closedAt: new Date('2020-01-01T00:00:00Z') });
      lastAuditId = await maxAuditId();
      await desk.get(RetentionService).eraseDue(new Date());
      return {
        actorType: 'system',
        actorId: null,
        merchantId: tenant.merchant.id,
        target: ticketTarget(reference),
        ip: false,
      };
    },
    [AUDIT_ACTIONS.merchantSupportEndedNotified]: async () => {
      const ended = await createTestTenant(testEnv.dataSource, {
        supportEndsAt: new Date('2026-01-31T15:00:00Z'),
      });
      lastAuditId = await maxAuditId();
      await desk.get(SupportPeriodService).notifyEnded(new Date());
      return {
        actorType: 'system',
        actorId: null,
        merchantId: ended.merchant.id,
        target: { type: 'merchant_support_end', id: '2026-01-31T15:00:00.000Z' },
        ip: false,
      };
    },
    [AUDIT_ACTIONS.merchantDigestSent]: async () => {
      lastAuditId = await maxAuditId();
      // 23:00 in Tokyo: after the digest hour whatever it is set to.
      await desk.get(MerchantDigestService).sendDue(new Date('2026-11-26T14:00:00Z'));
      return {
        actorType: 'system',
        actorId: null,
        merchantId: tenant.merchant.id,
        target: { type: 'merchant_digest', id: '2026-11-26' },
        ip: false,
      };
    },
    // Incident mode (issue 8A), through the admin's and the merchant admin's pages.
    [AUDIT_ACTIONS.incidentCreated]: async () => {
      lastAuditId = await maxAuditId();
      const incidentId = await newIncident();
      return incidentWork(incidentId);
    },
    [AUDIT_ACTIONS.incidentUpdated]: async () => {
      const incidentId = await newIncident();
      lastAuditId = await maxAuditId();
      await ok(
        form(
          adminSession,
          `/admin/incidents/${incidentId}`,
          incidentForm('件名を直したインシデント'),
        ),
      );
      return incidentWork(incidentId);
    },
    [AUDIT_ACTIONS.answerTemplateCreated]: async () => {
      const incidentId = await newIncident();
      lastAuditId = await maxAuditId();
      const templateId = await newTemplate(incidentId);
      return templateWork(templateId, null);
    },
    [AUDIT_ACTIONS.answerTemplateEdited]: async () => {
      const templateId = await newTemplate(await newIncident());
      lastAuditId = await maxAuditId();
      await ok(
        form(adminSession, `/admin/incidents/templates/${templateId}`, {
          title: '監査用の回答',
          body: '改訂したご案内です。{{reference}}',
        }),
      );
      return templateWork(templateId, null);
    },
    [AUDIT_ACTIONS.answerVersionApproved]: async () => decide('approved'),
    [AUDIT_ACTIONS.answerVersionChangesRequested]: async () => decide('changes_requested'),
    // Affected-customer lists and the end user's check (issue 8B).
    [AUDIT_ACTIONS.affectedListUploaded]: async () => {
      const incidentId = await newIncident();
      lastAuditId = await maxAuditId();
      await ok(uploadList(incidentId, 'メールアドレス\naffected@example.jp\n'));
      return listWork(incidentId);
    },
    [AUDIT_ACTIONS.affectedListUploadRefused]: async () => {
      const incidentId = await newIncident();
      lastAuditId = await maxAuditId();
      const refused = await uploadList(incidentId, '氏名\n山田\n');
      expect(refused.status).toBe(400);
      return listWork(incidentId);
    },
    [AUDIT_ACTIONS.leakCheckCodeRequested]: async () => {
      await newIncident();
      const { reference, token } = await newTicket();
      lastAuditId = await maxAuditId();
      await intakeHttp().post(`/status/${token}/leak-check`).type('form').send({}).expect(303);
      return endUserOn(reference);
    },
    [AUDIT_ACTIONS.leakCheckCodeChecked]: async () => {
      await newIncident();
      const { reference, token } = await newTicket();
      await intakeHttp().post(`/status/${token}/leak-check`).type('form').send({}).expect(303);
      lastAuditId = await maxAuditId();
      // A wrong code is checked (and audited) like a right one.
      const checked = await intakeHttp()
        .post(`/status/${token}/leak-check/verify`)
        .type('form')
        .send({ code: '000000' });
      expect(checked.status).toBeLessThan(500);
      return endUserOn(reference);
    },
    // One user viewing more distinct tickets in an hour than the threshold (issue 6B).
    [AUDIT_ACTIONS.bulkViewAlert]: async () => {
      const watchful = await startDeskApp(testEnv, { BULK_VIEW_ALERT_THRESHOLD: '2' });
      try {
        const viewer = await freshUser('agent');
        const session = await loginAs(watchful, viewer.email);
        const references = [(await newTicket()).reference, (await newTicket()).reference];
        references.push((await newTicket()).reference);
        lastAuditId = await maxAuditId();
        for (const reference of references) {
          const viewed = await request(watchful.getHttpServer())
            .get(`/api/v1/tickets/${reference}`)
            .set('Cookie', session.cookie);
          expect(viewed.status).toBe(200);
        }
        // The alert is recorded from the view that crossed the threshold, after its answer.
        await waitForAudit(AUDIT_ACTIONS.bulkViewAlert, String(viewer.id));
        return {
          actorType: 'system',
          actorId: null,
          merchantId: null,
          target: userTarget(viewer),
          ip: true,
        };
      } finally {
        await watchful.close();
      }
    },
    // Attachment downloads (issue 14): actor, merchant, target and IP in their own file.
    [AUDIT_ACTIONS.attachmentViewed]: { provedIn: 'test/e2e/attachments.e2e-spec.ts' },
    [AUDIT_ACTIONS.ticketListViewed]: { provedIn: 'test/e2e/ticket-triage.e2e-spec.ts' },
    [AUDIT_ACTIONS.slaPolicySaved]: { provedIn: 'test/e2e/sla-policies.e2e-spec.ts' },
    [AUDIT_ACTIONS.slaPolicyDeleted]: { provedIn: 'test/e2e/sla-policies.e2e-spec.ts' },
    [AUDIT_ACTIONS.slaAlertMailChanged]: { provedIn: 'test/e2e/sla-alerts.e2e-spec.ts' },
    // The dev mailbox (outside production only): its own file.
    [AUDIT_ACTIONS.devMailboxViewed]: { provedIn: 'test/e2e/dev-mailbox.e2e-spec.ts' },
    // Inbound mail set aside (auto-reply, bounce, refusal) on a ticket: the system's, its own file.
    [AUDIT_ACTIONS.ticketMailSetAside]: { provedIn: 'test/e2e/inbound-mail.e2e-spec.ts' },
    // Rules (issue 15): the admin pages and the pending automation, driven in their own file.
    [AUDIT_ACTIONS.ruleCreated]: { provedIn: 'test/e2e/rules.e2e-spec.ts' },
    [AUDIT_ACTIONS.ruleUpdated]: { provedIn: 'test/e2e/rules.e2e-spec.ts' },
    [AUDIT_ACTIONS.ruleReordered]: { provedIn: 'test/e2e/rules.e2e-spec.ts' },
    [AUDIT_ACTIONS.ruleDeleted]: { provedIn: 'test/e2e/rules.e2e-spec.ts' },
    [AUDIT_ACTIONS.rulePendingReminded]: { provedIn: 'test/e2e/rules.e2e-spec.ts' },
    [AUDIT_ACTIONS.rulePendingResolved]: { provedIn: 'test/e2e/rules.e2e-spec.ts' },
    // Features with their own audit tests (key rotation: a command; bulk sends: a worker).
    [AUDIT_ACTIONS.keysRotated]: { provedIn: 'test/e2e/key-rotation.e2e-spec.ts' },
    // Issue 15: bulk actions and saved views, proved with their runs and views.
    [AUDIT_ACTIONS.bulkActionPreviewed]: { provedIn: 'test/e2e/bulk-actions.e2e-spec.ts' },
    [AUDIT_ACTIONS.bulkActionStarted]: { provedIn: 'test/e2e/bulk-actions.e2e-spec.ts' },
    [AUDIT_ACTIONS.bulkActionCompleted]: { provedIn: 'test/e2e/bulk-actions.e2e-spec.ts' },
    [AUDIT_ACTIONS.bulkActionTicket]: { provedIn: 'test/e2e/bulk-actions.e2e-spec.ts' },
    [AUDIT_ACTIONS.savedViewCreated]: { provedIn: 'test/e2e/saved-views.e2e-spec.ts' },
    [AUDIT_ACTIONS.savedViewDeleted]: { provedIn: 'test/e2e/saved-views.e2e-spec.ts' },
    [AUDIT_ACTIONS.bulkSendStarted]: { provedIn: 'test/e2e/bulk-send.e2e-spec.ts' },
    [AUDIT_ACTIONS.bulkSendCompleted]: { provedIn: 'test/e2e/bulk-send.e2e-spec.ts' },
    [AUDIT_ACTIONS.bulkSendCancelled]: { provedIn: 'test/e2e/bulk-send.e2e-spec.ts' },
    // The outbox page's repairs: driven (actor, target, IP) in its own file.
    [AUDIT_ACTIONS.outboxRetried]: { provedIn: 'test/e2e/outbox-admin.e2e-spec.ts' },
    [AUDIT_ACTIONS.outboxDiscarded]: { provedIn: 'test/e2e/outbox-admin.e2e-spec.ts' },
    // The incident report: viewed and exported (actor, merchant, target, IP) in its own file.
    [AUDIT_ACTIONS.incidentReportViewed]: { provedIn: 'test/e2e/incident-report.e2e-spec.ts' },
    [AUDIT_ACTIONS.incidentReportExported]: { provedIn: 'test/e2e/incident-report.e2e-spec.ts' },
    // Questions to the merchant and hand-back (actor, merchant, target, IP; the reminder's
    // system actor driven through the scheduled jobs with a test time) in their own file.
    [AUDIT_ACTIONS.ticketMerchantQuestionAsked]: {
      provedIn: 'test/e2e/merchant-collaboration.e2e-spec.ts',
    },
    [AUDIT_ACTIONS.handBackContactViewed]: {
      provedIn: 'test/e2e/merchant-collaboration.e2e-spec.ts',
    },
    [AUDIT_ACTIONS.handBackAnswered]: { provedIn: 'test/e2e/merchant-collaboration.e2e-spec.ts' },
    [AUDIT_ACTIONS.handBackReminderSent]: {
      provedIn: 'test/e2e/merchant-collaboration.e2e-spec.ts',
    },
    // Determinations (issue 13.1): recorded by an agent (actor, merchant, target, IP) and by the
    // end user's verified check, and flagged by a list upload, in their own file.
    [AUDIT_ACTIONS.determinationRecorded]: { provedIn: 'test/e2e/determinations.e2e-spec.ts' },
    [AUDIT_ACTIONS.determinationReviewFlagged]: {
      provedIn: 'test/e2e/determinations.e2e-spec.ts',
    },
    // Issue 18: the audit retention (system, by age) and a user's own password and invitations,
    // each driven (actor, merchant, target, IP) in its own file.
    [AUDIT_ACTIONS.auditPurged]: { provedIn: 'test/e2e/data-at-rest.e2e-spec.ts' },
    // Issue 15, the phone desk.
    [AUDIT_ACTIONS.callCallbackClaimed]: { provedIn: 'test/e2e/phone-desk.e2e-spec.ts' },
    [AUDIT_ACTIONS.callCallbackAttempted]: { provedIn: 'test/e2e/phone-desk.e2e-spec.ts' },
    [AUDIT_ACTIONS.callRecordingPlayed]: { provedIn: 'test/e2e/phone-desk.e2e-spec.ts' },
    [AUDIT_ACTIONS.callRecordingStored]: { provedIn: 'test/e2e/phone-desk.e2e-spec.ts' },
    [AUDIT_ACTIONS.userPasswordChanged]: { provedIn: 'test/e2e/account-password.e2e-spec.ts' },
    [AUDIT_ACTIONS.userPasswordResetRequested]: {
      provedIn: 'test/e2e/account-password.e2e-spec.ts',
    },
    [AUDIT_ACTIONS.userPasswordReset]: { provedIn: 'test/e2e/account-password.e2e-spec.ts' },
    [AUDIT_ACTIONS.userInviteResent]: { provedIn: 'test/e2e/account-password.e2e-spec.ts' },
    // Issue 14: the shopper's status-link recovery (actor, merchant, target, IP) in its own file.
    [AUDIT_ACTIONS.ticketStatusLinkReissued]: {
      provedIn: 'test/e2e/status-link-recovery.e2e-spec.ts',
    },
    // Issue 15: the form's resubmission and the merge (both tickets), in their own file.
    [AUDIT_ACTIONS.inquiryResubmitted]: { provedIn: 'test/e2e/ticket-merge.e2e-spec.ts' },
    [AUDIT_ACTIONS.ticketMerged]: { provedIn: 'test/e2e/ticket-merge.e2e-spec.ts' },
    [AUDIT_ACTIONS.ticketMergeReceived]: { provedIn: 'test/e2e/ticket-merge.e2e-spec.ts' },
    // Issue 15: the call note of a ticket without email and the reply signature, in their own file.
    [AUDIT_ACTIONS.ticketCallNoted]: { provedIn: 'test/e2e/reply-box.e2e-spec.ts' },
    [AUDIT_ACTIONS.userSignatureChanged]: { provedIn: 'test/e2e/reply-box.e2e-spec.ts' },
  };

  function incidentForm(title: string): Record<string, string> {
    const id = tenant.merchant.id;
    return {
      title,
      description: '監査テストのインシデント',
      leakedItems: '氏名、メールアドレス',
      occurredFrom: '',
      occurredTo: '',
      merchant: String(id),
      [`affected_${id}`]: 'yes',
      [`noticeDate_${id}`]: '',
    };
  }

  async function newIncident(): Promise<number> {
    const created = await ok(
      form(adminSession, '/admin/incidents', incidentForm('監査インシデント')),
    );
    return Number(/\/admin\/incidents\/(\d+)/.exec(String(created.headers.location))?.[1]);
  }

  async function newTemplate(incidentId: number): Promise<number> {
    const created = await ok(
      form(adminSession, `/admin/incidents/${incidentId}/templates`, {
        title: '監査用の回答',
        purpose: 'answer',
        body: 'ご案内です。{{reference}}',
      }),
    );
    return Number(/template-(\d+)/.exec(String(created.headers.location))?.[1]);
  }

  async function decide(decision: 'approved' | 'changes_requested'): Promise<Expected> {
    const templateId = await newTemplate(await newIncident());
    const [version] = (await testEnv.dataSource.query(
      'SELECT id FROM answer_template_versions WHERE template_id = ? ORDER BY id DESC',
      [templateId],
    )) as Array<{ id: number }>;
    lastAuditId = await maxAuditId();
    await ok(
      form(merchantAdminSession, `/portal/incidents/versions/${version.id}/decision`, {
        decision,
        comment: decision === 'approved' ? '' : '表現を直してください。',
      }),
    );
    return { ...templateWork(templateId, tenant.merchant.id), ...user(merchantAdmin) };
  }

  function uploadList(incidentId: number, csv: string): request.Test {
    return deskHttp()
      .post(`/portal/affected-lists/${incidentId}`)
      .set('Cookie', merchantAdminSession.cookie)
      .set('Accept', 'text/html')
      .field('_csrf', merchantAdminSession.csrfToken)
      .field('mode', 'add')
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'list.csv', contentType: 'text/csv' });
  }

  function listWork(incidentId: number): Expected {
    return {
      ...user(merchantAdmin),
      merchantId: tenant.merchant.id,
      target: { type: 'incident', id: String(incidentId) },
      ip: true,
    };
  }

  function endUserOn(reference: string): Expected {
    return {
      actorType: 'end_user',
      actorId: null,
      merchantId: tenant.merchant.id,
      target: ticketTarget(reference),
      ip: true,
    };
  }

  function incidentWork(incidentId: number): Expected {
    return {
      ...user(admin),
      merchantId: null,
      target: { type: 'incident', id: String(incidentId) },
      ip: true,
    };
  }

  function templateWork(templateId: number, merchantId: number | null): Expected {
    return {
      ...user(admin),
      merchantId,
      target: { type: 'answer_template', id: String(templateId) },
      ip: true,
    };
  }

  function ticketWork(reference: string): Expected {
    return {
      ...user(agent),
      merchantId: tenant.merchant.id,
      target: ticketTarget(reference),
      ip: true,
    };
  }

  function callWork(callId: number): Expected {
    return {
      ...user(agent),
      merchantId: tenant.merchant.id,
      target: { type: 'call', id: String(callId) },
      ip: true,
    };
  }

  function merchantWork(merchantId: number): Expected {
    return {
      ...user(admin),
      merchantId,
      target: { type: 'merchant', id: String(merchantId) },
      ip: true,
    };
  }

  function siteWork(siteId: number): Expected {
    return {
      ...user(admin),
      merchantId: tenant.merchant.id,
      target: { type: 'site', id: String(siteId) },
      ip: true,
    };
  }

  function queueWork(): Expected {
    return {
      ...user(admin),
      merchantId: tenant.merchant.id,
      target: { type: 'queue', id: String(tenant.queue.id) },
      ip: true,
    };
  }

  /** An export covers the merchant's cases: the tenant is what it reads, no single target. */
  function exportWork(): Expected {
    return { ...user(merchantAdmin), merchantId: tenant.merchant.id, target: null, ip: true };
  }

  async function adminOnUser(
    verb: string,
    existing?: User,
    fields: Record<string, string> = {},
  ): Promise<Expected> {
    const target = existing ?? (await freshUser());
    lastAuditId = await maxAuditId();
    await ok(form(adminSession, `/admin/users/${target.id}/${verb}`, fields));
    return { ...user(admin), merchantId: null, target: userTarget(target), ip: true };
  }

  async function maxAuditId(): Promise<number> {
    const [row] = (await testEnv.dataSource.query(
      'SELECT COALESCE(MAX(id), 0) AS id FROM audit_events',
    )) as Array<{ id: number | string }>;
    return Number(row.id);
  }

  async function lastRow(action: string): Promise<AuditEvent | null> {
    return testEnv.dataSource
      .getRepository(AuditEvent)
      .findOne({ where: { action }, order: { id: 'DESC' } });
  }

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource);
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    adminSession = await loginAs(desk, admin.email);
    agent = await freshUser('agent');
    agentSession = await loginAs(desk, agent.email);
    merchantAdmin = await freshUser('merchant_admin', tenant.merchant.id);
    merchantAdminSession = await loginAs(desk, merchantAdmin.email);
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should have a case for every action in AUDIT_ACTIONS', () => {
    const actions: string[] = Object.values(AUDIT_ACTIONS);
    expect(actions.filter((action) => !(action in CASES))).toEqual([]);
  });

  const driven = Object.values(AUDIT_ACTIONS).filter(
    (action) => typeof CASES[action] === 'function',
  );
  const elsewhere = Object.values(AUDIT_ACTIONS).filter(
    (action) => typeof CASES[action] !== 'function',
  );

  it.each(driven)(
    '%s: exactly one audit event, with actor, merchant, target and IP',
    async (action) => {
      lastAuditId = await maxAuditId();
      const expected = await (CASES[action] as Drive)();
      const rows = await testEnv.dataSource
        .getRepository(AuditEvent)
        .find({ where: { action, id: MoreThan(lastAuditId) }, order: { id: 'ASC' } });
      const ofMerchant = rows.filter((row) => row.merchantId === expected.merchantId);
      expect(ofMerchant).toHaveLength(1);
      const [row] = ofMerchant;
      expect({
        actorType: row.actorType,
        actorId: row.actorId,
        merchantId: row.merchantId,
        target: row.targetType === null ? null : { type: row.targetType, id: row.targetId },
        ip: row.ip !== null,
      }).toEqual(expected);
      if (expected.ip) expect(row.ip).toMatch(CLIENT_IP);
      expect(row.createdAt).toBeInstanceOf(Date);
    },
  );

  it.each(elsewhere)('%s: proved by its feature’s own test file', (action) => {
    const file = (CASES[action] as Elsewhere).provedIn;
    const path = join(__dirname, '..', '..', file);
    expect({ file, exists: existsSync(path) }).toEqual({ file, exists: true });
    const key = Object.entries(AUDIT_ACTIONS).find(([, value]) => value === action)?.[0];
    const text = readFileSync(path, 'utf8');
    expect(text.includes(action) || text.includes(`AUDIT_ACTIONS.${key}`)).toBe(true);
  });

  describe('audit rows cannot be changed through the application', () => {
    it('should have no route that writes the trail: only the read-only pages and their exports name it', () => {
      const auditRoutes = registeredRoutes(desk)
        .filter((route) => route.method !== 'HEAD')
        .map((route) => `${route.method} ${route.url}`)
        .filter((key) => /audit|access-log/.test(key));
      // The two CSV exports (issue 13.8) only append their own `audit_log.exported` event.
      expect(auditRoutes.sort()).toEqual([
        'GET /portal/access-log',
        'GET /supervisor/audit',
        'POST /portal/access-log/export',
        'POST /supervisor/audit/export',
      ]);
    });

    it('should refuse to update or delete an audit event through the data source', async () => {
      const manager = testEnv.dataSource.manager;
      await newTicket();
      const row = await lastRow(AUDIT_ACTIONS.ticketCreated);
      const id = (row as AuditEvent).id;
      const refusals = [
        () => manager.update(AuditEvent, { id }, { action: 'forged' }),
        () => manager.delete(AuditEvent, { id }),
        () => manager.remove(manager.create(AuditEvent, { ...row })),
        () => manager.save(AuditEvent, { ...row, action: 'forged' }),
        () =>
          manager
            .createQueryBuilder()
            .update(AuditEvent)
            .set({ ip: '10.0.0.1' })
            .where('id = :id', { id })
            .execute(),
        () =>
          manager
            .createQueryBuilder()
            .delete()
            .from(AuditEvent)
            .where('id = :id', { id })
            .execute(),
      ];
      for (const attempt of refusals) {
        await expect(attempt()).rejects.toThrow(/append-only/);
      }
      expect(await manager.findOneByOrFail(AuditEvent, { id })).toEqual(row);
      expect(await manager.count(AuditEvent)).toBeGreaterThan(0);
    });

    it('should leave the only raw SQL on audit_events in the application a read, with no listener turned off', () => {
      // The data-source guard sees entity operations; raw SQL bypasses it, so none may write.
      const hits = execSync(
        "grep -rniE '(update|delete from|truncate|drop table|alter table)[^;]*audit_events' apps libs --include=*.ts || true",
        { cwd: join(__dirname, '..', '..'), encoding: 'utf8' },
      )
        .split('\n')
        .filter((line) => line && !line.includes('/migrations/') && !line.includes('.spec.ts'));
      expect(hits).toEqual([]);
      // Nor may it turn the subscriber off for a query.
      // Except the audit retention's purge by age (AUDIT_RETENTION_DAYS), the one system path
      // allowed to delete; it is tested in data-at-rest.e2e-spec.ts.
      const silenced = execSync(
        "grep -rn 'callListeners(false)' apps libs --include=*.ts || true",
        {
          cwd: join(__dirname, '..', '..'),
          encoding: 'utf8',
        },
      )
        .split('\n')
        .filter((line) => line && !line.includes('.spec.ts'));
      expect(silenced.map((line) => line.split(':')[0])).toEqual([
        'libs/audit/src/retention/audit-retention.service.ts',
      ]);
    });
  });
});
