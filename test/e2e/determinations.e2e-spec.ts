import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { Not } from 'typeorm';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { AnswerTemplateService, IncidentService } from '@madoguchi/incidents';
import { OutboxJob, OutboxWorker } from '@madoguchi/mail';
import {
  AffectedListService,
  AffectedListUpload,
  BulkSend,
  BulkSendItem,
  BulkSendService,
  TicketDetermination,
  TicketDeterminationService,
} from '@madoguchi/incident-response';
import { Message, Ticket } from '@madoguchi/tickets';
import { type TenantScope } from '@madoguchi/tenancy';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { waitUntil } from '../support/wait-until';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';

const IP = '192.0.2.131';
const LISTED = 'listed.determination@example.jp';
const INCLUDED_BODY = '{{name}} 様: お客様の情報は今回の流出の対象に含まれていました。';
const NOT_INCLUDED_BODY = '{{name}} 様: お客様の情報は今回の流出の対象に含まれていませんでした。';
const REASON = '注文番号 ORD-7781 が一致し、電話で生年月日を確認した';

/**
 * Issue 13.1, "determinations only from evidence": a determination is its own record (who,
 * when, evidence, list upload); leak answers go only to tickets whose current determination
 * matches, by every path (agent reply HTML and API, bulk send, status page); a list re-upload
 * flags contradicted determinations and never changes them.
 */
describe(`determinations only from evidence (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let smtp: SmtpTestServer;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let shopA: TestTenant;
  let shopB: TestTenant;
  let agentA: User;
  let agentB: User;
  let supervisor: User;
  let adminA: User;
  let incidentId: number;
  let includedVersionId: number;
  let notIncludedVersionId: number;
  let includedTemplateId: number;
  let notIncludedTemplateId: number;
  let agentLogin: LoggedIn;

  const manager = () => testEnv.dataSource.manager;
  const scopeOfA = () => ({
    kind: 'merchant' as const,
    userId: adminA.id,
    merchantId: shopA.merchant.id,
  });
  const staffScope = (): TenantScope => ({ kind: 'staff', userId: supervisor.id, queueIds: 'all' });

  /** What a refused write must leave as it was. */
  async function counts(): Promise<Record<string, number>> {
    return {
      messages: await manager().count(Message),
      outbox: await manager().count(OutboxJob),
      audit: await manager().countBy(AuditEvent, { action: Not('ticket.viewed') }),
      determinations: await manager().count(TicketDetermination),
      bulkSends: await manager().count(BulkSend),
      bulkItems: await manager().count(BulkSendItem),
    };
  }

  async function inquiry(
    tenant: TestTenant,
    email: string,
    name = '確認 花子',
  ): Promise<{ reference: string; path: string }> {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({
        name,
        email,
        category: 'leak_check',
        message: '私の情報は含まれていますか。',
        consent: true,
      })
      .expect(201);
    return {
      reference: response.body.reference as string,
      path: new URL(response.body.statusUrl as string).pathname,
    };
  }

  /** The end user asks for a code, reads it from the mail and enters it. */
  async function verifyOnStatusPage(path: string, email: string): Promise<string> {
    const before = smtp.messages.length;
    await request(intake.getHttpServer())
      .post(`${path}/leak-check`)
      .type('form')
      .send({})
      .expect(303);
    await desk.get(OutboxWorker).drainOnce();
    const codeMail = () =>
      smtp.messages
        .slice(before)
        .find((m) => m.envelopeTo[0] === email && /確認コード：\d{6}/.test(m.text));
    await waitUntil(() => codeMail() !== undefined);
    const code = /確認コード：(\d{6})/.exec(codeMail()?.text ?? '')?.[1] as string;
    const page = await request(intake.getHttpServer())
      .post(`${path}/leak-check/verify`)
      .type('form')
      .send({ code })
      .expect(200);
    return page.text;
  }

  const ticketOf = (reference: string) => manager().findOneByOrFail(Ticket, { reference });
  const currentOf = async (reference: string) =>
    manager().findOneBy(TicketDetermination, { currentTicketId: (await ticketOf(reference)).id });

  async function uploadList(mode: 'replace' | 'add', csv: string): Promise<number> {
    const report = await desk
      .get(AffectedListService)
      .upload(
        scopeOfA(),
        incidentId,
        { userId: adminA.id, ip: IP },
        { mode, file: Buffer.from(csv) },
      );
    return report.uploadId;
  }

  const apiPost = (session: LoggedIn, path: string, body: object) =>
    request(desk.getHttpServer())
      .post(path)
      .set('Cookie', session.cookie)
      .set('x-csrf-token', session.csrfToken)
      .send(body);

  function agentDetermines(reference: string, outcome: string, reason = REASON) {
    return apiPost(agentLogin, `/api/v1/tickets/${reference}/determinations`, { outcome, reason });
  }

  /** An API reply with an approved answer, on the ticket's current version; expects `status`. */
  async function apiReply(reference: string, versionId: number, status: number) {
    const ticket = await ticketOf(reference);
    return apiPost(agentLogin, `/api/v1/tickets/${reference}/replies`, {
      body: '照合結果のご連絡です。',
      answerVersionId: versionId,
      version: ticket.version,
    }).expect(status);
  }

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: smtp.url,
    });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv, { SMTP_URL: smtp.url });
    shopA = await createTestTenant(testEnv.dataSource, { merchantName: 'あおば商店' });
    shopB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    const operator = await createTestUser(testEnv.dataSource, { role: 'admin' });
    supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
    agentA = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [shopA.queue.id],
      displayName: '判定 担当',
    });
    agentB = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [shopB.queue.id],
    });
    adminA = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: shopA.merchant.id,
    });
    const staff = { userId: operator.id, ip: IP };
    incidentId = (
      await desk.get(IncidentService).create(
        {
          title: '2026年11月 不正アクセス',
          description: '決済画面の改ざん',
          leakedItems: 'メールアドレス',
          merchants: [
            { merchantId: shopA.merchant.id, affected: true },
            { merchantId: shopB.merchant.id, affected: true },
          ],
        },
        staff,
      )
    ).id;
    const templates = desk.get(AnswerTemplateService);
    for (const [purpose, body] of [
      ['leak_included', INCLUDED_BODY],
      ['leak_not_included', NOT_INCLUDED_BODY],
    ] as const) {
      const template = await templates.create(incidentId, { title: purpose, purpose, body }, staff);
      await templates.decide(
        testMerchantScope(shopA.merchant.id),
        template.versions[0].id,
        { decision: 'approved' },
        { userId: adminA.id, ip: IP },
      );
      if (purpose === 'leak_included') {
        includedVersionId = template.versions[0].id;
        includedTemplateId = template.id;
      } else {
        notIncludedVersionId = template.versions[0].id;
        notIncludedTemplateId = template.id;
      }
    }
    await uploadList('replace', `email\n${LISTED}\nsomeone.else@example.jp\n`);
    agentLogin = await loginAs(desk, agentA.email);
    // Migrations on MariaDB and two apps on a shared machine can take longer than the default.
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  describe('an agent’s determination', () => {
    it('should refuse a determination without a reason (HTML and API) with 400 and write nothing', async () => {
      const ticket = await inquiry(shopA, 'no.reason@example.jp');
      const before = await counts();
      const page = await request(desk.getHttpServer())
        .post(`/tickets/${ticket.reference}/determinations`)
        .set('Cookie', agentLogin.cookie)
        .type('form')
        .send({ _csrf: agentLogin.csrfToken, outcome: 'included', reason: '   ' })
        .expect(400);
      expect(page.text).toContain('判定の根拠を入力してください。');
      const api = await agentDetermines(ticket.reference, 'included', '').expect(400);
      expect(JSON.stringify(api.body)).toContain('reason');
      await agentDetermines(ticket.reference, 'maybe').expect(400);
      expect(await counts()).toEqual(before);
    });

    it('should record it with who, when, the reason (sealed at rest) and the list upload, audited without the reason', async () => {
      const ticket = await inquiry(shopA, 'phone.checked@example.jp');
      const response = await request(desk.getHttpServer())
        .post(`/tickets/${ticket.reference}/determinations`)
        .set('Cookie', agentLogin.cookie)
        .type('form')
        .send({ _csrf: agentLogin.csrfToken, outcome: 'included', reason: REASON })
        .expect(303);
      expect(response.headers.location).toBe(`/tickets/${ticket.reference}?done=determined`);
      const row = await currentOf(ticket.reference);
      const newestUpload = await manager().findOneOrFail(AffectedListUpload, {
        where: { incidentId, merchantId: shopA.merchant.id },
        order: { id: 'DESC' },
      });
      expect(row).toMatchObject({
        outcome: 'included',
        evidence: 'agent',
        actorType: 'user',
        decidedByUserId: agentA.id,
        incidentId,
        merchantId: shopA.merchant.id,
        listUploadId: newestUpload.id,
        reviewFlaggedAt: null,
      });
      expect(row?.reason).toMatch(/^enc1:/);
      expect(row?.reason).not.toContain('ORD-7781');
      const audits = await manager().findBy(AuditEvent, {
        action: 'determination.recorded',
        targetId: ticket.reference,
      });
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        actorType: 'user',
        actorId: agentA.id,
        merchantId: shopA.merchant.id,
        targetType: 'ticket',
      });
      expect(audits[0]?.ip).not.toBeNull();
      expect(audits[0]?.detail).not.toContain('ORD-7781');
      expect(JSON.parse(audits[0]?.detail ?? '{}')).toMatchObject({
        outcome: 'included',
        evidence: 'agent',
        listUploadId: newestUpload.id,
      });

      // The agent sees it on the ticket page, with the reason and the notice.
      const page = await request(desk.getHttpServer())
        .get(`/tickets/${ticket.reference}?done=determined`)
        .set('Cookie', agentLogin.cookie)
        .expect(200);
      expect(page.text).toContain('data-determination="included"');
      expect(page.text).toContain('data-determination-evidence="agent"');
      expect(page.text).toContain(REASON);
      expect(page.text).toContain('判定 担当');
      // The merchant sees it on the portal case page and in the ticket's JSON.
      const merchant = await loginAs(desk, adminA.email);
      const portal = await request(desk.getHttpServer())
        .get(`/portal/cases/${ticket.reference}`)
        .set('Cookie', merchant.cookie)
        .expect(200);
      expect(portal.text).toContain('data-determination="included"');
      expect(portal.text).toContain(REASON);
      expect(portal.text).not.toContain('data-determination-form');
      const json = await request(desk.getHttpServer())
        .get(`/api/v1/tickets/${ticket.reference}`)
        .set('Cookie', merchant.cookie)
        .expect(200);
      expect(json.body.determination.current).toMatchObject({
        outcome: 'included',
        evidence: 'agent',
        reason: REASON,
        actor: 'user',
        decidedBy: { id: agentA.id },
        listUpload: { id: newestUpload.id },
        review: null,
      });
      expect(json.body.determination.allows).toEqual({
        leak_included: true,
        leak_not_included: false,
      });
      // A merchant user cannot record one (403), and nothing is written.
      const before = await counts();
      await apiPost(merchant, `/api/v1/tickets/${ticket.reference}/determinations`, {
        outcome: 'not_included',
        reason: '加盟店の判断',
      }).expect(403);
      expect(await counts()).toEqual(before);
    });

    it('should supersede the current determination and keep the older one in the history', async () => {
      const ticket = await inquiry(shopA, 'changed.mind@example.jp');
      await agentDetermines(ticket.reference, 'included').expect(201);
      const second = await agentDetermines(
        ticket.reference,
        'not_included',
        '加盟店に確認し、注文は別人のものと判明',
      ).expect(201);
      expect(second.body.current).toMatchObject({ outcome: 'not_included', supersededAt: null });
      expect(second.body.history).toHaveLength(2);
      expect(second.body.history[1]).toMatchObject({ outcome: 'included' });
      expect(second.body.history[1].supersededAt).not.toBeNull();
      const rows = await manager().findBy(TicketDetermination, {
        ticketId: (await ticketOf(ticket.reference)).id,
      });
      expect(rows).toHaveLength(2);
      expect(rows.filter((row) => row.currentTicketId !== null)).toHaveLength(1);
    });

    it("should answer 404 for another merchant's ticket and write nothing", async () => {
      const ticketOfB = await inquiry(shopB, 'other.shop@example.jp');
      const merchantA = await loginAs(desk, adminA.email);
      const before = await counts();
      await agentDetermines(ticketOfB.reference, 'included').expect(404);
      await request(desk.getHttpServer())
        .post(`/tickets/${ticketOfB.reference}/determinations`)
        .set('Cookie', agentLogin.cookie)
        .type('form')
        .send({ _csrf: agentLogin.csrfToken, outcome: 'included', reason: REASON })
        .expect(404);
      await request(desk.getHttpServer())
        .get(`/api/v1/tickets/${ticketOfB.reference}/determinations`)
        .set('Cookie', merchantA.cookie)
        .expect(404);
      expect(await counts()).toEqual(before);
      // B's own agent may.
      const b = await loginAs(desk, agentB.email);
      await apiPost(b, `/api/v1/tickets/${ticketOfB.reference}/determinations`, {
        outcome: 'not_included',
        reason: '電話で確認',
      }).expect(201);
    });
  });

  describe('the status page’s verified check', () => {
    it('should write the evidence-based determination (on the list: included) and show the answer through it', async () => {
      const ticket = await inquiry(shopA, LISTED, '掲載 花子');
      const page = await verifyOnStatusPage(ticket.path, LISTED);
      expect(page).toContain('掲載 花子 様: お客様の情報は今回の流出の対象に含まれていました。');
      const row = await currentOf(ticket.reference);
      expect(row).toMatchObject({
        outcome: 'included',
        evidence: 'verified_email_on_list',
        actorType: 'end_user',
        decidedByUserId: null,
        reason: null,
      });
      expect(row?.listUploadId).not.toBeNull();
      const audits = await manager().findBy(AuditEvent, {
        action: 'determination.recorded',
        targetId: ticket.reference,
      });
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actorType: 'end_user', merchantId: shopA.merchant.id });
      expect(audits[0]?.ip).not.toBeNull();
    });

    it('should write "not included" for a verified email missing from a list that holds emails', async () => {
      const email = 'unlisted.verified@example.jp';
      const ticket = await inquiry(shopA, email, '未掲載 太郎');
      const page = await verifyOnStatusPage(ticket.path, email);
      expect(page).toContain(
        '未掲載 太郎 様: お客様の情報は今回の流出の対象に含まれていませんでした。',
      );
      expect(await currentOf(ticket.reference)).toMatchObject({
        outcome: 'not_included',
        evidence: 'verified_email_not_on_list',
      });
    });

    it('should not override an agent’s other determination: it is flagged and the end user gets the neutral text', async () => {
      const ticket = await inquiry(shopA, LISTED, '担当判定 花子');
      await agentDetermines(ticket.reference, 'not_included').expect(201);
      const page = await verifyOnStatusPage(ticket.path, LISTED);
      expect(page).not.toContain('含まれていました');
      expect(page).not.toContain('含まれていませんでした');
      const row = await currentOf(ticket.reference);
      expect(row).toMatchObject({ outcome: 'not_included', evidence: 'agent' });
      expect(row?.reviewReason).toBe('verification_differs');
    });
  });

  describe('replies with a leak answer', () => {
    it('should refuse leak_included to an undetermined ticket with 409 and write nothing (API and HTML)', async () => {
      const ticket = await inquiry(shopA, 'undetermined@example.jp');
      const before = await counts();
      const api = await apiReply(ticket.reference, includedVersionId, 409);
      expect(api.body.code).toBe('DETERMINATION_MISMATCH');
      const row = await ticketOf(ticket.reference);
      const page = await request(desk.getHttpServer())
        .post(`/tickets/${ticket.reference}/replies`)
        .set('Cookie', agentLogin.cookie)
        .type('form')
        .send({
          _csrf: agentLogin.csrfToken,
          version: String(row.version),
          body: '照合結果のご連絡です。',
          answerVersionId: String(includedVersionId),
        })
        .expect(409);
      expect(page.text).toContain('判定がまだありません');
      expect(await counts()).toEqual(before);
      expect((await ticketOf(ticket.reference)).version).toBe(row.version);
    });

    it('should refuse leak_included to a not_included ticket and leak_not_included to an included one', async () => {
      const ticket = await inquiry(shopA, 'mismatch@example.jp');
      await agentDetermines(ticket.reference, 'not_included').expect(201);
      const before = await counts();
      const refused = await apiReply(ticket.reference, includedVersionId, 409);
      expect(refused.body.code).toBe('DETERMINATION_MISMATCH');
      expect(await counts()).toEqual(before);
      // The matching answer goes out: a message with the version, a mail, an audit event.
      await apiReply(ticket.reference, notIncludedVersionId, 201);
      const after = await counts();
      expect(after.messages).toBe(before.messages + 1);
      expect(after.outbox).toBe(before.outbox + 1);
      const other = await inquiry(shopA, 'mismatch2@example.jp');
      await agentDetermines(other.reference, 'included').expect(201);
      const snapshot = await counts();
      await apiReply(other.reference, notIncludedVersionId, 409);
      expect(await counts()).toEqual(snapshot);
      await apiReply(other.reference, includedVersionId, 201);
    });
  });

  describe('a list re-upload', () => {
    it('should flag contradicted evidence-based determinations for review and never change them', async () => {
      const listed = await inquiry(shopA, LISTED, '再掲載 花子');
      await verifyOnStatusPage(listed.path, LISTED);
      const unlistedEmail = 'later.listed@example.jp';
      const unlisted = await inquiry(shopA, unlistedEmail, '後日 掲載');
      await verifyOnStatusPage(unlisted.path, unlistedEmail);
      const agentMade = await inquiry(shopA, 'agent.made@example.jp');
      await agentDetermines(agentMade.reference, 'included').expect(201);
      expect(await currentOf(listed.reference)).toMatchObject({ outcome: 'included' });
      expect(await currentOf(unlisted.reference)).toMatchObject({ outcome: 'not_included' });

      // Add: the unlisted email is now on the list.
      const added = await uploadList('add', `email\n${unlistedEmail}\n`);
      const afterAdd = await currentOf(unlisted.reference);
      expect(afterAdd).toMatchObject({
        outcome: 'not_included',
        evidence: 'verified_email_not_on_list',
        reviewReason: 'email_now_on_list',
        reviewUploadId: added,
      });
      // Replace: the listed email is no longer on it.
      const replaced = await uploadList(
        'replace',
        `email\n${unlistedEmail}\nsomeone.else@example.jp\n`,
      );
      const afterReplace = await currentOf(listed.reference);
      expect(afterReplace).toMatchObject({
        outcome: 'included',
        evidence: 'verified_email_on_list',
        reviewReason: 'email_no_longer_on_list',
        reviewUploadId: replaced,
      });
      expect(afterReplace?.reviewFlaggedAt).toBeInstanceOf(Date);
      // The agent's determination rests on its reason, not on the list.
      expect(await currentOf(agentMade.reference)).toMatchObject({ reviewFlaggedAt: null });
      const flags = await manager().findBy(AuditEvent, { action: 'determination.review_flagged' });
      const flagged = flags.filter((e) =>
        [listed.reference, unlisted.reference].includes(e.targetId ?? ''),
      );
      expect(flagged).toHaveLength(2);
      expect(
        flagged.every((e) => e.actorId === adminA.id && e.merchantId === shopA.merchant.id),
      ).toBe(true);

      // Flagged: no leak answer of either kind until an agent records a new determination.
      const before = await counts();
      const refused = await apiReply(listed.reference, includedVersionId, 409);
      expect(refused.body.message).toContain('見直し');
      await apiReply(listed.reference, notIncludedVersionId, 409);
      expect(await counts()).toEqual(before);
      const state = await desk
        .get(TicketDeterminationService)
        .forTicket(scopeOfA(), listed.reference);
      expect(state.current?.review).toMatchObject({ reason: 'email_no_longer_on_list' });
      expect(state.allows).toEqual({ leak_included: false, leak_not_included: false });
      const portal = await loginAs(desk, adminA.email);
      const page = await request(desk.getHttpServer())
        .get(`/portal/cases/${listed.reference}`)
        .set('Cookie', portal.cookie)
        .expect(200);
      expect(page.text).toContain('data-determination="review"');
      expect(page.text).toContain('data-determination-review="email_no_longer_on_list"');

      // Flagged tickets are listed: the API's and the portal's determination filter.
      const listedForReview = await request(desk.getHttpServer())
        .get('/api/v1/tickets')
        .query({ determination: 'review', pageSize: 100 })
        .set('Cookie', agentLogin.cookie)
        .expect(200);
      const references = (listedForReview.body.items as { reference: string }[]).map(
        (item) => item.reference,
      );
      expect(references).toEqual(expect.arrayContaining([listed.reference, unlisted.reference]));
      expect(references).not.toContain(agentMade.reference);
      const portalList = await request(desk.getHttpServer())
        .get('/portal/cases')
        .query({ determination: 'review' })
        .set('Cookie', portal.cookie)
        .expect(200);
      expect(portalList.text).toContain(listed.reference);
      expect(portalList.text).not.toContain(agentMade.reference);

      const confirmed = await agentDetermines(
        listed.reference,
        'not_included',
        '更新後のリストで対象外と確認',
      ).expect(201);
      expect(confirmed.body.current).toMatchObject({ outcome: 'not_included', review: null });
      await apiReply(listed.reference, notIncludedVersionId, 201);
    });
  });

  describe('bulk sends of a leak answer', () => {
    let included: string;
    let notIncluded: string;
    let undetermined: string;
    let flagged: string;

    beforeAll(async () => {
      // Only this block's tickets stay open in the incident: earlier ones are closed first.
      await manager()
        .createQueryBuilder()
        .update(Ticket)
        .set({ status: 'closed' })
        .where('merchant_id = :merchantId', { merchantId: shopA.merchant.id })
        .execute();
      included = (await inquiry(shopA, 'bulk.included@example.jp', '一括 含む')).reference;
      await agentDetermines(included, 'included').expect(201);
      notIncluded = (await inquiry(shopA, 'bulk.not@example.jp')).reference;
      await agentDetermines(notIncluded, 'not_included').expect(201);
      undetermined = (await inquiry(shopA, 'bulk.none@example.jp')).reference;
      const flaggedTicket = await inquiry(shopA, 'someone.else@example.jp');
      await verifyOnStatusPage(flaggedTicket.path, 'someone.else@example.jp');
      flagged = flaggedTicket.reference;
      await uploadList('replace', `email\nnobody@example.jp\n`);
      expect(await currentOf(flagged)).toMatchObject({ outcome: 'included' });
      expect((await currentOf(flagged))?.reviewFlaggedAt).not.toBeNull();
      await desk.get(OutboxWorker).drainOnce();
      smtp.reset();
    });

    it('should preview only tickets proved included, each with its evidence, and count the rest by reason', async () => {
      const preview = await desk.get(BulkSendService).preview(staffScope(), {
        merchantId: shopA.merchant.id,
        templateId: includedTemplateId,
        selection: 'incident_open',
      });
      expect(preview.count).toBe(1);
      expect(preview.sample).toEqual([
        expect.objectContaining({
          reference: included,
          evidence: expect.objectContaining({ outcome: 'included', evidence: 'agent' }),
        }),
      ]);
      expect(preview.determination).toMatchObject({
        required: 'included',
        excluded: { undetermined: 1, outcome_differs: 1, review_flagged: 1 },
        excludedTotal: 3,
      });
      const session = await loginAs(desk, supervisor.email);
      const page = await request(desk.getHttpServer())
        .get('/supervisor/bulk-sends/preview')
        .query({
          merchantId: shopA.merchant.id,
          templateId: includedTemplateId,
          selection: 'incident_open',
        })
        .set('Cookie', session.cookie)
        .expect(200);
      expect(page.text).toContain('name="expectedCount" value="1"');
      expect(page.text).toContain('data-bulk-evidence');
      expect(page.text).toContain(`data-reference="${included}"`);
      expect(page.text).toContain('data-excluded-total="3"');
      for (const reference of [notIncluded, undetermined, flagged]) {
        expect(page.text).toContain(`data-reference="${reference}"`);
      }
    });

    it('should refuse a run no selected ticket’s determination allows (409) and start nothing', async () => {
      // A's not_included answer, once the only ticket that says not_included is closed.
      await manager().update(Ticket, { reference: notIncluded }, { status: 'closed' });
      const session = await loginAs(desk, supervisor.email);
      const before = await counts();
      const refused = await request(desk.getHttpServer())
        .post('/supervisor/bulk-sends')
        .set('Cookie', session.cookie)
        .type('form')
        .send({
          _csrf: session.csrfToken,
          merchantId: String(shopA.merchant.id),
          templateId: String(notIncludedTemplateId),
          selection: 'incident_open',
          expectedCount: '3',
        })
        .expect(409);
      expect(refused.text).toContain('この回答に合う判定がありません');
      await expect(
        desk.get(BulkSendService).start(
          staffScope(),
          {
            merchantId: shopA.merchant.id,
            templateId: notIncludedTemplateId,
            selection: 'incident_open',
            expectedCount: 3,
          },
          { userId: supervisor.id, ip: IP },
        ),
      ).rejects.toMatchObject({ code: 'DETERMINATION_MISMATCH' });
      expect(await counts()).toEqual(before);
      await manager().update(Ticket, { reference: notIncluded }, { status: 'open' });
    });

    it('should send leak_included only to the ticket proved included, and skip one whose determination changed meanwhile', async () => {
      const bulk = desk.get(BulkSendService);
      const late = (await inquiry(shopA, 'bulk.late@example.jp')).reference;
      await agentDetermines(late, 'included').expect(201);
      const runId = await bulk.start(
        staffScope(),
        {
          merchantId: shopA.merchant.id,
          templateId: includedTemplateId,
          selection: 'incident_open',
          expectedCount: 2,
        },
        { userId: supervisor.id, ip: IP },
      );
      const items = await manager().find(BulkSendItem, {
        where: { bulkSendId: runId },
        relations: { ticket: true },
        order: { id: 'ASC' },
      });
      expect(items.map((item) => item.ticket?.reference).sort()).toEqual([included, late].sort());
      // After the start, an agent changes the late ticket's determination: its item is skipped.
      await agentDetermines(late, 'not_included', '電話で再確認し対象外').expect(201);
      for (let i = 0; i < 10 && (await bulk.processBatch(5)) > 0; i += 1);
      await desk.get(OutboxWorker).drainOnce();
      const done = await manager().find(BulkSendItem, {
        where: { bulkSendId: runId },
        relations: { ticket: true },
      });
      const byReference = new Map(done.map((item) => [item.ticket?.reference, item]));
      expect(byReference.get(included)?.state).toBe('sent');
      expect(byReference.get(late)).toMatchObject({
        state: 'skipped',
        skipReason: 'determination_mismatch',
      });
      await waitUntil(() => smtp.messages.some((m) => m.text.includes('含まれていました')));
      const answers = smtp.messages.filter((m) => m.text.includes('含まれていました'));
      expect(answers.map((mail) => mail.envelopeTo[0])).toEqual(['bulk.included@example.jp']);
      expect(answers[0]?.text).toContain(
        '一括 含む 様: お客様の情報は今回の流出の対象に含まれていました。',
      );
      for (const reference of [notIncluded, undetermined, flagged, late]) {
        const replies = await manager().countBy(Message, {
          ticketId: (await ticketOf(reference)).id,
          answerVersionId: includedVersionId,
        });
        expect(replies).toBe(0);
      }
    });
  });

  describe('review findings', () => {
    it('should not let a new status-page check replace or show a determination flagged for review', async () => {
      const email = 'reverify.flagged@example.jp';
      await uploadList('add', `email\n${email}\n`);
      const ticket = await inquiry(shopA, email, '再照合 花子');
      expect(await verifyOnStatusPage(ticket.path, email)).toContain('含まれていました');
      await uploadList('replace', `email\nnobody.else@example.jp\n`);
      const flaggedRow = await currentOf(ticket.reference);
      expect(flaggedRow).toMatchObject({
        outcome: 'included',
        reviewReason: 'email_no_longer_on_list',
      });
      const determinations = await manager().count(TicketDetermination);
      // The new list says "not included", but only an agent may end the review.
      const page = await verifyOnStatusPage(ticket.path, email);
      expect(page).not.toContain('含まれていませんでした');
      expect(page).not.toContain('含まれていました');
      expect(await manager().count(TicketDetermination)).toBe(determinations);
      expect(await currentOf(ticket.reference)).toMatchObject({
        id: flaggedRow?.id,
        outcome: 'included',
        reviewReason: 'email_no_longer_on_list',
      });
    });

    it('should not show another incident’s answer on a determination made for an earlier incident', async () => {
      const email = 'earlier.incident@example.jp';
      await uploadList('add', `email\n${email}\n`);
      const ticket = await inquiry(shopA, email, '前回 花子');
      // A ticket filed before incident mode: its incident is the newest one affecting the shop.
      await manager().update(Ticket, { reference: ticket.reference }, { incidentId: null });
      expect(await verifyOnStatusPage(ticket.path, email)).toContain('含まれていました');
      expect(await currentOf(ticket.reference)).toMatchObject({ incidentId, outcome: 'included' });
      const staff = { userId: supervisor.id, ip: IP };
      const secondId = (
        await desk.get(IncidentService).create(
          {
            title: '2026年12月 別の不正アクセス',
            description: '別件',
            leakedItems: '電話番号',
            merchants: [{ merchantId: shopA.merchant.id, affected: true }],
          },
          staff,
        )
      ).id;
      const template = await desk.get(AnswerTemplateService).create(
        secondId,
        {
          title: '別件 含む',
          purpose: 'leak_included',
          body: '別件でもお客様の情報は含まれていました。',
        },
        staff,
      );
      await desk
        .get(AnswerTemplateService)
        .decide(
          testMerchantScope(shopA.merchant.id),
          template.versions[0].id,
          { decision: 'approved' },
          { userId: adminA.id, ip: IP },
        );
      // The second incident has no list yet: nothing proves anything about it.
      const page = await verifyOnStatusPage(ticket.path, email);
      expect(page).not.toContain('別件でもお客様の情報は含まれていました。');
      expect(page).not.toContain('含まれていました');
    });

    it('should check a reply carrying a leak answer’s text without its version id like the answer itself', async () => {
      const ticket = await inquiry(shopA, 'pasted.answer@example.jp', '貼付 花子');
      const row = await ticketOf(ticket.reference);
      const before = await counts();
      const pasted = await apiPost(agentLogin, `/api/v1/tickets/${ticket.reference}/replies`, {
        body: '  貼付 花子 様:\nお客様の情報は今回の流出の対象に含まれていました。 ',
        version: row.version,
      }).expect(409);
      expect(pasted.body.code).toBe('DETERMINATION_MISMATCH');
      expect(await counts()).toEqual(before);
      expect((await ticketOf(ticket.reference)).version).toBe(row.version);
      await agentDetermines(ticket.reference, 'included').expect(201);
      const determined = await ticketOf(ticket.reference);
      await apiPost(agentLogin, `/api/v1/tickets/${ticket.reference}/replies`, {
        body: '貼付 花子 様: お客様の情報は今回の流出の対象に含まれていませんでした。',
        version: determined.version,
      }).expect(409);
      await apiPost(agentLogin, `/api/v1/tickets/${ticket.reference}/replies`, {
        body: '貼付 花子 様: お客様の情報は今回の流出の対象に含まれていました。',
        version: determined.version,
      }).expect(201);
    });
  });
});
