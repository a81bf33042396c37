import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import {
  AnswerApproval,
  AnswerTemplate,
  AnswerTemplateVersion,
  Incident,
  IncidentMerchant,
} from '@madoguchi/incidents';
import { OutboxJob } from '@madoguchi/mail';
import { Message, Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

type Fields = Record<string, string | string[]>;

/** A form body with repeated fields (`merchant=1&merchant=2`), as a browser sends it. */
function formBody(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  return params.toString();
}

describe(`incidents: admin, portal approvals, console answers, filters (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let shopA: TestTenant;
  let shopB: TestTenant;
  let shopC: TestTenant;
  let admin: LoggedIn;
  let supervisor: LoggedIn;
  let agent: LoggedIn;
  let adminA: LoggedIn;
  let viewerA: LoggedIn;
  let adminB: LoggedIn;
  let adminC: LoggedIn;
  let incidentId: number;
  let templateId: number;
  let version1Id: number;
  let version2Id: number;

  const ds = () => testEnv.dataSource.manager;
  const get = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer())
      .get(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html');
  const postForm = (path: string, fields: Fields, session: LoggedIn) =>
    request(desk.getHttpServer())
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send(formBody({ _csrf: session.csrfToken, ...fields }));
  const api = (session: LoggedIn) => ({
    get: (path: string) =>
      request(desk.getHttpServer())
        .get(path)
        .set('Cookie', session.cookie)
        .set('Accept', 'application/json'),
    post: (path: string, body: object) =>
      request(desk.getHttpServer())
        .post(path)
        .set('Cookie', session.cookie)
        .set('Accept', 'application/json')
        .set('x-csrf-token', session.csrfToken)
        .send(body),
  });

  const incidentForm = (overrides: Fields = {}): Fields => ({
    title: '2026年11月 決済画面の改ざん',
    description: '決済画面が改ざんされ、入力情報が外部に送信されました。',
    leakedItems: '氏名、メールアドレス、電話番号、カード番号の一部',
    occurredFrom: '2026-10-01',
    occurredTo: '2026-11-10',
    merchant: [String(shopA.merchant.id), String(shopB.merchant.id), String(shopC.merchant.id)],
    [`affected_${shopA.merchant.id}`]: 'yes',
    [`noticeDate_${shopA.merchant.id}`]: '2026-11-20',
    [`affected_${shopB.merchant.id}`]: 'yes',
    [`noticeDate_${shopB.merchant.id}`]: '',
    [`noticeDate_${shopC.merchant.id}`]: '',
    ...overrides,
  });

  const counts = async () => ({
    incidents: await ds().count(Incident),
    lines: await ds().count(IncidentMerchant),
    templates: await ds().count(AnswerTemplate),
    versions: await ds().count(AnswerTemplateVersion),
    approvals: await ds().count(AnswerApproval),
    messages: await ds().count(Message),
    outbox: await ds().count(OutboxJob),
    audit: await ds().count(AuditEvent),
  });

  const inquiry = async (tenant: TestTenant): Promise<Ticket> => {
    const created = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    return ds().findOneByOrFail(Ticket, {
      reference: (created.body as { reference: string }).reference,
    });
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    shopA = await createTestTenant(testEnv.dataSource, { merchantName: 'あかね商店' });
    shopB = await createTestTenant(testEnv.dataSource, { merchantName: 'ぶなの木工房' });
    shopC = await createTestTenant(testEnv.dataSource, { merchantName: 'ちどり書店' });
    const user = (options: Parameters<typeof createTestUser>[1]) =>
      createTestUser(testEnv.dataSource, options).then((created) => loginAs(desk, created.email));
    admin = await user({ role: 'admin' });
    supervisor = await user({ role: 'supervisor' });
    agent = await user({
      role: 'agent',
      displayName: '窓口 一郎',
      queueIds: [shopA.queue.id, shopB.queue.id, shopC.queue.id],
    });
    adminA = await user({ role: 'merchant_admin', merchantId: shopA.merchant.id });
    viewerA = await user({ role: 'merchant_viewer', merchantId: shopA.merchant.id });
    adminB = await user({ role: 'merchant_admin', merchantId: shopB.merchant.id });
    adminC = await user({ role: 'merchant_admin', merchantId: shopC.merchant.id });
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('recording an incident (admin)', () => {
    it('should refuse an agent and a merchant user (403)', async () => {
      await get('/admin/incidents', agent).expect(403);
      await get('/admin/incidents', adminA).expect(403);
      const before = await counts();
      await postForm('/admin/incidents', incidentForm(), agent).expect(403);
      expect(await counts()).toEqual(before);
    });

    it('should refuse bad input with errors beside the fields and store nothing', async () => {
      const before = await counts();
      const response = await postForm(
        '/admin/incidents',
        incidentForm({
          title: '  ',
          occurredFrom: '2026-02-30',
          [`noticeDate_${shopA.merchant.id}`]: '2026/11/20',
        }),
        admin,
      ).expect(400);
      expect(response.text).toContain('id="f-title-error"');
      expect(response.text).toContain('id="f-occurredFrom-error"');
      expect(response.text).toContain('通知日は YYYY-MM-DD の形式で入力してください。');
      // What was typed comes back.
      expect(response.text).toContain('2026/11/20');
      expect(await counts()).toEqual(before);
    });

    it('should record an incident with each merchant’s line, audited, for a supervisor too', async () => {
      await get('/admin/incidents', supervisor).expect(200);
      const created = await postForm('/admin/incidents', incidentForm(), supervisor).expect(303);
      const incident = await ds().findOneByOrFail(Incident, {
        title: '2026年11月 決済画面の改ざん',
      });
      incidentId = incident.id;
      expect(created.headers.location).toBe(`/admin/incidents/${incidentId}?done=incidentCreated`);
      const lines = await ds().find(IncidentMerchant, {
        where: { incidentId },
        order: { merchantId: 'ASC' },
      });
      expect(lines.map((line) => [line.merchantId, line.affected, line.noticeDate])).toEqual([
        [shopA.merchant.id, true, '2026-11-20'],
        [shopB.merchant.id, true, null],
        [shopC.merchant.id, false, null],
      ]);
      expect(await ds().countBy(AuditEvent, { action: 'incident.created' })).toBe(1);
      const page = await get(`/admin/incidents/${incidentId}`, admin).expect(200);
      expect(page.text).toContain('value="2026-11-20"');
      expect(page.text).toContain('value="2026-10-01"');
    });

    it('should edit an incident and audit it', async () => {
      await postForm(
        `/admin/incidents/${incidentId}`,
        incidentForm({ leakedItems: '氏名、メールアドレス' }),
        admin,
      ).expect(303);
      expect((await ds().findOneByOrFail(Incident, { id: incidentId })).leakedItems).toBe(
        '氏名、メールアドレス',
      );
      expect(await ds().countBy(AuditEvent, { action: 'incident.updated' })).toBe(1);
      await get('/admin/incidents/987654', admin).expect(404);
    });
  });

  describe('answer templates', () => {
    it('should refuse a body with an unknown placeholder (field error) and store nothing', async () => {
      const before = await counts();
      const response = await postForm(
        `/admin/incidents/${incidentId}/templates`,
        { title: '流出した情報', purpose: 'answer', body: '{{nmae}} 様 {{ order }}' },
        admin,
      ).expect(400);
      expect(response.text).toContain('id="f-new-template-body-error"');
      expect(response.text).toContain('{{nmae}}');
      expect(response.text).toContain('{{order}}');
      expect(await counts()).toEqual(before);
      await postForm(
        `/admin/incidents/${incidentId}/templates`,
        { title: '用途なし', purpose: 'poem', body: '本文' },
        admin,
      ).expect(400);
      expect(await counts()).toEqual(before);
    });

    it('should add a template as version 1 and write each edit as a new, immutable version', async () => {
      await postForm(
        `/admin/incidents/${incidentId}/templates`,
        {
          title: '流出した情報について',
          purpose: 'answer',
          body: '{{name}} 様\n{{merchant}}でございます。受付番号 {{reference}} のお問い合わせにお答えします（第1版）。',
        },
        admin,
      ).expect(303);
      const template = await ds().findOneByOrFail(AnswerTemplate, { incidentId });
      templateId = template.id;
      const v1 = await ds().findOneByOrFail(AnswerTemplateVersion, { templateId, version: 1 });
      version1Id = v1.id;

      const bad = await postForm(
        `/admin/incidents/templates/${templateId}`,
        { title: template.title, body: '{{ merchant_name }} です' },
        admin,
      ).expect(400);
      expect(bad.text).toContain(`id="f-t${templateId}-body-error"`);
      expect(await ds().countBy(AnswerTemplateVersion, { templateId })).toBe(1);

      await postForm(
        `/admin/incidents/templates/${templateId}`,
        {
          title: template.title,
          body: '{{name}} 様\n{{merchant}}でございます。受付番号 {{reference}} のお問い合わせにお答えします（第2版）。',
        },
        admin,
      ).expect(303);
      const versions = await ds().find(AnswerTemplateVersion, {
        where: { templateId },
        order: { version: 'ASC' },
      });
      expect(versions.map((version) => version.version)).toEqual([1, 2]);
      expect(versions[0].body).toBe(v1.body);
      version2Id = versions[1].id;
      expect(await ds().countBy(AuditEvent, { action: 'answer_template.created' })).toBe(1);
      expect(await ds().countBy(AuditEvent, { action: 'answer_template.edited' })).toBe(1);
    });
  });

  describe('approvals in the portal', () => {
    const decide = (versionId: number, fields: Fields, session: LoggedIn) =>
      postForm(`/portal/incidents/versions/${versionId}/decision`, fields, session);

    it('should list the incident for an affected merchant only', async () => {
      const list = await get('/portal/incidents', adminA).expect(200);
      expect(list.text).toContain('2026年11月 決済画面の改ざん');
      const none = await get('/portal/incidents', adminC).expect(200);
      expect(none.text).not.toContain('2026年11月 決済画面の改ざん');
      await get(`/portal/incidents/${incidentId}`, adminC).expect(404);
      const page = await get(`/portal/incidents/${incidentId}`, viewerA).expect(200);
      expect(page.text).toContain('（第2版）');
      expect(page.text).not.toContain('この版を承認する');
    });

    it('should refuse a merchant_viewer’s approval (403) and write nothing', async () => {
      const before = await counts();
      await decide(version1Id, { decision: 'approved' }, viewerA).expect(403);
      expect(await counts()).toEqual(before);
    });

    it('should answer 404 for a version of an incident that does not affect the merchant, and write nothing', async () => {
      const before = await counts();
      await decide(version1Id, { decision: 'approved' }, adminC).expect(404);
      await decide(987654, { decision: 'approved' }, adminA).expect(404);
      expect(await counts()).toEqual(before);
    });

    it('should require a comment to request changes', async () => {
      const before = await counts();
      const response = await decide(
        version2Id,
        { decision: 'changes_requested', comment: '' },
        adminA,
      ).expect(400);
      expect(response.text).toContain(`id="f-comment-${version2Id}-error"`);
      expect(await counts()).toEqual(before);
    });

    it('should record a request for changes and an approval, audited, shown to the operator per merchant', async () => {
      await decide(
        version1Id,
        { decision: 'changes_requested', comment: '窓口の営業時間を追記してください。' },
        adminA,
      ).expect(303);
      const approved = await decide(version1Id, { decision: 'approved' }, adminB).expect(303);
      expect(approved.headers.location).toContain(`/portal/incidents/${incidentId}?done=approved`);
      await decide(version2Id, { decision: 'approved' }, adminA).expect(303);
      const rows = await ds().find(AnswerApproval, { order: { id: 'ASC' } });
      expect(rows.map((row) => [row.versionId, row.merchantId, row.decision])).toEqual([
        [version1Id, shopA.merchant.id, 'changes_requested'],
        [version1Id, shopB.merchant.id, 'approved'],
        [version2Id, shopA.merchant.id, 'approved'],
      ]);
      expect(await ds().countBy(AuditEvent, { action: 'answer_version.approved' })).toBe(2);
      expect(await ds().countBy(AuditEvent, { action: 'answer_version.changes_requested' })).toBe(
        1,
      );
      // Each decision names the merchant, the deciding user, the template and the client's IP.
      const decision = await ds().findOneOrFail(AuditEvent, {
        where: { action: 'answer_version.changes_requested' },
      });
      expect(decision).toMatchObject({
        actorType: 'user',
        merchantId: shopA.merchant.id,
        targetType: 'answer_template',
        targetId: String(templateId),
      });
      expect(decision.actorId).not.toBeNull();
      expect(decision.ip).toMatch(/127\.0\.0\.1/);
      const created = await ds().findOneOrFail(AuditEvent, {
        where: { action: 'incident.created' },
      });
      expect(created).toMatchObject({ targetType: 'incident', targetId: String(incidentId) });
      expect(created.ip).toMatch(/127\.0\.0\.1/);
      const page = await get(`/admin/incidents/${incidentId}`, supervisor).expect(200);
      expect(page.text).toContain('窓口の営業時間を追記してください。');
      expect(page.text).toContain('承認済み');
      expect(page.text).toContain('修正依頼');
      // A's own page shows A's decisions only, never B's.
      const own = await get(`/portal/incidents/${incidentId}`, adminA).expect(200);
      expect(own.text).not.toContain('ぶなの木工房');
    });
  });

  describe('answers in the console and the API', () => {
    let ticketA: Ticket;
    let ticketB: Ticket;
    let ticketC: Ticket;

    beforeAll(async () => {
      ticketA = await inquiry(shopA);
      ticketB = await inquiry(shopB);
      ticketC = await inquiry(shopC);
    });

    it('should link new inquiries of affected merchants to the incident at intake', () => {
      expect(ticketA.incidentId).toBe(incidentId);
      expect(ticketB.incidentId).toBe(incidentId);
      expect(ticketC.incidentId).toBeNull();
    });

    it('should offer each ticket only its merchant’s approved version, filled in', async () => {
      const pageA = await get(`/tickets/${ticketA.reference}`, agent).expect(200);
      expect(pageA.text).toContain('2026年11月 決済画面の改ざん');
      expect(pageA.text).toContain('流出した情報について（第2版・一般の回答）');
      expect(pageA.text).not.toContain('（第1版・');
      const pageB = await get(`/tickets/${ticketB.reference}`, agent).expect(200);
      expect(pageB.text).toContain('流出した情報について（第1版・一般の回答）');
      expect(pageB.text).not.toContain('（第2版・');
      const pageC = await get(`/tickets/${ticketC.reference}`, agent).expect(200);
      expect(pageC.text).not.toContain('name="answer"');

      const inserted = await get(
        `/tickets/${ticketA.reference}?answer=${version2Id}`,
        agent,
      ).expect(200);
      expect(inserted.text).toContain(`name="answerVersionId" value="${version2Id}"`);
      expect(inserted.text).toContain(
        `${VALID_INQUIRY.name} 様\nあかね商店でございます。受付番号 ${ticketA.reference} のお問い合わせにお答えします（第2版）。`,
      );
      // B's approved version is not inserted into A's ticket.
      const refused = await get(`/tickets/${ticketA.reference}?answer=${version1Id}`, agent).expect(
        200,
      );
      expect(refused.text).not.toContain('name="answerVersionId"');
    });

    it('should refuse a reply with a version not approved for the ticket’s merchant (409) and write nothing', async () => {
      // The re-rendered page is an audited view of the ticket; nothing else may be written.
      const { audit: _audit, ...before } = await counts();
      const replied = await ds().countBy(AuditEvent, { action: 'ticket.replied' });
      const current = await ds().findOneByOrFail(Ticket, { id: ticketA.id });
      const response = await postForm(
        `/tickets/${ticketA.reference}/replies`,
        {
          body: '第1版の回答',
          version: String(current.version),
          nextStatus: 'pending_customer',
          answerVersionId: String(version1Id),
        },
        agent,
      ).expect(409);
      expect(response.text).toContain('承認されていません');
      const garbled = await postForm(
        `/tickets/${ticketA.reference}/replies`,
        { body: '回答', version: String(current.version), answerVersionId: 'abc' },
        agent,
      ).expect(409);
      expect(garbled.text).toContain('承認されていません');
      const viaApi = await api(agent)
        .post(`/api/v1/tickets/${ticketC.reference}/replies`, {
          body: '回答',
          answerVersionId: version2Id,
        })
        .expect(409);
      expect(viaApi.body.code).toBe('ANSWER_NOT_APPROVED');
      const { audit: _after, ...after } = await counts();
      expect(after).toEqual(before);
      expect(await ds().countBy(AuditEvent, { action: 'ticket.replied' })).toBe(replied);
      expect((await ds().findOneByOrFail(Ticket, { id: ticketA.id })).version).toBe(
        current.version,
      );
    });

    it('should record the approved version on a reply sent from the console', async () => {
      const current = await ds().findOneByOrFail(Ticket, { id: ticketA.id });
      await postForm(
        `/tickets/${ticketA.reference}/replies`,
        {
          body: '承認済みの回答（第2版）',
          version: String(current.version),
          nextStatus: 'pending_customer',
          answerVersionId: String(version2Id),
        },
        agent,
      ).expect(303);
      const reply = await ds().findOneOrFail(Message, {
        where: { ticketId: ticketA.id, kind: 'reply' },
        order: { id: 'DESC' },
      });
      expect(reply.answerVersionId).toBe(version2Id);
      const audit = await ds().findOneOrFail(AuditEvent, {
        where: { action: 'ticket.replied', targetId: ticketA.reference },
        order: { id: 'DESC' },
      });
      expect(JSON.parse(audit.detail ?? '{}')).toMatchObject({ answerVersionId: version2Id });
      const page = await get(`/tickets/${ticketA.reference}`, agent).expect(200);
      // The text sent is not the approved text filled in: recorded as based on v2, edited.
      expect(page.text).toContain('承認済み回答 v2（編集あり）');
    });

    it('should list and record approved answers through the REST API', async () => {
      const listed = await api(agent)
        .get(`/api/v1/tickets/${ticketB.reference}/approved-answers`)
        .expect(200);
      expect(listed.body).toEqual([
        expect.objectContaining({
          versionId: version1Id,
          version: 1,
          purpose: 'answer',
          filledBody: expect.stringContaining(
            `ぶなの木工房でございます。受付番号 ${ticketB.reference}`,
          ),
        }),
      ]);
      await api(adminA).get(`/api/v1/tickets/${ticketB.reference}/approved-answers`).expect(404);
      const sent = await api(agent)
        .post(`/api/v1/tickets/${ticketB.reference}/replies`, {
          body: listed.body[0].filledBody,
          answerVersionId: version1Id,
        })
        .expect(201);
      expect(sent.body.reference).toBe(ticketB.reference);
      const reply = await ds().findOneOrFail(Message, {
        where: { ticketId: ticketB.id, kind: 'reply' },
        order: { id: 'DESC' },
      });
      expect(reply.answerVersionId).toBe(version1Id);
      const detail = await api(agent).get(`/api/v1/tickets/${ticketB.reference}`).expect(200);
      expect(detail.body.incident).toEqual({
        id: incidentId,
        title: '2026年11月 決済画面の改ざん',
      });
      const docs = await request(desk.getHttpServer()).get('/api/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).toContain(
        '/api/v1/tickets/{reference}/approved-answers',
      );
    });
  });

  describe('filter by incident and the receivers of an older version', () => {
    it('should filter the console queue and the portal case list by incident', async () => {
      const unlinked = await inquiry(shopA);
      expect(unlinked.incidentId).toBe(incidentId);
      // A ticket of A without the incident (linked before the incident existed, say).
      await ds().update(Ticket, { id: unlinked.id }, { incidentId: null });
      const queue = await get(
        `/queues/${shopA.queue.id}?incident=${incidentId}&status=all`,
        agent,
      ).expect(200);
      expect(queue.text).toContain('name="incident"');
      expect(queue.text).not.toContain(unlinked.reference);
      const linkedA = await ds().findBy(Ticket, { merchantId: shopA.merchant.id, incidentId });
      for (const ticket of linkedA) expect(queue.text).toContain(ticket.reference);
      const all = await get(`/queues/${shopA.queue.id}?status=all`, agent).expect(200);
      expect(all.text).toContain(unlinked.reference);

      const portal = await get(`/portal/cases?incident=${incidentId}&status=all`, adminA).expect(
        200,
      );
      expect(portal.text).not.toContain(unlinked.reference);
      for (const ticket of linkedA) expect(portal.text).toContain(ticket.reference);
      const casePage = await get(`/portal/cases/${linkedA[0].reference}`, viewerA).expect(200);
      expect(casePage.text).toContain(`href="/portal/incidents/${incidentId}"`);
      const apiList = await api(adminA)
        .get(`/api/v1/tickets?incident=${incidentId}&status=new,open,pending_customer`)
        .expect(200);
      expect(
        (apiList.body.items as { merchantId: number }[]).every(
          (item) => item.merchantId === shopA.merchant.id,
        ),
      ).toBe(true);
      await api(agent).get('/api/v1/tickets?incident=abc').expect(400);
    });

    it('should list the receivers of an older version to supervisors and to the merchant (own only)', async () => {
      // B's ticket got version 1 (approved by B). A new version 3, approved by B, makes it outdated.
      await postForm(
        `/admin/incidents/templates/${templateId}`,
        { title: '流出した情報について', body: '{{name}} 様\n訂正したご案内です（第3版）。' },
        admin,
      ).expect(303);
      const v3 = await ds().findOneByOrFail(AnswerTemplateVersion, { templateId, version: 3 });
      await postForm(
        `/portal/incidents/versions/${v3.id}/decision`,
        { decision: 'approved' },
        adminB,
      ).expect(303);
      const ticketsOfB = await ds().findBy(Ticket, { merchantId: shopB.merchant.id });
      const listed = await get(
        `/admin/incidents/templates/${templateId}/outdated`,
        supervisor,
      ).expect(200);
      let receivers = 0;
      for (const ticket of ticketsOfB) {
        const gotV1 = await ds().existsBy(Message, {
          ticketId: ticket.id,
          answerVersionId: version1Id,
        });
        if (gotV1) {
          receivers += 1;
          expect(listed.text).toContain(ticket.reference);
        }
      }
      expect(receivers).toBeGreaterThan(0);
      const ticketsOfA = await ds().findBy(Ticket, { merchantId: shopA.merchant.id });
      // A's tickets got version 2, which is still A's newest approved version.
      for (const ticket of ticketsOfA) expect(listed.text).not.toContain(ticket.reference);

      const ownB = await get(`/portal/incidents/templates/${templateId}/outdated`, adminB).expect(
        200,
      );
      expect(ownB.text).toContain('第1版');
      const ownA = await get(`/portal/incidents/templates/${templateId}/outdated`, adminA).expect(
        200,
      );
      for (const ticket of ticketsOfB) expect(ownA.text).not.toContain(ticket.reference);
      await get(`/portal/incidents/templates/${templateId}/outdated`, adminC).expect(404);
      await get(`/admin/incidents/templates/${templateId}/outdated`, agent).expect(403);
    });
  });
});
