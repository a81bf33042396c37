import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import { Call } from '@madoguchi/calls';
import { OutboxJob } from '@madoguchi/mail';
import { Queue, Site } from '@madoguchi/tenancy';
import { runTransaction } from '@madoguchi/common';
import { InboundMailService } from '@madoguchi/inbound-mail';
import {
  Attachment,
  InquiryFormToken,
  ReplyAddressService,
  Message,
  mergeNotes,
  MERGE_REFUSALS,
  Ticket,
  type TicketDetail,
} from '@madoguchi/tickets';
import { MERGE_TEXTS } from '../../apps/desk/src/console/ticket/merge.texts';
import { plainPng } from '../support/attachment-fixtures';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { dumpDatabase, startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { composeMail } from '../support/inbound-mail-fixtures';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { withoutWordBreaks } from '../support/word-breaks';

const CLIENT_IP = /^(::ffff:)?127\.0\.0\.1$/;

/** A requester of its own per test, so neither the history nor the receipt cap mixes tests. */
function requester(overrides: Partial<Record<'email' | 'phone' | 'message', string>> = {}) {
  const suffix = randomBytes(4).toString('hex');
  return {
    ...VALID_INQUIRY,
    email: `shopper-${suffix}@example.jp`,
    phone: `090-${String(parseInt(suffix.slice(0, 4), 16) % 10000).padStart(4, '0')}-${String(
      parseInt(suffix.slice(4), 16) % 10000,
    ).padStart(4, '0')}`,
    message: `注文 ${suffix} について確認したいです。`,
    ...overrides,
  };
}

describe(`requester history, duplicates and merge (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  /** A second site of merchant A, and a queue of A that agentA is not a member of. */
  let outletA: Site;
  let otherQueueA: Queue;
  let agentA: LoggedIn;
  let agentAB: LoggedIn;
  let supervisor: LoggedIn;
  let viewerA: LoggedIn;

  const db = () => testEnv.dataSource.manager;
  const ticketOf = (reference: string) => db().findOneByOrFail(Ticket, { reference });

  const submit = async (site: { slug: string }, body: object): Promise<string> => {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${site.slug}/inquiries`)
      .send(body)
      .expect(201);
    return (response.body as { reference: string }).reference;
  };

  const html = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer())
      .get(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html');

  const postForm = (path: string, session: LoggedIn, fields: Record<string, string>) =>
    request(desk.getHttpServer())
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });

  const api = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer()).get(path).set('Cookie', session.cookie);

  const apiMerge = (reference: string, session: LoggedIn, body: Record<string, unknown>) =>
    request(desk.getHttpServer())
      .post(`/api/v1/tickets/${reference}/merge`)
      .set('Cookie', session.cookie)
      .set('X-CSRF-Token', session.csrfToken)
      .send(body);

  const auditOf = (action: string, reference: string) =>
    db().find(AuditEvent, { where: { action, targetId: reference }, order: { id: 'ASC' } });
  const detailOf = (event: AuditEvent | undefined): unknown =>
    typeof event?.detail === 'string' ? JSON.parse(event.detail) : event?.detail;

  /** The form as a shopper's browser gets it: its one-time token. */
  const formToken = async (site: { slug: string }): Promise<string> => {
    const page = await request(intake.getHttpServer()).get(`/s/${site.slug}`).expect(200);
    const token = /name="form_token" value="([^"]+)"/.exec(page.text)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    return token as string;
  };

  /** Posts the form (as a browser: form-encoded) and returns the thank-you page's reference. */
  const postInquiryForm = async (
    site: { slug: string },
    body: ReturnType<typeof requester>,
    token: string | null,
  ): Promise<string> => {
    const response = await request(intake.getHttpServer())
      .post(`/s/${site.slug}`)
      .type('form')
      .send({
        name: body.name,
        email: body.email,
        phone: body.phone,
        category: body.category,
        message: body.message,
        consent: 'on',
        ...(token === null ? {} : { form_token: token }),
      })
      .expect(303);
    const location = new URL(response.headers.location as string, 'http://intake.test');
    expect(location.pathname).toBe(`/s/${site.slug}/thanks`);
    return location.searchParams.get('ref') as string;
  };

  const ticketsOfEmail = async (email: string) => {
    const rows = await db().find(Ticket, { order: { id: 'ASC' } });
    const { BlindIndex } = await import('@madoguchi/crypto');
    const index = desk.get(BlindIndex).email(email);
    return rows.filter((row) => row.requesterEmailIndex === index);
  };

  const mailsOf = async (ticket: Ticket) =>
    db().count(OutboxJob, { where: { ticketId: ticket.id } });

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    const now = new Date();
    outletA = await db().save(
      db().create(Site, {
        ...tenantA.site,
        id: undefined,
        slug: `${tenantA.site.slug}-outlet`,
        displayName: 'さくらアウトレット',
        phoneCode: String(Number(tenantA.site.phoneCode) + 1),
        createdAt: now,
        updatedAt: now,
      }),
    );
    otherQueueA = await db().save(
      db().create(Queue, {
        merchantId: tenantA.merchant.id,
        name: 'second',
        isDefault: false,
        createdAt: now,
      }),
    );
    const ds = testEnv.dataSource;
    const a = await createTestUser(ds, { role: 'agent', queueIds: [tenantA.queue.id] });
    const ab = await createTestUser(ds, {
      role: 'agent',
      queueIds: [tenantA.queue.id, tenantB.queue.id, otherQueueA.id],
    });
    const sup = await createTestUser(ds, { role: 'supervisor' });
    const viewer = await createTestUser(ds, {
      role: 'merchant_viewer',
      merchantId: tenantA.merchant.id,
    });
    agentA = await loginAs(desk, a.email);
    agentAB = await loginAs(desk, ab.email);
    supervisor = await loginAs(desk, sup.email);
    viewerA = await loginAs(desk, viewer.email);
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  describe('requester history', () => {
    it("should list the requester's other tickets of the merchant in the reader's scope only, audited with the view", async () => {
      const shopper = requester();
      const current = await submit(tenantA.site, shopper);
      const sameEmail = await submit(outletA, { ...shopper, phone: undefined });
      const samePhone = await submit(tenantA.site, { ...requester(), phone: shopper.phone });
      const otherMerchant = await submit(tenantB.site, shopper);
      const otherQueue = await submit(tenantA.site, { ...shopper, message: '別件です。' });
      await db().update(Ticket, { reference: otherQueue }, { queueId: otherQueueA.id });
      const stranger = await submit(tenantA.site, requester());

      const asAgentA = await api(`/api/v1/tickets/${current}`, agentA).expect(200);
      const history = (asAgentA.body as TicketDetail).requesterHistory ?? [];
      expect(history.map((item) => [item.reference, item.matchedBy]).sort()).toEqual(
        [
          [sameEmail, ['email']],
          [samePhone, ['phone']],
        ].sort(),
      );
      // Another merchant's ticket of the same shopper never shows, even to an agent of both.
      const asAgentAB = await api(`/api/v1/tickets/${current}`, agentAB).expect(200);
      const wider = ((asAgentAB.body as TicketDetail).requesterHistory ?? []).map(
        (item) => item.reference,
      );
      expect(wider.sort()).toEqual([sameEmail, samePhone, otherQueue].sort());
      expect(wider).not.toContain(otherMerchant);
      expect(wider).not.toContain(stranger);
      expect(JSON.stringify(asAgentAB.body)).not.toContain(otherMerchant);

      const views = await auditOf(AUDIT_ACTIONS.ticketViewed, current);
      expect(detailOf(views.at(-1))).toMatchObject({ requesterHistory: 3 });

      const page = await html(`/tickets/${current}`, agentA).expect(200);
      expect(withoutWordBreaks(page.text)).toContain(MERGE_TEXTS.historyHeading);
      expect(page.text).toContain(`data-reference="${sameEmail}"`);
      expect(page.text).toContain(`data-reference="${samePhone}"`);
      expect(page.text).not.toContain(otherQueue);
      expect(page.text).not.toContain(otherMerchant);
    });
  });

  describe('probable duplicates at intake', () => {
    it('should point a second inquiry of the same requester and site within 24 h to the first', async () => {
      const shopper = requester();
      const first = await submit(tenantA.site, shopper);
      const second = await submit(tenantA.site, { ...shopper, message: '追加で質問です。' });
      const byPhone = await submit(tenantA.site, {
        ...requester(),
        phone: shopper.phone,
        message: '電話番号は同じです。',
      });
      const otherSite = await submit(outletA, shopper);
      const firstRow = await ticketOf(first);

      expect((await ticketOf(first)).probableDuplicateOfId).toBeNull();
      expect((await ticketOf(second)).probableDuplicateOfId).toBe(firstRow.id);
      expect((await ticketOf(byPhone)).probableDuplicateOfId).toBe(firstRow.id);
      expect((await ticketOf(otherSite)).probableDuplicateOfId).toBeNull();

      const detail = await api(`/api/v1/tickets/${second}`, agentA).expect(200);
      expect((detail.body as TicketDetail).probableDuplicateOf).toBe(first);
      const page = await html(`/tickets/${second}`, agentA).expect(200);
      expect(page.text).toContain(`data-probable-duplicate-of="${first}"`);
      expect(page.text).toContain(MERGE_TEXTS.probableDuplicate);

      const list = await html(`/queues/${tenantA.queue.id}`, agentA).expect(200);
      const row = (reference: string) =>
        new RegExp(`data-reference="${reference}"[\\s\\S]*?</tr>`).exec(list.text)?.[0] ?? '';
      expect(row(second)).toContain('data-probable-duplicate');
      expect(row(first)).not.toContain('data-probable-duplicate');
      const items = (await api(`/api/v1/tickets?queue=${tenantA.queue.id}&pageSize=100`, agentA))
        .body as { items: { reference: string; probableDuplicate?: boolean }[] };
      expect(items.items.find((item) => item.reference === second)?.probableDuplicate).toBe(true);
    });

    it('should not point to a ticket older than 24 hours', async () => {
      const shopper = requester();
      const old = await submit(tenantA.site, shopper);
      await db().update(
        Ticket,
        { reference: old },
        { createdAt: new Date(Date.now() - 25 * 3600_000) },
      );
      const fresh = await submit(tenantA.site, { ...shopper, message: '翌日の質問です。' });
      expect((await ticketOf(fresh)).probableDuplicateOfId).toBeNull();
    });
  });

  describe('the form sent twice', () => {
    it('should show the first ticket again for a resubmitted token: no new ticket, no second mail', async () => {
      const shopper = requester();
      const token = await formToken(tenantA.site);
      const first = await postInquiryForm(tenantA.site, shopper, token);
      // Back + 送信 on a page the browser kept: the same token, even with the text changed.
      const again = await postInquiryForm(
        tenantA.site,
        { ...shopper, message: `${shopper.message}（追記）` },
        token,
      );

      expect(again).toBe(first);
      const tickets = await ticketsOfEmail(shopper.email);
      expect(tickets.map((ticket) => ticket.reference)).toEqual([first]);
      expect(await mailsOf(tickets[0])).toBe(1);
      expect(await db().countBy(InquiryFormToken, { ticketId: tickets[0].id })).toBe(1);
      const [resubmitted] = await auditOf(AUDIT_ACTIONS.inquiryResubmitted, first);
      expect(resubmitted).toMatchObject({ actorType: 'end_user', merchantId: tenantA.merchant.id });
      expect(detailOf(resubmitted)).toMatchObject({ matchedBy: 'form_token' });
      expect(resubmitted.ip).toMatch(CLIENT_IP);
      // The token is stored only as its hash.
      expect(await dumpDatabase(testEnv)).not.toContain(token);
    });

    it('should take the same text from the same requester within 30 minutes as the same submission, with a new token', async () => {
      const shopper = requester();
      const first = await postInquiryForm(tenantA.site, shopper, await formToken(tenantA.site));
      // Chromium reloads the form on Back: a new token, the same text.
      const reloaded = await postInquiryForm(
        tenantA.site,
        { ...shopper, message: `  ${shopper.message}\r\n` },
        await formToken(tenantA.site),
      );
      expect(reloaded).toBe(first);
      expect((await ticketsOfEmail(shopper.email)).length).toBe(1);
      const [resubmitted] = await auditOf(AUDIT_ACTIONS.inquiryResubmitted, first);
      expect(detailOf(resubmitted)).toMatchObject({ matchedBy: 'same_text' });

      // Another text is another inquiry (a probable duplicate of the first).
      const other = await postInquiryForm(
        tenantA.site,
        { ...shopper, message: '別の質問です。' },
        await formToken(tenantA.site),
      );
      expect(other).not.toBe(first);
      expect((await ticketOf(other)).probableDuplicateOfId).toBe((await ticketOf(first)).id);
      // The same text after the window, or on another site, is a new inquiry too.
      await db().update(
        Ticket,
        { reference: first },
        { createdAt: new Date(Date.now() - 31 * 60_000) },
      );
      const later = await postInquiryForm(tenantA.site, shopper, await formToken(tenantA.site));
      expect(later).not.toBe(first);
      const outlet = await postInquiryForm(outletA, shopper, await formToken(outletA));
      expect([first, later]).not.toContain(outlet);
    });

    it('should leave the JSON API alone: the same body twice without a key makes two tickets', async () => {
      const shopper = requester();
      const first = await submit(tenantA.site, shopper);
      const second = await submit(tenantA.site, shopper);
      expect(second).not.toBe(first);
    });
  });

  describe('merging', () => {
    /** Two tickets of one shopper at merchant A: the first with a file, a note and a call. */
    async function pair(): Promise<{
      merged: string;
      survivor: string;
      shopper: ReturnType<typeof requester>;
    }> {
      const shopper = requester();
      const response = await request(intake.getHttpServer())
        .post(`/s/${tenantA.site.slug}`)
        .field('name', shopper.name)
        .field('email', shopper.email)
        .field('category', shopper.category)
        .field('message', shopper.message)
        .field('consent', 'on')
        .attach('attachments', plainPng(), 'screenshot.png')
        .expect(303);
      const merged = new URL(response.headers.location as string, 'http://x').searchParams.get(
        'ref',
      ) as string;
      const survivor = await submit(tenantA.site, { ...shopper, message: '前回の続きです。' });
      const version = String((await ticketOf(merged)).version);
      await postForm(`/tickets/${merged}/notes`, agentA, {
        body: '電話で本人確認済み。',
        version,
      }).expect(303);
      const mergedRow = await ticketOf(merged);
      const now = new Date();
      await db().insert(Call, {
        callSid: `CA${randomBytes(16).toString('hex')}`,
        callerIdWithheld: false,
        toNumber: '+81367447492',
        status: 'completed',
        merchantId: tenantA.merchant.id,
        ticketId: mergedRow.id,
        createdAt: now,
        updatedAt: now,
      });
      return { merged, survivor, shopper };
    }

    const versions = async (merged: string, survivor: string) => ({
      version: String((await ticketOf(merged)).version),
      intoVersion: String((await ticketOf(survivor)).version),
    });

    it('should move the conversation, files and calls to the survivor and close the merged ticket, audited on both', async () => {
      const { merged, survivor, shopper } = await pair();
      const before = await ticketOf(merged);
      const ownMessages = await db().find(Message, { where: { ticketId: before.id } });
      expect(ownMessages).toHaveLength(2);

      const pick = await html(`/tickets/${merged}/merge`, agentA).expect(200);
      expect(pick.text).toContain(`/tickets/${merged}/merge?into=${survivor}`);
      const confirm = await html(`/tickets/${merged}/merge?into=${survivor}`, agentA).expect(200);
      expect(confirm.text).toContain('data-merge-side="merge-merged"');
      expect(confirm.text).toContain('data-merge-side="merge-survivor"');
      expect(confirm.text).toContain(MERGE_TEXTS.related);
      expect(confirm.text).not.toContain(shopper.email);

      const done = await postForm(`/tickets/${merged}/merge`, agentA, {
        into: survivor,
        ...(await versions(merged, survivor)),
      }).expect(303);
      expect(done.headers.location).toBe(`/tickets/${survivor}?done=merged`);

      const closed = await ticketOf(merged);
      const kept = await ticketOf(survivor);
      expect(closed).toMatchObject({ status: 'closed', mergedIntoId: kept.id, slaDueAt: null });
      expect(closed.mergedAt).toBeInstanceOf(Date);
      expect(closed.resolvedAt).toBeNull();
      for (const message of ownMessages) {
        expect(await db().findOneByOrFail(Message, { id: message.id })).toMatchObject({
          ticketId: kept.id,
          mergedFromTicketId: closed.id,
        });
      }
      const left = await db().find(Message, { where: { ticketId: closed.id } });
      expect(left.map((message) => message.kind)).toEqual(['system']);
      expect(await db().countBy(Attachment, { ticketId: closed.id })).toBe(0);
      expect(await db().countBy(Attachment, { ticketId: kept.id })).toBe(1);
      expect(await db().countBy(Call, { ticketId: closed.id })).toBe(0);
      expect(await db().countBy(Call, { ticketId: kept.id })).toBe(1);

      const [mergedEvent] = await auditOf(AUDIT_ACTIONS.ticketMerged, merged);
      const [receivedEvent] = await auditOf(AUDIT_ACTIONS.ticketMergeReceived, survivor);
      for (const event of [mergedEvent, receivedEvent]) {
        expect(event).toMatchObject({ actorType: 'user', merchantId: tenantA.merchant.id });
        expect(event.ip).toMatch(CLIENT_IP);
      }
      expect(detailOf(mergedEvent)).toMatchObject({
        into: survivor,
        messages: 2,
        attachments: 1,
        calls: 1,
        determinations: 0,
      });
      expect(detailOf(receivedEvent)).toMatchObject({ from: merged, messages: 2 });

      // The survivor shows where each moved message came from; the merged ticket is read-only.
      const detail = (await api(`/api/v1/tickets/${survivor}`, agentA).expect(200))
        .body as TicketDetail;
      const moved = detail.messages.filter((message) => message.mergedFrom === merged);
      expect(moved).toHaveLength(2);
      expect(detail.messages.some((m) => m.body === mergeNotes.received(closed))).toBe(true);
      const mergedDetail = (await api(`/api/v1/tickets/${merged}`, agentA).expect(200))
        .body as TicketDetail;
      expect(mergedDetail.mergedInto).toBe(survivor);
      expect(mergedDetail.allowedStatuses).toEqual([]);
      const mergedPage = await html(`/tickets/${merged}`, agentA).expect(200);
      expect(mergedPage.text).toContain(`data-merged-into="${survivor}"`);
      expect(mergedPage.text).toContain(`href="/tickets/${survivor}"`);
      expect(mergedPage.text).not.toContain(`/tickets/${merged}/replies`);
      expect(mergedPage.text).not.toContain(`href="/tickets/${merged}/merge"`);
      // A reply to the merged ticket is refused.
      await postForm(`/tickets/${merged}/notes`, agentA, {
        body: 'まだ書けますか',
        version: String(closed.version),
      }).expect(409);
      const survivorPage = await html(`/tickets/${survivor}?done=merged`, agentA).expect(200);
      expect(survivorPage.text).toContain('お問い合わせを統合しました');
      expect(survivorPage.text).toContain(`data-merged-from="${merged}"`);
    });

    it("should answer the merged ticket's old status link with 303 to the survivor's status page", async () => {
      const shopper = requester();
      const intakeServer = intake.getHttpServer();
      const first = await request(intakeServer)
        .post(`/api/v1/sites/${tenantA.site.slug}/inquiries`)
        .send(shopper)
        .expect(201);
      const second = await request(intakeServer)
        .post(`/api/v1/sites/${tenantA.site.slug}/inquiries`)
        .send({ ...shopper, message: '二通目です。' })
        .expect(201);
      const merged = (first.body as { reference: string }).reference;
      const survivor = (second.body as { reference: string }).reference;
      const oldPath = new URL((first.body as { statusUrl: string }).statusUrl).pathname;
      const survivorPath = new URL((second.body as { statusUrl: string }).statusUrl).pathname;

      await apiMerge(merged, agentA, { into: survivor }).expect(200);

      const redirect = await request(intakeServer).get(oldPath).expect(303);
      expect(redirect.headers.location).toBe(survivorPath);
      const page = await request(intakeServer).get(survivorPath).expect(200);
      expect(page.text).toContain(shopper.message);
      expect(page.text).toContain('二通目です。');
    });

    it("should add a mail to the merged ticket's reply address to the survivor", async () => {
      const { merged, survivor } = await pair();
      const mergedRow = await ticketOf(merged);
      const to = await runTransaction(testEnv.dataSource, (manager) =>
        intake.get(ReplyAddressService).addressFor(manager, mergedRow, 'requester'),
      );
      await apiMerge(merged, agentA, { into: survivor }).expect(200);

      const raw = await composeMail({
        from: `山田 花子 <reply-${randomBytes(4).toString('hex')}@example.jp>`,
        to,
        subject: 'Re: お問い合わせを受け付けました',
        text: '統合後の追記です。MERGED-REPLY-7',
      });
      const outcome = await intake.get(InboundMailService).ingest(raw, {
        transport: 'smtp',
        envelopeTo: [to],
        remoteIp: '127.0.0.1',
      });
      const kept = await ticketOf(survivor);
      expect(outcome).toEqual({ kind: 'reply', ticketId: kept.id, reference: survivor });
      const detail = (await api(`/api/v1/tickets/${survivor}`, agentA).expect(200))
        .body as TicketDetail;
      expect(detail.messages.at(-1)).toMatchObject({ kind: 'customer' });
      expect(detail.messages.at(-1)?.body).toContain('MERGED-REPLY-7');
    });

    it("should refuse another merchant's ticket as the survivor with 404, never naming it, and change nothing", async () => {
      const shopper = requester();
      const mine = await submit(tenantA.site, shopper);
      const theirs = await submit(tenantB.site, shopper);
      const before = await dumpDatabase(testEnv);

      const response = await apiMerge(mine, agentAB, { into: theirs }).expect(404);
      expect(response.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      expect(JSON.stringify(response.body)).not.toContain(theirs);
      const page = await postForm(`/tickets/${mine}/merge`, agentAB, {
        into: theirs,
        version: '1',
        intoVersion: '1',
      }).expect(404);
      expect(page.text).not.toContain(theirs);
      const confirm = await html(`/tickets/${mine}/merge?into=${theirs}`, agentAB).expect(404);
      expect(confirm.text).not.toContain(`data-merge-side`);
      // The other direction too: B's ticket merged into A's.
      await apiMerge(theirs, agentAB, { into: mine }).expect(404);
      // An agent without B's queue gets the same answer as for an unknown reference.
      await apiMerge(mine, agentA, { into: theirs }).expect(404);
      await apiMerge(mine, agentA, { into: 'ZZZZ-ZZZZ' }).expect(404);

      const after = JSON.parse(await dumpDatabase(testEnv)) as Record<string, unknown[]>;
      const was = JSON.parse(before) as Record<string, unknown[]>;
      // Only the confirm page's pick view was read (an audited view); nothing else changed.
      expect(after.tickets).toEqual(was.tickets);
      expect(after.messages).toEqual(was.messages);
    });

    it('should refuse a stale version of either ticket with 409 and change nothing', async () => {
      const { merged, survivor } = await pair();
      const stale = await versions(merged, survivor);
      await postForm(`/tickets/${survivor}/notes`, agentA, {
        body: '先に更新します。',
        version: String((await ticketOf(survivor)).version),
      }).expect(303);

      const page = await postForm(`/tickets/${merged}/merge`, agentA, {
        into: survivor,
        ...stale,
      }).expect(409);
      expect(page.text).toContain('console-alert');
      const response = await apiMerge(merged, agentA, {
        into: survivor,
        version: Number(stale.version),
        intoVersion: Number(stale.intoVersion),
      }).expect(409);
      expect(response.body).toMatchObject({ code: 'STALE_VERSION' });
      expect((await ticketOf(merged)).mergedIntoId).toBeNull();
      expect(await auditOf(AUDIT_ACTIONS.ticketMerged, merged)).toHaveLength(0);
    });

    it('should refuse tickets that share no email or phone (409 with the reason) unless a supervisor confirms', async () => {
      const one = await submit(tenantA.site, requester());
      const other = await submit(tenantA.site, requester());

      const refused = await apiMerge(one, agentA, { into: other }).expect(409);
      expect(refused.body).toMatchObject({
        code: 'MERGE_REQUESTER_MISMATCH',
        message: MERGE_REFUSALS.unrelated,
      });
      // An agent's confirmation does not count.
      await apiMerge(one, agentA, { into: other, confirmUnrelated: true }).expect(409);
      const agentConfirm = await html(`/tickets/${one}/merge?into=${other}`, agentA).expect(200);
      expect(agentConfirm.text).toContain(MERGE_TEXTS.unrelatedNeedsSupervisor);
      expect(agentConfirm.text).not.toContain(`action="/tickets/${one}/merge"`);
      expect((await ticketOf(one)).mergedIntoId).toBeNull();

      const supervisorConfirm = await html(`/tickets/${one}/merge?into=${other}`, supervisor);
      expect(supervisorConfirm.text).toContain(MERGE_TEXTS.confirmUnrelatedLabel);
      const merged = await apiMerge(one, supervisor, {
        into: other,
        confirmUnrelated: true,
      }).expect(200);
      expect(merged.body).toMatchObject({
        merged: { reference: one, status: 'closed' },
        survivor: { reference: other },
      });
      const [event] = await auditOf(AUDIT_ACTIONS.ticketMerged, one);
      expect(detailOf(event)).toMatchObject({ unrelatedConfirmed: true });
    });

    it('should refuse a merge into or of a finished ticket, a merge into itself, and merchant users', async () => {
      const { merged, survivor } = await pair();
      await apiMerge(merged, agentA, { into: merged }).expect(400);
      await apiMerge(merged, viewerA, { into: survivor }).expect(403);
      await apiMerge(merged, agentA, { into: survivor }).expect(200);
      const again = await apiMerge(merged, agentA, { into: survivor }).expect(409);
      expect(again.body).toMatchObject({ code: 'MERGE_REFUSED' });
      const into = await apiMerge(survivor, agentA, { into: merged }).expect(409);
      expect(into.body).toMatchObject({ code: 'MERGE_REFUSED' });
    });

    it('should list a merged ticket in the history with where it went', async () => {
      const { merged, survivor } = await pair();
      await apiMerge(merged, agentA, { into: survivor }).expect(200);
      const detail = (await api(`/api/v1/tickets/${survivor}`, agentA).expect(200))
        .body as TicketDetail;
      expect(detail.requesterHistory).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ reference: merged, status: 'closed', mergedInto: survivor }),
        ]),
      );
    });
  });
});
