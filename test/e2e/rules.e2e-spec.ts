import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { runTransaction } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { InboundMailService } from '@madoguchi/inbound-mail';
import { PendingCustomerAutomationService } from '@madoguchi/jobs';
import { OutboxJob } from '@madoguchi/mail';
import { IntakeRulesService, Message, Rule, StatusPageService, Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { composeMail, shopperAddress } from '../support/inbound-mail-fixtures';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { insertTestCall } from '../support/test-call';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const DOMAIN = 'inbound.rules.test';

/** Friday 2031-04-04 15:00 in Tokyo; the Monday and Tuesday after it. */
const FRIDAY_1500 = new Date('2031-04-04T06:00:00.000Z');
const MONDAY_1459 = new Date('2031-04-07T05:59:00.000Z');
const MONDAY_1500 = new Date('2031-04-07T06:00:00.000Z');
const TUESDAY_1459 = new Date('2031-04-08T05:59:00.000Z');
const TUESDAY_1500 = new Date('2031-04-08T06:00:00.000Z');

/**
 * Rules (issue 15, docs/rules.md): intake triggers on every channel, word matching across
 * widths and kana, order and stop; the pending-customer automation (remind once, resolve once,
 * business days, two workers); the admin pages and API (validation, 403 for non-admins, audit).
 * Rule actions audited here: rule.created, rule.updated, rule.reordered, rule.deleted,
 * rule.pending_reminded, rule.pending_resolved.
 */
describe(`rules (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let desk2: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let dataSource: DataSource;
  let cipher: FieldCipher;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let admin: User;
  let adminSession: LoggedIn;
  let agentSession: LoggedIn;
  let supervisorSession: LoggedIn;
  let merchantAdminSession: LoggedIn;
  let agent: User;
  let callSequence = 0;

  const deskHttp = () => request(desk.getHttpServer());
  const intakeHttp = () => request(intake.getHttpServer());
  const api = (
    session: LoggedIn,
    method: 'get' | 'post' | 'patch' | 'delete',
    path: string,
    body?: object,
  ) => {
    const http = deskHttp();
    const req = http[method](path)
      .set('Cookie', session.cookie)
      .set('Accept', 'application/json')
      .set('x-csrf-token', session.csrfToken);
    return body ? req.send(body) : req;
  };
  const form = (session: LoggedIn, path: string, fields: Record<string, string | string[]>) =>
    deskHttp()
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });
  const page = (session: LoggedIn, path: string) =>
    deskHttp().get(path).set('Cookie', session.cookie).set('Accept', 'text/html');

  const ruleCount = () => dataSource.getRepository(Rule).count();
  const auditCount = (action: string) =>
    dataSource.getRepository(AuditEvent).count({ where: { action } });
  const ticket = (reference: string) =>
    dataSource.getRepository(Ticket).findOneByOrFail({ reference });

  async function createdAudit(reference: string): Promise<Record<string, unknown>> {
    const row = await dataSource.getRepository(AuditEvent).findOneByOrFail({
      action: AUDIT_ACTIONS.ticketCreated,
      targetId: reference,
    });
    return JSON.parse(row.detail ?? '{}') as Record<string, unknown>;
  }

  async function messagesOf(ticketId: number): Promise<Message[]> {
    return dataSource.getRepository(Message).find({ where: { ticketId }, order: { id: 'ASC' } });
  }

  async function createRule(body: object): Promise<{ id: number; version: number }> {
    const response = await api(adminSession, 'post', '/api/v1/rules', body).expect(201);
    return response.body as { id: number; version: number };
  }

  async function apiInquiry(tenant: TestTenant, message: string, category = 'leak_check') {
    const response = await intakeHttp()
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, email: shopperAddress(), category, message })
      .expect(201);
    return ticket((response.body as { reference: string }).reference);
  }

  beforeAll(async () => {
    testEnv = await createTestEnvironment({
      INBOUND_MAIL_DOMAIN: DOMAIN,
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
    });
    dataSource = testEnv.dataSource;
    tenantA = await createTestTenant(dataSource, { merchantName: 'ルールA商店' });
    tenantB = await createTestTenant(dataSource, { merchantName: 'ルールB商店' });
    desk = await startDeskApp(testEnv);
    if (TEST_DB === 'mysql') desk2 = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    cipher = desk.get(FieldCipher);
    admin = await createTestUser(dataSource, { role: 'admin' });
    agent = await createTestUser(dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id, tenantB.queue.id],
    });
    const supervisor = await createTestUser(dataSource, { role: 'supervisor' });
    const merchantAdmin = await createTestUser(dataSource, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
    });
    adminSession = await loginAs(desk, admin.email);
    agentSession = await loginAs(desk, agent.email);
    supervisorSession = await loginAs(desk, supervisor.email);
    merchantAdminSession = await loginAs(desk, merchantAdmin.email);
  });

  afterAll(async () => {
    await intake?.close();
    await desk2?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('intake triggers on every channel', () => {
    let cardRuleId: number;

    beforeAll(async () => {
      cardRuleId = (
        await createRule({
          kind: 'intake',
          name: 'カード不正利用は緊急',
          merchantId: tenantA.merchant.id,
          keywords: ['カード', '不正利用'],
          priority: 'urgent',
          category: 'payment',
        })
      ).id;
    });

    const expectUrgentByRule = async (stored: Ticket) => {
      expect(stored).toMatchObject({ priority: 'urgent', category: 'payment' });
      const detail = await createdAudit(stored.reference);
      expect(detail).toMatchObject({ rules: [cardRuleId], priority: 'urgent' });
      const history = (await messagesOf(stored.id)).filter((m) => m.kind === 'system');
      expect(history).toHaveLength(1);
      expect(cipher.decrypt(history[0].body as string)).toContain('カード不正利用は緊急');
    };

    it('should set the priority of a web form inquiry (half-width katakana)', async () => {
      const response = await intakeHttp()
        .post(`/s/${tenantA.site.slug}`)
        .type('form')
        .send({
          name: VALID_INQUIRY.name,
          email: shopperAddress(),
          phone: '',
          orderNumber: '',
          category: 'leak_check',
          message: 'ｶｰﾄﾞの明細に覚えのない請求があります。',
          consent: 'on',
          website: '',
        })
        .expect(303);
      const reference = new URL(response.headers.location, 'http://x').searchParams.get('ref');
      const stored = await ticket(reference as string);
      expect(stored.channel).toBe('web');
      await expectUrgentByRule(stored);
    });

    it('should set the priority of a JSON API inquiry (hiragana)', async () => {
      const stored = await apiInquiry(tenantA, 'かーどが勝手に使われました。');
      expect(stored.channel).toBe('web');
      await expectUrgentByRule(stored);
    });

    it('should set the priority of a ticket opened by a mail to the site', async () => {
      const raw = await composeMail({
        from: `山田 花子 <${shopperAddress()}>`,
        to: `${tenantA.site.slug}@${DOMAIN}`,
        subject: 'ご相談',
        text: '身に覚えのない不正利用の連絡がありました。',
      });
      const outcome = await intake.get(InboundMailService).ingest(raw, {
        transport: 'smtp',
        envelopeTo: [`${tenantA.site.slug}@${DOMAIN}`],
        remoteIp: '127.0.0.1',
      });
      expect(outcome.kind).toBe('new_ticket');
      const stored = await dataSource
        .getRepository(Ticket)
        .findOneByOrFail({ id: (outcome as { ticketId: number }).ticketId });
      expect(stored.channel).toBe('email');
      await expectUrgentByRule(stored);
    });

    it("should set the priority of a phone ticket made at a call's wrap-up", async () => {
      callSequence += 1;
      const call = await insertTestCall(dataSource, {
        callSid: `CA${String(callSequence).padStart(32, '7')}`,
        outcome: 'answered',
        answeredAt: new Date(),
        waitSeconds: 10,
        talkSeconds: 60,
        agentId: agent.id,
      });
      const response = await api(agentSession, 'post', `/api/v1/calls/${call.id}/wrap-up`, {
        mode: 'create',
        summary: 'ＣＡＲＤ番号の不正利用について相談。',
        merchantId: tenantA.merchant.id,
        category: 'other',
      }).expect(201);
      const stored = await ticket((response.body as { reference: string }).reference);
      expect(stored.channel).toBe('phone');
      await expectUrgentByRule(stored);
    });

    it("should leave another merchant's tickets and unmatched text alone", async () => {
      const other = await apiInquiry(tenantB, 'カードが不正利用されました。');
      expect(other).toMatchObject({ priority: 'normal', category: 'leak_check' });
      expect(await createdAudit(other.reference)).not.toHaveProperty('rules');
      const plain = await apiInquiry(tenantA, '住所を変更したいです。');
      expect(plain).toMatchObject({ priority: 'normal', category: 'leak_check' });
      expect((await messagesOf(plain.id)).map((m) => m.kind)).toEqual(['customer']);
    });

    it('should stop applying a rule once disabled', async () => {
      const rule = (await api(adminSession, 'get', `/api/v1/rules/${cardRuleId}`).expect(200))
        .body as { version: number };
      await api(adminSession, 'patch', `/api/v1/rules/${cardRuleId}`, {
        enabled: false,
        expectedVersion: rule.version,
      }).expect(200);
      const stored = await apiInquiry(tenantA, 'カードの不正利用です。');
      expect(stored.priority).toBe('normal');
      const again = (await api(adminSession, 'get', `/api/v1/rules/${cardRuleId}`).expect(200))
        .body as { version: number };
      await api(adminSession, 'patch', `/api/v1/rules/${cardRuleId}`, {
        enabled: true,
        expectedVersion: again.version,
      }).expect(200);
    });
  });

  describe('matching, order and stop', () => {
    let tenant: TestTenant;
    const decide = (text: string, category = 'other' as const, priority?: 'high') =>
      runTransaction(desk.get(DataSource), (manager) =>
        desk.get(IntakeRulesService).decide(manager, {
          channel: 'web',
          merchantId: tenant.merchant.id,
          category,
          priority,
          firstMessage: { text },
        }),
      );

    beforeAll(async () => {
      tenant = await createTestTenant(dataSource, { merchantName: '順番商店' });
    });

    it('should match words across full/half width, case and hiragana/katakana', async () => {
      const rule = await createRule({
        kind: 'intake',
        name: '幅とかな',
        merchantId: tenant.merchant.id,
        keywords: ['パスワード', 'Login'],
        priority: 'high',
      });
      for (const text of [
        'ﾊﾟｽﾜｰﾄﾞを忘れました',
        'ぱすわーどを忘れました',
        'パスワードを忘れました',
        'ＬＯＧＩＮできません',
        'login できません',
      ]) {
        expect(await decide(text)).toMatchObject({ priority: 'high', appliedRuleIds: [rule.id] });
      }
      expect(await decide('ログインできません')).toMatchObject({
        priority: 'normal',
        appliedRuleIds: [],
      });
      await api(adminSession, 'delete', `/api/v1/rules/${rule.id}`).expect(204);
    });

    it("should keep a caller's priority when no rule sets one", async () => {
      expect(await decide('何もない', 'other', 'high')).toMatchObject({
        priority: 'high',
        appliedRuleIds: [],
      });
    });

    it('should apply every matching rule in order and stop at a rule that says so', async () => {
      const first = await createRule({
        kind: 'intake',
        name: '返金は決済へ',
        merchantId: tenant.merchant.id,
        keywords: ['返金'],
        category: 'payment',
        priority: 'high',
      });
      const second = await createRule({
        kind: 'intake',
        name: '決済は緊急で止める',
        merchantId: tenant.merchant.id,
        categories: ['payment'],
        priority: 'urgent',
        stopProcessing: true,
      });
      const third = await createRule({
        kind: 'intake',
        name: '全部低く',
        merchantId: tenant.merchant.id,
        priority: 'low',
      });
      // The second matches on the category the first set, and stops the third.
      expect(await decide('返金してください')).toMatchObject({
        priority: 'urgent',
        category: 'payment',
        appliedRuleIds: [first.id, second.id],
      });
      // Without the first, the second does not match: the third applies.
      expect(await decide('質問です')).toMatchObject({
        priority: 'low',
        appliedRuleIds: [third.id],
      });
      // The third moved to the top: it applies first, then the others as before.
      const before = await auditCount(AUDIT_ACTIONS.ruleReordered);
      await api(adminSession, 'post', `/api/v1/rules/${third.id}/move`, {
        direction: 'up',
      }).expect(200);
      await form(adminSession, `/admin/rules/${third.id}/move`, {
        direction: 'up',
        version: String(
          (await dataSource.getRepository(Rule).findOneByOrFail({ id: third.id })).version,
        ),
      }).expect(303);
      expect(await auditCount(AUDIT_ACTIONS.ruleReordered)).toBe(before + 2);
      expect(await decide('返金してください')).toMatchObject({
        priority: 'urgent',
        appliedRuleIds: [third.id, first.id, second.id],
      });
      // Stop on the now-first rule: nothing after it applies.
      await api(adminSession, 'patch', `/api/v1/rules/${third.id}`, {
        stopProcessing: true,
      }).expect(200);
      expect(await decide('返金してください')).toMatchObject({
        priority: 'low',
        category: 'other',
        appliedRuleIds: [third.id],
      });
      for (const rule of [first, second, third]) {
        await api(adminSession, 'delete', `/api/v1/rules/${rule.id}`).expect(204);
      }
    });
  });

  describe('the pending-customer automation', () => {
    let tenant: TestTenant;
    let ruleId: number;
    const automation = () => desk.get(PendingCustomerAutomationService);

    /** A ticket that entered pending_customer through an agent's reply, then set to Friday 15:00. */
    async function waitingTicket(): Promise<Ticket> {
      const stored = await apiInquiry(tenant, '注文の確認をお願いします。');
      await api(adminSession, 'post', `/api/v1/tickets/${stored.reference}/replies`, {
        body: 'ご注文番号を教えてください。',
        nextStatus: 'pending_customer',
      }).expect(201);
      const replied = await ticket(stored.reference);
      expect(replied.status).toBe('pending_customer');
      expect(replied.pendingCustomerSince).not.toBeNull();
      await dataSource
        .createQueryBuilder()
        .update(Ticket)
        .set({ pendingCustomerSince: FRIDAY_1500 })
        .where('id = :id', { id: replied.id })
        .execute();
      return replied;
    }

    const outboxTo = async (address: string) =>
      (await dataSource.getRepository(OutboxJob).find()).filter((job) =>
        cipher.decrypt(job.payload).includes(address),
      );

    beforeAll(async () => {
      tenant = await createTestTenant(dataSource, { merchantName: '返答待ち商店' });
      ruleId = (
        await createRule({
          kind: 'pending_customer',
          name: '催促と解決',
          merchantId: tenant.merchant.id,
          remindAfterDays: 1,
          reminderText: '{{name}} 様、その後いかがでしょうか（{{reference}}）。',
          resolveAfterDays: 1,
          resolutionText: 'ご返信がないため解決とします（{{reference}}）。',
        })
      ).id;
    });

    it('should remind once after the business days across a weekend, then resolve once', async () => {
      const waiting = await waitingTicket();
      const address = cipher.decrypt(waiting.requesterEmail as string);
      const mailsBefore = (await outboxTo(address)).length;
      expect(await automation().runDue(MONDAY_1459)).toEqual({ reminded: 0, resolved: 0 });
      expect(await automation().runDue(MONDAY_1500)).toEqual({ reminded: 1, resolved: 0 });
      expect(await automation().runDue(MONDAY_1500)).toEqual({ reminded: 0, resolved: 0 });
      const reminded = await ticket(waiting.reference);
      expect(reminded).toMatchObject({ status: 'pending_customer' });
      expect(reminded.pendingRemindedAt).not.toBeNull();
      const replies = (await messagesOf(waiting.id)).filter((m) => m.kind === 'reply');
      expect(replies).toHaveLength(2);
      expect(replies[1].authorUserId).toBeNull();
      expect(cipher.decrypt(replies[1].body as string)).toBe(
        `${VALID_INQUIRY.name} 様、その後いかがでしょうか（${waiting.reference}）。`,
      );
      expect((await outboxTo(address)).length).toBe(mailsBefore + 1);
      const remindAudit = await dataSource.getRepository(AuditEvent).findOneByOrFail({
        action: AUDIT_ACTIONS.rulePendingReminded,
        targetId: waiting.reference,
      });
      expect(remindAudit).toMatchObject({ actorType: 'system', merchantId: tenant.merchant.id });

      expect(await automation().runDue(TUESDAY_1459)).toEqual({ reminded: 0, resolved: 0 });
      expect(await automation().runDue(TUESDAY_1500)).toEqual({ reminded: 0, resolved: 1 });
      expect(await automation().runDue(TUESDAY_1500)).toEqual({ reminded: 0, resolved: 0 });
      const resolved = await ticket(waiting.reference);
      expect(resolved.status).toBe('resolved');
      expect(resolved.resolvedAt).not.toBeNull();
      const last = (await messagesOf(waiting.id)).at(-1) as Message;
      expect(cipher.decrypt(last.body as string)).toContain('ご返信がないため解決とします');
      expect((await outboxTo(address)).length).toBe(mailsBefore + 2);
      expect(
        await dataSource.getRepository(AuditEvent).countBy({
          action: AUDIT_ACTIONS.rulePendingResolved,
          targetId: waiting.reference,
        }),
      ).toBe(1);
    });

    it('should leave a ticket alone once the customer answered', async () => {
      const waiting = await waitingTicket();
      await runTransaction(intake.get(DataSource), async (manager) => {
        const fresh = await manager.getRepository(Ticket).findOneByOrFail({ id: waiting.id });
        await intake.get(StatusPageService).writeCustomerReply(manager, fresh, '番号は123です', {
          actor: { type: 'end_user' },
          ip: null,
        });
      });
      expect(await automation().runDue(TUESDAY_1500)).toEqual({ reminded: 0, resolved: 0 });
      expect((await ticket(waiting.reference)).status).toBe('open');
    });

    it('should remind and resolve each ticket once with two workers at the same time', async () => {
      const tickets = [await waitingTicket(), await waitingTicket(), await waitingTicket()];
      // Two desk instances on MariaDB. On SQLite one process cannot hold two connections that
      // wait on each other (better-sqlite3 blocks the thread), so both runs share one desk
      // there: each still reads the same candidates before either claims them.
      const other = (TEST_DB === 'mysql' ? desk2 : desk).get(PendingCustomerAutomationService);
      const reminds = await Promise.all([
        automation().runDue(MONDAY_1500),
        other.runDue(MONDAY_1500),
      ]);
      expect(reminds[0].reminded + reminds[1].reminded).toBe(3);
      const resolves = await Promise.all([
        automation().runDue(TUESDAY_1500),
        other.runDue(TUESDAY_1500),
      ]);
      expect(resolves[0].resolved + resolves[1].resolved).toBe(3);
      for (const waiting of tickets) {
        const replies = (await messagesOf(waiting.id)).filter((m) => m.kind === 'reply');
        expect(replies).toHaveLength(3);
        expect((await ticket(waiting.reference)).status).toBe('resolved');
        for (const action of [
          AUDIT_ACTIONS.rulePendingReminded,
          AUDIT_ACTIONS.rulePendingResolved,
        ]) {
          expect(
            await dataSource
              .getRepository(AuditEvent)
              .countBy({ action, targetId: waiting.reference }),
          ).toBe(1);
        }
      }
    });

    it('should do nothing once the rule is disabled', async () => {
      const waiting = await waitingTicket();
      await api(adminSession, 'patch', `/api/v1/rules/${ruleId}`, { enabled: false }).expect(200);
      expect(await automation().runDue(TUESDAY_1500)).toEqual({ reminded: 0, resolved: 0 });
      expect((await ticket(waiting.reference)).pendingRemindedAt).toBeNull();
    });
  });

  describe('admin pages and API', () => {
    it('should refuse non-admins with 403 on the pages and the API', async () => {
      for (const session of [supervisorSession, agentSession, merchantAdminSession]) {
        await page(session, '/admin/rules').expect(403);
        await api(session, 'get', '/api/v1/rules').expect(403);
        await api(session, 'post', '/api/v1/rules', {
          kind: 'intake',
          name: 'x',
          priority: 'urgent',
        }).expect(403);
      }
    });

    it('should answer invalid input with each field error and change nothing', async () => {
      const rules = await ruleCount();
      const audits = await auditCount(AUDIT_ACTIONS.ruleCreated);
      const response = await api(adminSession, 'post', '/api/v1/rules', {
        kind: 'intake',
        name: ' ',
        merchantId: 999999,
        channels: ['fax'],
        keywords: ['ok'],
      }).expect(400);
      const fields = (response.body as { errors: { field: string }[] }).errors.map((e) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['name', 'merchantId', 'channels', 'priority']),
      );
      const pending = await api(adminSession, 'post', '/api/v1/rules', {
        kind: 'pending_customer',
        name: '日数なし',
        remindAfterDays: 0,
        reminderText: '{{unknown}} さん',
        resolveAfterDays: 61,
        resolutionText: '',
      }).expect(400);
      expect((pending.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(
        expect.arrayContaining([
          'remindAfterDays',
          'reminderText',
          'resolveAfterDays',
          'resolutionText',
        ]),
      );
      const page400 = await form(adminSession, '/admin/rules', {
        kind: 'intake',
        name: '',
        merchantId: '',
        keywords: 'カード',
        priority: '',
        category: '',
        enabled: 'true',
      }).expect(400);
      expect(page400.text).toContain('ルール名を入力してください。');
      expect(page400.text).toContain('設定する優先度かカテゴリの少なくとも一方を選んでください。');
      expect(page400.text).toContain('カード');
      expect(await ruleCount()).toBe(rules);
      expect(await auditCount(AUDIT_ACTIONS.ruleCreated)).toBe(audits);
    });

    it('should create, edit, switch off, reorder and delete a rule through the pages, audited', async () => {
      const created = await form(adminSession, '/admin/rules', {
        kind: 'intake',
        name: '画面から作るルール',
        merchantId: String(tenantB.merchant.id),
        channels: ['web', 'email'],
        categories: ['payment'],
        keywords: 'チャージバック、返金',
        priority: 'high',
        category: '',
        enabled: 'true',
      }).expect(303);
      expect(created.headers.location).toBe('/admin/rules?done=created');
      const rule = await dataSource
        .getRepository(Rule)
        .findOneByOrFail({ name: '画面から作るルール' });
      expect(JSON.parse(rule.conditions)).toEqual({
        channels: ['web', 'email'],
        categories: ['payment'],
        keywords: ['チャージバック', '返金'],
      });
      const createdAudit = await dataSource.getRepository(AuditEvent).findOneByOrFail({
        action: AUDIT_ACTIONS.ruleCreated,
        targetId: String(rule.id),
      });
      expect(createdAudit).toMatchObject({ actorId: admin.id, merchantId: tenantB.merchant.id });

      const list = await page(adminSession, '/admin/rules').expect(200);
      expect(list.text).toContain('画面から作るルール');
      expect(list.text).toContain('ルールB商店');
      const edit = await page(adminSession, `/admin/rules/${rule.id}`).expect(200);
      expect(edit.text).toContain('チャージバック');

      // A stale form (an older version) is refused with 409 and changes nothing.
      await form(adminSession, `/admin/rules/${rule.id}`, {
        kind: 'intake',
        name: '古いフォーム',
        version: String(rule.version - 1),
        priority: 'low',
      }).expect(409);
      await form(adminSession, `/admin/rules/${rule.id}`, {
        kind: 'intake',
        name: '画面で直したルール',
        merchantId: String(tenantB.merchant.id),
        keywords: '返金',
        priority: 'urgent',
        category: '',
        version: String(rule.version),
        enabled: 'true',
      }).expect(303);
      let stored = await dataSource.getRepository(Rule).findOneByOrFail({ id: rule.id });
      expect(stored).toMatchObject({ name: '画面で直したルール', enabled: true });

      await form(adminSession, `/admin/rules/${rule.id}/enabled`, {
        enabled: 'false',
        version: String(stored.version),
      }).expect(303);
      stored = await dataSource.getRepository(Rule).findOneByOrFail({ id: rule.id });
      expect(stored.enabled).toBe(false);
      expect(
        await dataSource
          .getRepository(AuditEvent)
          .countBy({ action: AUDIT_ACTIONS.ruleUpdated, targetId: String(rule.id) }),
      ).toBe(2);

      const confirm = await page(adminSession, `/admin/rules/${rule.id}/delete/confirm`).expect(
        200,
      );
      expect(confirm.text).toContain('画面で直したルール');
      expect(await dataSource.getRepository(Rule).existsBy({ id: rule.id })).toBe(true);
      await form(adminSession, `/admin/rules/${rule.id}/delete`, {
        version: String(stored.version),
      }).expect(303);
      expect(await dataSource.getRepository(Rule).existsBy({ id: rule.id })).toBe(false);
      expect(
        await dataSource
          .getRepository(AuditEvent)
          .countBy({ action: AUDIT_ACTIONS.ruleDeleted, targetId: String(rule.id) }),
      ).toBe(1);
    });

    it('should document the rule routes in OpenAPI', async () => {
      const response = await deskHttp().get('/api/docs-json').expect(200);
      const paths = response.body.paths as Record<string, Record<string, unknown>>;
      expect(Object.keys(paths['/api/v1/rules']).sort()).toEqual(['get', 'post']);
      expect(Object.keys(paths['/api/v1/rules/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
      expect(Object.keys(paths['/api/v1/rules/{id}/move'])).toEqual(['post']);
    });

    it('should list the rules in the API and answer 409 to a stale version', async () => {
      const rule = await createRule({
        kind: 'intake',
        name: 'APIの古い版',
        merchantId: tenantB.merchant.id,
        keywords: ['テスト'],
        priority: 'low',
      });
      const list = await api(adminSession, 'get', '/api/v1/rules').expect(200);
      expect((list.body as { id: number }[]).map((r) => r.id)).toContain(rule.id);
      await api(adminSession, 'patch', `/api/v1/rules/${rule.id}`, {
        name: '変更',
        expectedVersion: rule.version + 5,
      }).expect(409);
      await api(
        adminSession,
        'delete',
        `/api/v1/rules/${rule.id}?expectedVersion=${rule.version + 5}`,
      ).expect(409);
      expect((await dataSource.getRepository(Rule).findOneByOrFail({ id: rule.id })).name).toBe(
        'APIの古い版',
      );
      await api(adminSession, 'delete', `/api/v1/rules/${rule.id}`).expect(204);
      await api(adminSession, 'get', `/api/v1/rules/${rule.id}`).expect(404);
    });
  });
});
