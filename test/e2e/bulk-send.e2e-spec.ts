import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  AnswerTemplateService,
  type AnswerTemplateView,
  IncidentService,
} from '@madoguchi/incidents';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import { BulkSend, BulkSendItem, BulkSendService } from '@madoguchi/incident-response';
import { InquiryService, Message, Ticket, TicketScopeService } from '@madoguchi/tickets';
import { type TenantScope } from '@madoguchi/tenancy';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { startTicketServices, TEST_INQUIRY } from '../support/ticket-desk-test';
import { testMerchantScope } from '../support/test-scope';

const IP = '192.0.2.90';

describe(`bulk sends of approved answers (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let desk: NestFastifyApplication;
  /** The intake's inquiry service, to make tickets as the web form does. */
  let intake: TestingModule;
  let bulk: BulkSendService;
  let templates: AnswerTemplateService;
  let shopA: TestTenant;
  let shopB: TestTenant;
  let admin: User;
  let supervisor: User;
  let adminA: User;
  let viewerA: User;
  let adminB: User;
  let incidentId: number;
  let template: AnswerTemplateView;
  let supervisorScope: TenantScope;

  const staff = () => ({ userId: admin.id, ip: IP });
  const count = (
    entity: typeof BulkSend | typeof BulkSendItem | typeof Message | typeof OutboxJob,
  ) => testEnv.dataSource.manager.count(entity);

  async function submit(tenant: TestTenant, email: string): Promise<Ticket> {
    const submitted = await intake
      .get(InquiryService)
      .submit(
        { site: tenant.site, merchant: tenant.merchant },
        { ...TEST_INQUIRY, category: 'leak_check', email, name: email.split('@')[0] },
        { ip: '203.0.113.50' },
      );
    return testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference: submitted.reference });
  }

  async function approveNewest(tenant: TestTenant, user: User): Promise<number> {
    const current = await templates.getTemplate(template.id);
    const newest = current.versions.reduce((a, b) => (a.version > b.version ? a : b));
    await templates.decide(
      testMerchantScope(tenant.merchant.id),
      newest.id,
      { decision: 'approved' },
      {
        userId: user.id,
        ip: IP,
      },
    );
    return newest.id;
  }

  /** Sends what is queued (the inquiries' confirmations) and forgets it, so a test sees only its own mail. */
  async function flushMail(): Promise<void> {
    await desk.get(OutboxWorker).drainOnce();
    smtp.reset();
  }

  /** Runs the worker's batches until nothing is pending (bounded, so a bug cannot hang). */
  async function drainBulk(): Promise<void> {
    for (let i = 0; i < 50 && (await bulk.processBatch(3)) > 0; i += 1);
    await desk.get(OutboxWorker).drainOnce();
  }

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    smtp = await startSmtpTestServer();
    desk = await startDeskApp(testEnv, { SMTP_URL: smtp.url });
    intake = await startTicketServices(testEnv);
    bulk = desk.get(BulkSendService);
    templates = desk.get(AnswerTemplateService);
    shopA = await createTestTenant(testEnv.dataSource, { merchantName: 'あおば商店' });
    shopB = await createTestTenant(testEnv.dataSource, { merchantName: 'いろは堂' });
    admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    adminA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: shopA.merchant.id,
    });
    viewerA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: shopA.merchant.id,
    });
    adminB = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: shopB.merchant.id,
    });
    supervisorScope = await desk.get(TicketScopeService).forUser(supervisor);
    const incident = await desk.get(IncidentService).create(
      {
        title: '2026年11月 不正アクセス',
        description: '決済画面が改ざんされました。',
        leakedItems: '氏名、メールアドレス',
        occurredFrom: '2026-10-01',
        occurredTo: '2026-11-10',
        merchants: [
          { merchantId: shopA.merchant.id, affected: true, noticeDate: '2026-11-20' },
          { merchantId: shopB.merchant.id, affected: true, noticeDate: null },
        ],
      },
      staff(),
    );
    incidentId = incident.id;
    template = await templates.create(
      incidentId,
      {
        title: '流出した情報について',
        purpose: 'answer',
        body: '{{name}}\n{{merchant}}（{{reference}}）: 流出した情報は氏名とメールアドレスです。',
      },
      staff(),
    );
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  it('should refuse a preview of a template the merchant has not approved, writing nothing', async () => {
    await submit(shopA, 'before-approval@example.jp');
    await expect(
      bulk.preview(supervisorScope, {
        merchantId: shopA.merchant.id,
        templateId: template.id,
        selection: 'incident_open',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await count(BulkSend)).toBe(0);
  });

  it('should send version 1 once to each open ticket of the incident, in its conversation and by mail', async () => {
    await approveNewest(shopA, adminA);
    await submit(shopA, 'second@example.jp');
    const closed = await submit(shopA, 'closed@example.jp');
    await testEnv.dataSource.manager.update(Ticket, { id: closed.id }, { status: 'closed' });
    await submit(shopB, 'other-merchant@example.jp');

    const preview = await bulk.preview(supervisorScope, {
      merchantId: shopA.merchant.id,
      templateId: template.id,
      selection: 'incident_open',
    });
    expect(preview.count).toBe(2);
    expect(preview.answer.version).toBe(1);

    const runId = await bulk.start(
      supervisorScope,
      {
        merchantId: shopA.merchant.id,
        templateId: template.id,
        selection: 'incident_open',
        expectedCount: 2,
      },
      { userId: supervisor.id, ip: IP },
    );
    await flushMail();
    await drainBulk();
    // A second pass (another instance, a restart) finds nothing left to send.
    expect(await bulk.processBatch(10)).toBe(0);

    const items = await testEnv.dataSource.manager.findBy(BulkSendItem, { bulkSendId: runId });
    expect(items.map((item) => item.state)).toEqual(['sent', 'sent']);
    const run = await testEnv.dataSource.manager.findOneByOrFail(BulkSend, { id: runId });
    expect(run.state).toBe('completed');
    const mails = await smtp.waitFor(2);
    expect(mails.map((mail) => mail.envelopeTo[0]).sort()).toEqual([
      'before-approval@example.jp',
      'second@example.jp',
    ]);
    expect(mails[0]?.text).toContain('流出した情報は氏名とメールアドレスです。');
    expect(mails[0]?.text).toContain('あおば商店');
    const replies = await testEnv.dataSource.manager.findBy(Message, { kind: 'reply' });
    expect(replies).toHaveLength(2);
    expect(replies.every((reply) => reply.answerVersionId === run.versionId)).toBe(true);
    const audits = await testEnv.dataSource.manager.findBy(AuditEvent, {
      targetType: 'bulk_send',
      targetId: String(runId),
    });
    expect(audits.map((audit) => audit.action).sort()).toEqual([
      'bulk_send.completed',
      'bulk_send.started',
    ]);
  });

  it('should refuse to start when the selection changed since the preview, writing nothing', async () => {
    const before = await count(BulkSend);
    await submit(shopA, 'third@example.jp');
    await expect(
      bulk.start(
        supervisorScope,
        {
          merchantId: shopA.merchant.id,
          templateId: template.id,
          selection: 'incident_open',
          expectedCount: 5,
        },
        { userId: supervisor.id, ip: IP },
      ),
    ).rejects.toMatchObject({ code: 'BULK_SELECTION_CHANGED' });
    expect(await count(BulkSend)).toBe(before);
  });

  it('should send a corrected version only to earlier receivers, once each, even when two workers race', async () => {
    await templates.edit(
      template.id,
      {
        title: '流出した情報について',
        body: '{{name}}\n【訂正】流出した情報は氏名・メールアドレス・電話番号です。',
      },
      staff(),
    );
    await approveNewest(shopA, adminA);
    // The third ticket never got version 1: it is not a receiver of the old version.
    const preview = await bulk.preview(
      { kind: 'merchant', userId: adminA.id, merchantId: shopA.merchant.id },
      { merchantId: 0, templateId: template.id, selection: 'outdated_receivers' },
    );
    expect(preview.count).toBe(2);
    expect(preview.answer.version).toBe(2);
    const runId = await bulk.start(
      { kind: 'merchant', userId: adminA.id, merchantId: shopA.merchant.id },
      {
        merchantId: 0,
        templateId: template.id,
        selection: 'outdated_receivers',
        expectedCount: 2,
      },
      { userId: adminA.id, ip: IP },
    );
    await flushMail();
    const messagesBefore = await count(Message);
    await Promise.all([bulk.processBatch(10), bulk.processBatch(10)]);
    await desk.get(OutboxWorker).drainOnce();
    expect((await count(Message)) - messagesBefore).toBe(2);
    const mails = await smtp.waitFor(2);
    expect(mails).toHaveLength(2);
    expect(mails.every((mail) => mail.text.includes('【訂正】'))).toBe(true);
    const items = await testEnv.dataSource.manager.findBy(BulkSendItem, { bulkSendId: runId });
    expect(items.every((item) => item.state === 'sent')).toBe(true);
    // Nobody is behind any more: a second correction run has nothing to send.
    const again = await bulk.preview(supervisorScope, {
      merchantId: shopA.merchant.id,
      templateId: template.id,
      selection: 'outdated_receivers',
    });
    expect(again.count).toBe(0);
  });

  it('should resume after a restart and skip an item whose version was superseded meanwhile', async () => {
    await submit(shopA, 'fourth@example.jp');
    const preview = await bulk.preview(supervisorScope, {
      merchantId: shopA.merchant.id,
      templateId: template.id,
      selection: 'incident_open',
    });
    // third@ and fourth@ have not received version 2 (the others did, and are pending_customer).
    expect(preview.sample.map((s) => s.reference)).toHaveLength(preview.count);
    const runId = await bulk.start(
      supervisorScope,
      {
        merchantId: shopA.merchant.id,
        templateId: template.id,
        selection: 'incident_open',
        expectedCount: preview.count,
      },
      { userId: supervisor.id, ip: IP },
    );
    // One item goes out; then the desk "restarts": a new service instance reads the same rows.
    expect(await bulk.processBatch(1)).toBe(1);
    await desk.close();
    desk = await startDeskApp(testEnv, { SMTP_URL: smtp.url });
    bulk = desk.get(BulkSendService);
    templates = desk.get(AnswerTemplateService);
    await templates.edit(
      template.id,
      { title: '流出した情報について', body: '第3版の本文です。' },
      staff(),
    );
    await approveNewest(shopA, adminA);
    await drainBulk();
    const items = await testEnv.dataSource.manager.find(BulkSendItem, {
      where: { bulkSendId: runId },
      order: { id: 'ASC' },
    });
    expect(items[0]?.state).toBe('sent');
    expect(
      items.slice(1).every((i) => i.state === 'skipped' && i.skipReason === 'superseded'),
    ).toBe(true);
    const run = await testEnv.dataSource.manager.findOneByOrFail(BulkSend, { id: runId });
    expect(run.state).toBe('completed');
  });

  it('should send nothing more in the name of a user who was disabled meanwhile', async () => {
    await submit(shopA, 'fifth@example.jp');
    const preview = await bulk.preview(supervisorScope, {
      merchantId: shopA.merchant.id,
      templateId: template.id,
      selection: 'incident_open',
    });
    const runId = await bulk.start(
      supervisorScope,
      {
        merchantId: shopA.merchant.id,
        templateId: template.id,
        selection: 'incident_open',
        expectedCount: preview.count,
      },
      { userId: supervisor.id, ip: IP },
    );
    await testEnv.dataSource.manager.update(
      User,
      { id: supervisor.id },
      { disabledAt: new Date() },
    );
    const messagesBefore = await count(Message);
    await drainBulk();
    await testEnv.dataSource.manager.update(User, { id: supervisor.id }, { disabledAt: null });
    expect(await count(Message)).toBe(messagesBefore);
    const items = await testEnv.dataSource.manager.findBy(BulkSendItem, { bulkSendId: runId });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.state === 'skipped' && i.skipReason === 'author_disabled')).toBe(
      true,
    );
  });

  describe('pages', () => {
    it('should show a supervisor the preview count, start the run and list it', async () => {
      const { cookie, csrfToken } = await loginAs(desk, supervisor.email);
      const server = desk.getHttpServer();
      const preview = await request(server)
        .get('/supervisor/bulk-sends/preview')
        .query({
          merchantId: shopA.merchant.id,
          templateId: template.id,
          selection: 'incident_open',
        })
        .set('Cookie', cookie)
        .expect(200);
      const expected = /name="expectedCount" value="(\d+)"/.exec(preview.text)?.[1];
      expect(expected).toBeDefined();
      const before = await count(BulkSend);
      // A confirmation with a stale count is refused with the fresh preview, and starts nothing.
      const stale = await request(server)
        .post('/supervisor/bulk-sends')
        .set('Cookie', cookie)
        .type('form')
        .send({
          _csrf: csrfToken,
          merchantId: String(shopA.merchant.id),
          templateId: String(template.id),
          selection: 'incident_open',
          expectedCount: String(Number(expected) + 7),
        })
        .expect(409);
      expect(stale.text).toContain('もう一度確認してください');
      expect(await count(BulkSend)).toBe(before);
      const started = await request(server)
        .post('/supervisor/bulk-sends')
        .set('Cookie', cookie)
        .type('form')
        .send({
          _csrf: csrfToken,
          merchantId: String(shopA.merchant.id),
          templateId: String(template.id),
          selection: 'incident_open',
          expectedCount: expected,
        })
        .expect(303);
      expect(started.headers.location).toMatch(/^\/supervisor\/bulk-sends\/\d+\?done=started$/);
      const runPage = await request(server)
        .get(started.headers.location as string)
        .set('Cookie', cookie)
        .expect(200);
      expect(runPage.text).toContain('data-bulk-state="running"');
      await request(server)
        .post(`${(started.headers.location as string).split('?')[0]}/cancel`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfToken })
        .expect(303);
      const runId = (started.headers.location as string).split('?')[0]?.split('/').pop();
      const cancelled = await testEnv.dataSource.manager.findBy(AuditEvent, {
        action: 'bulk_send.cancelled',
        targetId: runId,
      });
      expect(cancelled).toHaveLength(1);
      expect(cancelled[0]).toMatchObject({ actorId: supervisor.id, merchantId: shopA.merchant.id });
      expect(cancelled[0]?.ip).not.toBeNull();
      const list = await request(server)
        .get('/supervisor/bulk-sends')
        .set('Cookie', cookie)
        .expect(200);
      expect(list.text).toContain('中止');
    });

    it('should refuse bad input with field errors and write nothing', async () => {
      const { cookie } = await loginAs(desk, supervisor.email);
      const before = await count(BulkSend);
      const response = await request(desk.getHttpServer())
        .get('/supervisor/bulk-sends/preview')
        .query({ merchantId: 'x', templateId: '', selection: 'everyone' })
        .set('Cookie', cookie)
        .expect(400);
      expect(response.text).toContain('送信先の種類を選んでください。');
      expect(response.text).toContain('回答テンプレートを選んでください。');
      expect(await count(BulkSend)).toBe(before);
    });

    it("should keep a merchant admin to its own merchant: another merchant's run is 404", async () => {
      const runs = await testEnv.dataSource.manager.find(BulkSend, { order: { id: 'ASC' } });
      const runOfA = runs[0] as BulkSend;
      const { cookie, csrfToken } = await loginAs(desk, adminB.email);
      const server = desk.getHttpServer();
      await request(server)
        .get(`/portal/bulk-sends/${runOfA.id}`)
        .set('Cookie', cookie)
        .expect(404);
      await request(server)
        .post(`/portal/bulk-sends/${runOfA.id}/cancel`)
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfToken })
        .expect(404);
      const list = await request(server)
        .get('/portal/bulk-sends')
        .set('Cookie', cookie)
        .expect(200);
      expect(list.text).not.toContain('あおば商店');
      // B is affected by the incident too, but has approved nothing: its preview is refused.
      const before = await count(BulkSend);
      await request(server)
        .post('/portal/bulk-sends')
        .set('Cookie', cookie)
        .type('form')
        .send({
          _csrf: csrfToken,
          merchantId: String(shopA.merchant.id),
          templateId: String(template.id),
          selection: 'incident_open',
          expectedCount: '1',
        })
        .expect(400);
      expect(await count(BulkSend)).toBe(before);
    });

    it('should refuse merchant viewers and agents', async () => {
      const agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [shopA.queue.id],
      });
      for (const [user, path] of [
        [viewerA, '/portal/bulk-sends'],
        [agent, '/supervisor/bulk-sends'],
        [adminA, '/supervisor/bulk-sends'],
      ] as const) {
        const { cookie } = await loginAs(desk, user.email);
        await request(desk.getHttpServer()).get(path).set('Cookie', cookie).expect(403);
      }
    });
  });

  it('should leave one reply per ticket and version across every run', async () => {
    const rows = await testEnv.dataSource.manager
      .createQueryBuilder(Message, 'message')
      .select('message.ticketId', 'ticketId')
      .addSelect('message.answerVersionId', 'versionId')
      .addSelect('COUNT(*)', 'n')
      .where('message.answerVersionId IS NOT NULL')
      .groupBy('message.ticketId')
      .addGroupBy('message.answerVersionId')
      .getRawMany<{ n: number | string }>();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
    // Each bulk reply went through the ordinary reply path: its audit event names the run.
    const sent = await testEnv.dataSource.manager.countBy(BulkSendItem, { state: 'sent' });
    const replied = await testEnv.dataSource.manager.findBy(AuditEvent, {
      action: 'ticket.replied',
    });
    expect(replied.filter((event) => (event.detail ?? '').includes('"bulkSendId"'))).toHaveLength(
      sent,
    );
  });
});
