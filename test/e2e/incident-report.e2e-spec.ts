import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { Call } from '@madoguchi/calls';
import { tokyoDateOf } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import {
  AnswerTemplateService,
  type AnswerTemplateView,
  IncidentService,
} from '@madoguchi/incidents';
import { OutboxWorker } from '@madoguchi/mail';
import {
  AffectedListService,
  BulkSendService,
  TicketDeterminationService,
  FaqPageService,
  LeakCheckService,
} from '@madoguchi/incident-response';
import {
  countFaqInquiry,
  HandBackService,
  InquiryService,
  type InquiryInput,
  PhoneTicketService,
  Ticket,
  TicketScopeService,
  TicketWorkService,
} from '@madoguchi/tickets';
import { type TenantScope } from '@madoguchi/tenancy';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { insertTestCall } from '../support/test-call';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';

/**
 * Issue 13, point 7: the incident report. A seeded incident with real tickets (the intake's
 * inquiry service, a phone ticket from a call), real leak checks (codes mailed over loopback
 * SMTP), agent replies and bulk sends of approved answers, a hand-back, views and an export
 * through the desk: every figure of the report is checked against that known input, for the
 * merchant's own report, the operator's per-merchant and all-merchants reports, page and CSV.
 */

const IP = '192.0.2.77';
const LISTED_EMAIL = 'listed.report@example.jp';
const MID_EMAIL = 'mid.report@example.jp';
const NEW_EMAIL = 'added.report@example.jp';
const UNLISTED_EMAIL = 'unlisted.report@example.jp';
const FAILED_EMAIL = 'failing.report@example.jp';
const PENDING_EMAIL = 'pending.report@example.jp';
const LIST_PHONE = '090-4444-5555';
const CALLER_NUMBER = '+819011112222';
const REQUESTER = '報告 花子';
const B_EMAIL = 'momiji.report@example.jp';
const DAY = 86_400_000;

/** Parses an RFC 4180 CSV (BOM stripped) into records of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The `data-value` of each `data-key` in one merchant's section of the page (`*`: the total). */
function pageFigures(page: string, merchantCode: string): Map<string, string> {
  const start = page.indexOf(`data-merchant="${merchantCode}"`);
  if (start < 0) throw new Error(`no section for ${merchantCode}`);
  const next = page.indexOf('data-merchant="', start + 20);
  const section = page.slice(start, next < 0 ? undefined : next);
  const figures = new Map<string, string>();
  const unescape = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const match of section.matchAll(/data-key="([^"]+)"\s+data-value="([^"]*)"/g)) {
    figures.set(unescape(match[1]), unescape(match[2]));
  }
  return figures;
}

/** The CSV's figures of one merchant code (`*`: the total), key → value. */
function csvFigures(rows: string[][], merchantCode: string): Map<string, string> {
  return new Map(rows.filter((r) => r[0] === merchantCode).map((r) => [r[4], r[5]]));
}

describe(`incident report (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let tenantC: TestTenant;
  let admin: User;
  let adminA: User;
  let agentA: User;
  let supervisor: User;
  let sessions: Record<
    'adminA' | 'viewerA' | 'adminC' | 'agentA' | 'supervisor' | 'viewerB',
    LoggedIn
  >;
  let incidentId: number;
  let otherIncidentId: number;
  let noticeA: string;
  let templates: Record<'answer' | 'included' | 'notIncluded', AnswerTemplateView>;
  let supervisorScope: TenantScope;
  let agentScope: TenantScope;
  const refs: Record<string, string> = {};
  const expectedDays = new Map<string, number>();

  const staff = () => ({ userId: admin.id, ip: IP });
  const get = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer())
      .get(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html');

  async function submit(
    tenant: TestTenant,
    input: Partial<InquiryInput>,
  ): Promise<{ ticket: Ticket; token: string }> {
    const submitted = await intake.get(InquiryService).submit(
      { site: tenant.site, merchant: tenant.merchant },
      {
        name: REQUESTER,
        email: UNLISTED_EMAIL,
        phone: null,
        orderNumber: null,
        category: 'leak_check',
        message: '私の情報は含まれていますか。',
        ...input,
      },
      { ip: IP },
    );
    const ticket = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ reference: submitted.reference });
    const day = tokyoDateOf(ticket.createdAt);
    if (ticket.merchantId === tenantA.merchant.id)
      expectedDays.set(day, (expectedDays.get(day) ?? 0) + 1);
    return { ticket, token: submitted.statusUrl.split('/').pop() as string };
  }

  /** Sends the queued mail and returns the newest code mailed to `to`. */
  async function mailedCode(to: string): Promise<string> {
    await desk.get(OutboxWorker).drainOnce();
    const mail = [...smtp.messages].reverse().find((m) => m.envelopeTo.includes(to));
    const code = mail && /確認コード：(\d{6})/.exec(mail.text)?.[1];
    if (!code) throw new Error(`no code mailed to ${to}`);
    return code;
  }

  async function drainBulk(): Promise<void> {
    const bulk = desk.get(BulkSendService);
    for (let i = 0; i < 50 && (await bulk.processBatch(5)) > 0; i += 1);
  }

  async function bulkSend(templateId: number, selection: 'incident_open' | 'outdated_receivers') {
    const bulk = desk.get(BulkSendService);
    const request = { merchantId: tenantA.merchant.id, templateId, selection };
    const preview = await bulk.preview(supervisorScope, request);
    await bulk.start(
      supervisorScope,
      { ...request, expectedCount: preview.count },
      { userId: supervisor.id, ip: IP },
    );
    await drainBulk();
    return preview.count;
  }

  const version = async (reference: string) =>
    (await testEnv.dataSource.getRepository(Ticket).findOneByOrFail({ reference })).version;

  async function approveNewest(template: AnswerTemplateView, tenant: TestTenant, by: User) {
    const current = await desk.get(AnswerTemplateService).getTemplate(template.id);
    const newest = current.versions.reduce((a, b) => (a.version > b.version ? a : b));
    await desk
      .get(AnswerTemplateService)
      .decide(
        testMerchantScope(tenant.merchant.id),
        newest.id,
        { decision: 'approved' },
        { userId: by.id, ip: IP },
      );
    return newest.id;
  }

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv, { SMTP_URL: smtp.url, OUTBOX_WORKER: 'off' });
    intake = await startIntakeApp(testEnv);
    const ds = testEnv.dataSource;
    tenantA = await createTestTenant(ds, { merchantName: 'さくら報告商店' });
    tenantB = await createTestTenant(ds, { merchantName: 'もみじ報告商店' });
    tenantC = await createTestTenant(ds, { merchantName: 'かえで無関係商店' });
    admin = await createTestUser(ds, { role: 'admin', displayName: '運営 管理者' });
    supervisor = await createTestUser(ds, { role: 'supervisor', displayName: '監督 次郎' });
    agentA = await createTestUser(ds, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
      displayName: '担当 一郎',
    });
    adminA = await createTestUser(ds, {
      role: 'merchant_admin',
      merchantId: tenantA.merchant.id,
      displayName: 'さくら 管理者',
    });
    const viewerA = await createTestUser(ds, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    const adminB = await createTestUser(ds, {
      role: 'merchant_admin',
      merchantId: tenantB.merchant.id,
    });
    const viewerB = await createTestUser(ds, {
      role: 'merchant_viewer',
      merchantId: tenantB.merchant.id,
      displayName: 'もみじ 閲覧者',
    });
    const adminC = await createTestUser(ds, {
      role: 'merchant_admin',
      merchantId: tenantC.merchant.id,
    });
    sessions = {
      adminA: await loginAs(desk, adminA.email),
      viewerA: await loginAs(desk, viewerA.email),
      adminC: await loginAs(desk, adminC.email),
      agentA: await loginAs(desk, agentA.email),
      supervisor: await loginAs(desk, supervisor.email),
      viewerB: await loginAs(desk, viewerB.email),
    };
    supervisorScope = await desk.get(TicketScopeService).forUser(supervisor);
    agentScope = await desk.get(TicketScopeService).forUser(agentA);
    const agentActor = { userId: agentA.id, ip: IP };

    // An older incident of B alone (A must not reach its report), then the one reported on:
    // new tickets link to the newest incident that affects their merchant.
    otherIncidentId = (
      await desk.get(IncidentService).create(
        {
          title: 'もみじだけの事象',
          description: 'もみじのみ',
          leakedItems: '氏名',
          merchants: [{ merchantId: tenantB.merchant.id, affected: true }],
        },
        staff(),
      )
    ).id;
    noticeA = tokyoDateOf(new Date(Date.now() - 3 * DAY));
    incidentId = (
      await desk.get(IncidentService).create(
        {
          title: '2026年11月 決済画面の改ざん',
          description: '=HYPERLINK("http://evil.example") 決済画面が改ざんされました。',
          leakedItems: '氏名、メールアドレス、電話番号',
          occurredFrom: '2026-10-01',
          occurredTo: '2026-11-10',
          merchants: [
            { merchantId: tenantA.merchant.id, affected: true, noticeDate: noticeA },
            { merchantId: tenantB.merchant.id, affected: true, noticeDate: null },
            { merchantId: tenantC.merchant.id, affected: false, noticeDate: null },
          ],
        },
        staff(),
      )
    ).id;
    const answerTemplates = desk.get(AnswerTemplateService);
    const create = (purpose: 'answer' | 'leak_included' | 'leak_not_included', body: string) =>
      answerTemplates.create(incidentId, { title: `回答 ${purpose}`, purpose, body }, staff());
    templates = {
      answer: await create('answer', '{{name}} 様 流出した情報は氏名とメールアドレスです。'),
      included: await create('leak_included', '{{name}} 様 お客様の情報は含まれていました。'),
      notIncluded: await create('leak_not_included', '{{name}} 様 含まれていませんでした。'),
    };
    for (const template of Object.values(templates)) await approveNewest(template, tenantA, adminA);
    await approveNewest(templates.answer, tenantB, adminB);

    // The affected list of A: 3 good rows and a bad one, then 1 new row and a duplicate.
    const merchantScopeA = {
      kind: 'merchant' as const,
      userId: adminA.id,
      merchantId: tenantA.merchant.id,
    };
    const lists = desk.get(AffectedListService);
    await lists.upload(
      merchantScopeA,
      incidentId,
      { userId: adminA.id, ip: IP },
      {
        mode: 'replace',
        file: Buffer.from(
          `email,phone\n${LISTED_EMAIL},\n,${LIST_PHONE}\n${MID_EMAIL},\nnot-an-email,\n`,
        ),
      },
    );
    await lists.upload(
      merchantScopeA,
      incidentId,
      { userId: adminA.id, ip: IP },
      {
        mode: 'add',
        file: Buffer.from(`email\n${LISTED_EMAIL}\n${NEW_EMAIL}\n`),
      },
    );

    // A's tickets: four leak checks, a payment question, one to hand back, one phone call.
    const t1 = await submit(tenantA, { email: LISTED_EMAIL });
    const t2 = await submit(tenantA, { email: UNLISTED_EMAIL });
    const t3 = await submit(tenantA, { email: FAILED_EMAIL });
    const t4 = await submit(tenantA, { email: PENDING_EMAIL });
    const t5 = await submit(tenantA, { email: 'payment.report@example.jp', category: 'payment' });
    const t6 = await submit(tenantA, { email: 'other.report@example.jp', category: 'other' });
    // The linked call shows its caller's number: opening its page is an audited view.
    const call = await insertTestCall(ds, {
      merchantId: tenantA.merchant.id,
      outcome: 'answered',
      fromNumber: desk.get(FieldCipher).encrypt(CALLER_NUMBER),
      callerIdWithheld: false,
    });
    const t7 = await ds.transaction((manager) =>
      desk.get(PhoneTicketService).createFromCall(
        manager,
        agentScope,
        {
          merchantId: tenantA.merchant.id,
          siteId: null,
          category: 'suspicious_contact',
          requesterName: null,
          requesterPhone: null,
          answered: true,
          callMessage: '不審な電話について',
          callId: call.id,
        },
        agentActor,
        new Date(),
      ),
    );
    await ds.getRepository(Call).update({ id: call.id }, { ticketId: t7.id });
    expectedDays.set(
      tokyoDateOf(t7.createdAt),
      (expectedDays.get(tokyoDateOf(t7.createdAt)) ?? 0) + 1,
    );
    Object.assign(refs, {
      t1: t1.ticket.reference,
      t2: t2.ticket.reference,
      t3: t3.ticket.reference,
      t4: t4.ticket.reference,
      t5: t5.ticket.reference,
      t6: t6.ticket.reference,
      t7: t7.reference,
      callId: String(call.id),
    });
    // More calls of A (one before the period), and one of B.
    await insertTestCall(ds, { merchantId: tenantA.merchant.id, outcome: 'answered' });
    await insertTestCall(ds, { merchantId: tenantA.merchant.id, outcome: 'abandoned' });
    await insertTestCall(ds, { merchantId: tenantA.merchant.id, outcome: 'voicemail' });
    await insertTestCall(ds, {
      merchantId: tenantA.merchant.id,
      outcome: 'answered',
      startedAt: new Date(Date.now() - 60 * DAY),
    });
    await insertTestCall(ds, { merchantId: tenantB.merchant.id, outcome: 'answered' });

    // Leak checks: included (t1), not included (t2), failed by wrong codes (t3), two codes (t4).
    const leak = intake.get(LeakCheckService);
    await leak.requestCode(t1.token, IP);
    expect(await leak.verify(t1.token, await mailedCode(LISTED_EMAIL), IP)).toMatchObject({
      outcome: 'verified',
      result: 'included',
    });
    await leak.requestCode(t2.token, IP);
    expect(await leak.verify(t2.token, await mailedCode(UNLISTED_EMAIL), IP)).toMatchObject({
      outcome: 'verified',
      result: 'not_included',
    });
    await leak.requestCode(t3.token, IP);
    const right = await mailedCode(FAILED_EMAIL);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i += 1) await leak.verify(t3.token, wrong, IP);
    await leak.requestCode(t4.token, IP);
    await leak.requestCode(t4.token, IP);

    // Agents send the determinations the checks proved; one ticket goes back to the merchant.
    const work = desk.get(TicketWorkService);
    const newestVersionId = async (template: AnswerTemplateView) =>
      (await answerTemplates.getTemplate(template.id)).versions.reduce((a, b) =>
        a.version > b.version ? a : b,
      ).id;
    await work.reply(
      agentScope,
      refs.t1,
      {
        body: `${REQUESTER} 様 お客様の情報は含まれていました。`,
        expectedVersion: await version(refs.t1),
        answerVersionId: await newestVersionId(templates.included),
      },
      agentActor,
    );
    await work.reply(
      agentScope,
      refs.t2,
      {
        // Edited before sending: recorded as "based on version 1, edited".
        body: `${REQUESTER} 様 含まれていませんでした。ご安心ください。`,
        expectedVersion: await version(refs.t2),
        answerVersionId: await newestVersionId(templates.notIncluded),
      },
      agentActor,
    );
    await work.handBack(
      agentScope,
      refs.t6,
      { expectedVersion: await version(refs.t6) },
      agentActor,
    );
    // t5's first-response deadline has passed before anyone answers it: a breach.
    await ds
      .getRepository(Ticket)
      .update({ reference: refs.t5 }, { firstResponseDueAt: new Date(Date.now() - 3_600_000) });

    // The general answer to every open ticket, then version 2 and its correction. The phone
    // ticket (t7) has no email address: it cannot receive a mailed answer (issue 15), so five.
    expect(await bulkSend(templates.answer.id, 'incident_open')).toBe(5);
    await answerTemplates.edit(
      templates.answer.id,
      { title: templates.answer.title, body: '{{name}} 様 【訂正】流出した情報は氏名のみです。' },
      staff(),
    );
    await approveNewest(templates.answer, tenantA, adminA);
  }, 300_000);

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  describe('before the correction is sent', () => {
    it('should count the five receivers of the superseded version', async () => {
      const page = await get(`/portal/incidents/${incidentId}/report`, sessions.adminA).expect(200);
      const figures = pageFigures(page.text, tenantA.merchant.code);
      expect(figures.get('corrections.superseded')).toBe('1');
      expect(figures.get('corrections.outdated')).toBe('5');
      expect(figures.get(`corrections.template.${templates.answer.id}.outdated`)).toBe('5');
      expect(figures.get('corrections.runs')).toBe('0');
    });
  });

  describe('the merchant’s own report', () => {
    let page: string;
    let csvText: string;
    let figures: Map<string, string>;

    beforeAll(async () => {
      expect(await bulkSend(templates.answer.id, 'outdated_receivers')).toBe(5);
      const work = desk.get(TicketWorkService);
      await work.changeStatus(
        supervisorScope,
        refs.t1,
        { status: 'resolved', expectedVersion: await version(refs.t1) },
        { userId: supervisor.id, ip: IP },
      );
      // Who opened personal data: the agent (two tickets, one of them twice, and the call),
      // the merchant admin (one case in the portal, one export); B's viewer opens B's only.
      await get(`/tickets/${refs.t1}`, sessions.agentA).expect(200);
      await get(`/tickets/${refs.t1}`, sessions.agentA).expect(200);
      await get(`/tickets/${refs.t2}`, sessions.agentA).expect(200);
      await get(`/calls/${refs.callId}`, sessions.agentA).expect(200);
      await get(`/portal/cases/${refs.t1}`, sessions.adminA).expect(200);
      await request(desk.getHttpServer())
        .post('/portal/export')
        .set('Cookie', sessions.adminA.cookie)
        .type('form')
        .send({ _csrf: sessions.adminA.csrfToken, password: 'correct horse battery staple' })
        .expect(200);
      const b1 = await submit(tenantB, { email: B_EMAIL });
      await submit(tenantB, { email: `second.${B_EMAIL}` });
      refs.b1 = b1.ticket.reference;
      await get(`/portal/cases/${refs.b1}`, sessions.viewerB).expect(200);

      // The rest of issue 13: an agent's determination with its reason, a question to the
      // merchant and its answer, the handed-back case's contact opened and marked answered,
      // and the public incident page read three times (one inquiry sent after it).
      const merchantScopeA: TenantScope = {
        kind: 'merchant',
        userId: adminA.id,
        merchantId: tenantA.merchant.id,
      };
      const adminActor = { userId: adminA.id, ip: IP };
      await desk
        .get(TicketDeterminationService)
        .recordByAgent(
          agentScope,
          refs.t7,
          { outcome: 'included', reason: '注文番号が一致し、電話で本人確認しました。' },
          { userId: agentA.id, ip: IP },
        );
      await work.askMerchant(
        agentScope,
        refs.t4,
        { body: '注文の有無をご確認ください。', expectedVersion: await version(refs.t4) },
        { userId: agentA.id, ip: IP },
      );
      await work.answerAsMerchant(
        merchantScopeA,
        refs.t4,
        { body: '注文はありました。', expectedVersion: await version(refs.t4) },
        adminActor,
      );
      await desk.get(HandBackService).revealContact(merchantScopeA, refs.t6, adminActor);
      await work.markHandBackAnswered(
        merchantScopeA,
        refs.t6,
        { expectedVersion: await version(refs.t6) },
        adminActor,
      );
      const faqTarget = { site: tenantA.site, merchant: tenantA.merchant };
      for (let i = 0; i < 3; i += 1) await intake.get(FaqPageService).countView(faqTarget);
      await countFaqInquiry(testEnv.dataSource.manager, faqTarget, new Date());

      page = (await get(`/portal/incidents/${incidentId}/report`, sessions.adminA).expect(200))
        .text;
      const csv = await get(`/portal/incidents/${incidentId}/report.csv`, sessions.adminA).expect(
        200,
      );
      expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(csv.headers['content-disposition']).toMatch(
        new RegExp(`attachment; filename="incident-report-${incidentId}-${tenantA.merchant.code}-`),
      );
      csvText = csv.text;
      figures = pageFigures(page, tenantA.merchant.code);
    }, 300_000);

    it('should put the incident, the period, the notice date and the generation time on top', () => {
      expect(page).toContain('2026年11月 決済画面の改ざん');
      expect(page).toContain('氏名、メールアドレス、電話番号');
      expect(page).toContain(`data-from="${noticeA}"`);
      expect(page).toContain(`data-to="${tokyoDateOf(new Date())}"`);
      expect(page).toMatch(new RegExp(`data-header="notice-date">\\s*${noticeA}`));
      expect(page).toContain('data-header="generated-at"');
      expect(page).not.toContain('data-merchant="*"');
    });

    it('should count the inquiries by category, channel, state and day', () => {
      expect(
        Object.fromEntries(
          [...figures].filter(
            ([key]) => key.startsWith('inquiries.') && !key.startsWith('inquiries.day'),
          ),
        ),
      ).toEqual({
        'inquiries.state.total': '7',
        'inquiries.state.open': '5',
        'inquiries.state.resolved': '1',
        'inquiries.state.handed_back': '1',
        'inquiries.category.leak_check': '4',
        'inquiries.category.suspicious_contact': '1',
        'inquiries.category.password': '0',
        'inquiries.category.payment': '1',
        'inquiries.category.data_request': '0',
        'inquiries.category.other': '1',
        'inquiries.channel.web': '6',
        'inquiries.channel.phone': '1',
        'inquiries.channel.email': '0',
      });
      expect(figures.get(`inquiries.day.${noticeA}.total`)).toBe('0');
      for (const [day, count] of expectedDays) {
        expect({ day, count: figures.get(`inquiries.day.${day}.total`) }).toEqual({
          day,
          count: String(count),
        });
      }
      const days = [...figures.keys()].filter((k) => /^inquiries\.day\..*\.total$/.test(k));
      expect(days[0]).toBe(`inquiries.day.${noticeA}.total`);
      expect(days).toHaveLength(4);
    });

    it('should count the merchant’s calls of the period by outcome, and those linked to the incident', () => {
      expect(figures.get('calls.total')).toBe('4');
      expect(figures.get('calls.outcome.answered')).toBe('2');
      expect(figures.get('calls.outcome.abandoned')).toBe('1');
      expect(figures.get('calls.outcome.voicemail')).toBe('1');
      expect(figures.get('calls.linked')).toBe('1');
    });

    it('should give the affected list’s size in rows and values, never a value', () => {
      expect(figures.get('affected_list.rows')).toBe('4');
      expect(figures.get('affected_list.values.email')).toBe('3');
      expect(figures.get('affected_list.values.phone')).toBe('1');
      expect(figures.get('affected_list.values.order')).toBe('0');
      expect(figures.get('affected_list.values.total')).toBe('4');
      expect(figures.get('affected_list.rows_rejected')).toBe('1');
      expect(figures.get('affected_list.uploads')).toBe('2');
      for (const text of [page, csvText]) {
        for (const value of [
          LISTED_EMAIL,
          MID_EMAIL,
          NEW_EMAIL,
          UNLISTED_EMAIL,
          FAILED_EMAIL,
          PENDING_EMAIL,
          LIST_PHONE,
          '+819044445555',
          CALLER_NUMBER,
          '09044445555',
          REQUESTER,
          refs.t1,
          refs.t5,
          refs.t7,
          '不審な電話について',
        ]) {
          expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
        }
      }
    });

    it('should count codes sent, verified, failed, expired and pending, and what was shown', () => {
      expect(figures.get('verifications.codes_sent')).toBe('5');
      expect(figures.get('verifications.verified')).toBe('2');
      expect(figures.get('verifications.failed')).toBe('1');
      expect(figures.get('verifications.expired')).toBe('1');
      expect(figures.get('verifications.pending')).toBe('1');
      expect(figures.get('verifications.wrong_entries')).toBe('5');
      expect(figures.get('verifications.tickets_verified')).toBe('2');
      expect(figures.get('verifications.outcome.included')).toBe('1');
      expect(figures.get('verifications.outcome.not_included')).toBe('1');
      expect(figures.get('verifications.outcome.undetermined')).toBe('0');
    });

    it('should count the approved answers sent by purpose and path', () => {
      expect(figures.get('answers.leak_included.agent')).toBe('1');
      expect(figures.get('answers.leak_included.bulk')).toBe('0');
      expect(figures.get('answers.leak_included.status_page')).toBe('1');
      expect(figures.get('answers.leak_included.total')).toBe('2');
      expect(figures.get('answers.leak_not_included.agent')).toBe('1');
      expect(figures.get('answers.leak_not_included.status_page')).toBe('1');
      expect(figures.get('answers.answer.agent')).toBe('0');
      // Two runs of five: the phone ticket without email receives none (issue 15).
      expect(figures.get('answers.answer.bulk')).toBe('10');
      expect(figures.get('answers.answer.status_page')).toBe('0');
      // Issue 13.2: sent as approved (the agent's t1 reply, every bulk reply) or edited (t2).
      expect(figures.get('answers.leak_included.verbatim')).toBe('1');
      expect(figures.get('answers.leak_included.edited')).toBe('0');
      expect(figures.get('answers.leak_not_included.verbatim')).toBe('0');
      expect(figures.get('answers.leak_not_included.edited')).toBe('1');
      expect(figures.get('answers.answer.verbatim')).toBe('10');
      expect(figures.get('answers.answer.edited')).toBe('0');
      // The public page's answers are read, not sent: no row for them.
      expect([...figures.keys()].some((key) => key.startsWith('answers.faq'))).toBe(false);
    });

    it('should count the current determinations by outcome and evidence (issue 13.1)', () => {
      expect(figures.get('determinations.included.verified_email')).toBe('1');
      expect(figures.get('determinations.included.agent')).toBe('1');
      expect(figures.get('determinations.included.total')).toBe('2');
      expect(figures.get('determinations.not_included.verified_email')).toBe('1');
      expect(figures.get('determinations.not_included.agent')).toBe('0');
      expect(figures.get('determinations.state.review_flagged')).toBe('0');
      expect(figures.get('determinations.state.superseded')).toBe('0');
      expect(page).not.toContain('注文番号が一致し');
    });

    it('should count the questions to the merchant and the public page’s views (issues 13.4, 13.6)', () => {
      expect(figures.get('merchant_questions.asked')).toBe('1');
      expect(figures.get('merchant_questions.answered')).toBe('1');
      expect(figures.get('faq.views')).toBe('3');
      expect(figures.get('faq.inquiries_after')).toBe('1');
      expect(page).not.toContain('注文の有無をご確認ください');
      expect(page).not.toContain('注文はありました');
    });

    it('should count superseded versions and the correction run', () => {
      expect(figures.get('corrections.superseded')).toBe('1');
      expect(figures.get('corrections.outdated')).toBe('0');
      expect(figures.get('corrections.runs')).toBe('1');
      expect(figures.get('corrections.sent')).toBe('5');
      expect(figures.get('corrections.skipped')).toBe('0');
      expect(figures.get('corrections.pending')).toBe('0');
      // Each correction names the reply it replaces (【訂正】).
      expect(figures.get('corrections.replies')).toBe('5');
      expect(figures.get(`corrections.template.${templates.answer.id}.version_in_use`)).toBe(
        '第2版',
      );
      expect(figures.get(`corrections.template.${templates.included.id}.superseded`)).toBe('0');
    });

    it('should count hand-backs and SLA attainment', () => {
      expect(figures.get('hand_backs.handed_back')).toBe('1');
      expect(figures.get('hand_backs.still')).toBe('1');
      expect(figures.get('hand_backs.answered')).toBe('1');
      expect(figures.get('hand_backs.reminded')).toBe('0');
      expect(figures.get('sla.first_response.met')).toBe('6');
      expect(figures.get('sla.first_response.breached')).toBe('1');
      expect(figures.get('sla.first_response.pending')).toBe('0');
      expect(figures.get('sla.first_response.share')).toBe('85.7%');
      expect(figures.get('sla.resolution.met')).toBe('1');
      expect(figures.get('sla.resolution.breached')).toBe('0');
      expect(figures.get('sla.resolution.pending')).toBe('5');
    });

    it('should name who opened the incident’s personal data, with counts, and nobody of B', () => {
      expect(figures.get(`access.user.${agentA.id}.views`)).toBe('4');
      expect(figures.get(`access.user.${agentA.id}.tickets_viewed`)).toBe('2');
      expect(figures.get(`access.user.${agentA.id}.exports`)).toBe('0');
      // The case in the portal (t1) and the handed-back case's contact (t6).
      expect(figures.get(`access.user.${adminA.id}.views`)).toBe('2');
      expect(figures.get(`access.user.${adminA.id}.tickets_viewed`)).toBe('2');
      expect(figures.get(`access.user.${adminA.id}.exports`)).toBe('1');
      expect(figures.get(`access.user.${agentA.id}.role`)).toBe('エージェント');
      expect(page).toContain('担当 一郎');
      expect(page).toContain('さくら 管理者');
      expect(page).not.toContain('もみじ 閲覧者');
      expect(figures.get('access.total.views')).toBe('6');
      expect(figures.get('access.total.exports')).toBe('1');
    });

    it('should give the same figures in the CSV as on the page (UTF-8 BOM, formula-safe)', () => {
      expect(csvText.startsWith('\uFEFF')).toBe(true);
      const rows = parseCsv(csvText);
      expect(rows[0]).toEqual(['加盟店コード', '加盟店名', '区分', '項目', 'キー', '値']);
      const fromCsv = csvFigures(rows, tenantA.merchant.code);
      expect(fromCsv.get('report.notice_date')).toBe(noticeA);
      fromCsv.delete('report.notice_date');
      expect(fromCsv.size).toBeGreaterThan(60);
      expect(Object.fromEntries(fromCsv)).toEqual(Object.fromEntries(figures));
      const meta = csvFigures(rows, '');
      expect(meta.get('report.incident')).toBe('2026年11月 決済画面の改ざん');
      expect(meta.get('report.period_from')).toBe(noticeA);
      // A description starting with "=" is not a formula when the file is opened.
      expect(meta.get('report.description')).toMatch(/^'=HYPERLINK/);
      expect(rows.every((r) => r.length === 6)).toBe(true);
    });

    it('should record the view and the export in the audit trail (actor, merchant, target, IP)', async () => {
      const events = await testEnv.dataSource.getRepository(AuditEvent).find({
        where: { actorId: adminA.id, targetType: 'incident', targetId: String(incidentId) },
        order: { id: 'ASC' },
      });
      const viewed = events.filter((e) => e.action === AUDIT_ACTIONS.incidentReportViewed);
      const exported = events.filter((e) => e.action === AUDIT_ACTIONS.incidentReportExported);
      expect(viewed.length).toBeGreaterThanOrEqual(2);
      expect(exported).toHaveLength(1);
      for (const event of [viewed[viewed.length - 1], exported[0]]) {
        expect(event).toMatchObject({ actorType: 'user', merchantId: tenantA.merchant.id });
        expect(event.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
        expect(JSON.parse(event.detail ?? '{}')).toMatchObject({
          merchantIds: [tenantA.merchant.id],
          from: noticeA,
        });
      }
      expect(JSON.parse(exported[0].detail ?? '{}').format).toBe('csv');
    });
  });

  describe('who may read which report', () => {
    it('should answer 404 for another merchant’s incident, a non-affecting one and a missing one, and record nothing', async () => {
      const before = await testEnv.dataSource.getRepository(AuditEvent).count();
      await get(`/portal/incidents/${otherIncidentId}/report`, sessions.adminA).expect(404);
      await get(`/portal/incidents/${otherIncidentId}/report.csv`, sessions.adminA).expect(404);
      await get(`/portal/incidents/${incidentId}/report`, sessions.adminC).expect(404);
      await get(`/portal/incidents/${incidentId}/report.csv`, sessions.adminC).expect(404);
      await get(`/portal/incidents/987654/report`, sessions.adminA).expect(404);
      await get(`/portal/incidents/abc/report`, sessions.adminA).expect(404);
      await get(
        `/supervisor/incidents/${incidentId}/report?merchant=${tenantC.merchant.id}`,
        sessions.supervisor,
      ).expect(404);
      await get(
        `/supervisor/incidents/${incidentId}/report?merchant=x`,
        sessions.supervisor,
      ).expect(404);
      expect(await testEnv.dataSource.getRepository(AuditEvent).count()).toBe(before);
    });

    it('should show a viewer the report without the access section, and refuse agents and merchants on the operator’s pages', async () => {
      const viewer = await get(`/portal/incidents/${incidentId}/report`, sessions.viewerA).expect(
        200,
      );
      expect(pageFigures(viewer.text, tenantA.merchant.code).get('inquiries.state.total')).toBe(
        '7',
      );
      expect(viewer.text).toContain('アクセス履歴を閲覧できる利用者');
      expect(viewer.text).not.toContain('担当 一郎');
      const viewerCsv = await get(
        `/portal/incidents/${incidentId}/report.csv`,
        sessions.viewerA,
      ).expect(200);
      expect(viewerCsv.text).not.toContain('担当 一郎');
      await get(`/portal/incidents/${incidentId}/report`, sessions.agentA).expect(403);
      await get(`/supervisor/incidents/${incidentId}/report`, sessions.agentA).expect(403);
      await get(`/supervisor/incidents/${incidentId}/report.csv`, sessions.agentA).expect(403);
      await get(`/supervisor/incidents/${incidentId}/report`, sessions.adminA).expect(403);
      await get(`/supervisor/incidents/${incidentId}/report.csv`, sessions.adminA).expect(403);
    });
  });

  describe('the operator’s reports', () => {
    it('should show one merchant’s report with the same figures as the merchant’s own', async () => {
      const own = pageFigures(
        (await get(`/portal/incidents/${incidentId}/report`, sessions.adminA).expect(200)).text,
        tenantA.merchant.code,
      );
      const page = await get(
        `/supervisor/incidents/${incidentId}/report?merchant=${tenantA.merchant.id}`,
        sessions.supervisor,
      ).expect(200);
      const operator = pageFigures(page.text, tenantA.merchant.code);
      expect(Object.fromEntries(operator)).toEqual(Object.fromEntries(own));
      expect(page.text).not.toContain(`data-merchant="${tenantB.merchant.code}"`);
      expect(page.text).toContain(
        `href="/supervisor/incidents/${incidentId}/report?merchant=${tenantB.merchant.id}"`,
      );
    });

    it('should show every affected merchant with a section each and the total, page and CSV alike', async () => {
      const page = await get(
        `/supervisor/incidents/${incidentId}/report`,
        sessions.supervisor,
      ).expect(200);
      expect(page.text).toContain('影響を受けた全加盟店');
      expect(page.text).toContain('data-merchant="*"');
      expect(page.text).toContain(`data-merchant="${tenantB.merchant.code}"`);
      expect(page.text).not.toContain(`data-merchant="${tenantC.merchant.code}"`);
      const a = pageFigures(page.text, tenantA.merchant.code);
      const b = pageFigures(page.text, tenantB.merchant.code);
      const total = pageFigures(page.text, '*');
      expect(b.get('inquiries.state.total')).toBe('2');
      expect(b.get('calls.total')).toBe('1');
      expect(b.get('affected_list.values.total')).toBe('0');
      expect(total.get('inquiries.state.total')).toBe('9');
      expect(total.get('inquiries.category.leak_check')).toBe('6');
      expect(total.get('calls.total')).toBe('5');
      expect(total.get('answers.answer.bulk')).toBe(a.get('answers.answer.bulk'));
      expect(total.get('verifications.codes_sent')).toBe('5');
      expect(b.get(`access.user.${supervisor.id}.views`)).toBeUndefined();
      expect(page.text).toContain('もみじ 閲覧者');
      for (const value of [LISTED_EMAIL, B_EMAIL, REQUESTER, refs.b1, refs.t1]) {
        expect({ value, found: page.text.includes(value) }).toEqual({ value, found: false });
      }

      const csv = await get(
        `/supervisor/incidents/${incidentId}/report.csv`,
        sessions.supervisor,
      ).expect(200);
      expect(csv.headers['content-disposition']).toContain(`incident-report-${incidentId}-all-`);
      const rows = parseCsv(csv.text);
      for (const [code, fromPage] of [
        ['*', total],
        [tenantA.merchant.code, pageFigures(page.text, tenantA.merchant.code)],
        [tenantB.merchant.code, b],
      ] as const) {
        const fromCsv = csvFigures(rows, code);
        fromCsv.delete('report.notice_date');
        expect(Object.fromEntries(fromCsv)).toEqual(Object.fromEntries(fromPage));
      }
      const event = await testEnv.dataSource.getRepository(AuditEvent).findOneOrFail({
        where: { actorId: supervisor.id, action: AUDIT_ACTIONS.incidentReportExported },
        order: { id: 'DESC' },
      });
      expect(event.merchantId).toBeNull();
      expect(JSON.parse(event.detail ?? '{}').merchantIds.sort()).toEqual(
        [tenantA.merchant.id, tenantB.merchant.id].sort(),
      );
    });
  });
});
