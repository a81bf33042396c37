import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { OutboxJob } from '@madoguchi/mail';
import { CannedResponse, Message, Ticket } from '@madoguchi/tickets';
import { TICKET_TEXTS } from '../../apps/desk/src/console/ticket/ticket.texts';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { QUEUE_TEXTS } from '../../apps/desk/src/console/queue/queue.texts';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const HOUR = 3_600_000;

describe(`agent console pages (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let agent: User;
  let agentSession: LoggedIn;

  const server = () => desk.getHttpServer();

  /** An inquiry through the real intake API; returns its reference. */
  const submitInquiry = async (
    tenant: TestTenant,
    overrides: Record<string, unknown> = {},
  ): Promise<string> => {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, ...overrides })
      .expect(201);
    return (response.body as { reference: string }).reference;
  };

  const ticketOf = (reference: string) =>
    testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });

  const setSlaDue = (reference: string, due: Date) =>
    testEnv.dataSource.manager.update(Ticket, { reference }, { slaDueAt: due });

  const get = (path: string, session: LoggedIn = agentSession) =>
    request(server()).get(path).set('Cookie', session.cookie).set('Accept', 'text/html');

  const postForm = (
    path: string,
    fields: Record<string, string>,
    session: LoggedIn = agentSession,
  ) =>
    request(server())
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send(fields);

  const messagesOf = async (reference: string) => {
    const ticket = await ticketOf(reference);
    return testEnv.dataSource.manager.find(Message, {
      where: { ticketId: ticket.id },
      order: { id: 'ASC' },
    });
  };

  /** References in the order the queue table lists them. */
  const listedReferences = (html: string): string[] =>
    [...html.matchAll(/data-reference="([^"]+)"/g)].map((match) => match[1]);

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenantA.queue.id],
      displayName: '佐藤 一郎',
    });
    agentSession = await loginAs(desk, agent.email);
  });

  afterAll(async () => {
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  describe('queues', () => {
    let tenant: TestTenant;
    let session: LoggedIn;
    const refs: Record<'later' | 'breached' | 'soon', string> = {
      later: '',
      breached: '',
      soon: '',
    };

    beforeAll(async () => {
      tenant = await createTestTenant(testEnv.dataSource, { merchantName: 'かえで商店' });
      const user = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      session = await loginAs(desk, user.email);
      refs.later = await submitInquiry(tenant, { category: 'payment' });
      refs.breached = await submitInquiry(tenant);
      refs.soon = await submitInquiry(tenant);
      const now = Date.now();
      await setSlaDue(refs.later, new Date(now + 72 * HOUR));
      await setSlaDue(refs.breached, new Date(now - HOUR));
      await setSlaDue(refs.soon, new Date(now + 0.5 * HOUR));
    });

    it('should show the overview with counts of only the queues the agent works', async () => {
      const response = await get('/', session).expect(200);

      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.text).toContain(`href="/queues/${tenant.queue.id}"`);
      expect(response.text).toContain('かえで商店');
      expect(response.text).not.toContain('さくら商店');
      const row =
        new RegExp(`data-queue-id="${tenant.queue.id}"[\\s\\S]*?</tr>`).exec(response.text)?.[0] ??
        '';
      const numbers = [...row.matchAll(/class="num">(?:<[^>]+>)?(\d+)/g)].map((m) => Number(m[1]));
      // new, open, pending, unassigned, breached, due soon
      expect(numbers).toEqual([3, 0, 0, 3, 1, 1]);
    });

    it('should list the queue by SLA due, labelling breached and due-soon rows in words', async () => {
      const response = await get(`/queues/${tenant.queue.id}`, session).expect(200);

      expect(listedReferences(response.text)).toEqual([refs.breached, refs.soon, refs.later]);
      const rowOf = (reference: string) =>
        new RegExp(`<tr class="([^"]+)" data-reference="${reference}"[\\s\\S]*?</tr>`).exec(
          response.text,
        ) ?? [''];
      expect(rowOf(refs.breached)[0]).toContain(SHARED_TEXTS.sla.breached);
      expect(rowOf(refs.breached)[1]).toContain('ticket-row--breached');
      expect(rowOf(refs.soon)[0]).toContain(SHARED_TEXTS.sla.due_soon);
      expect(rowOf(refs.later)[0]).not.toContain(SHARED_TEXTS.sla.breached);
      expect(response.text).toContain(QUEUE_TEXTS.takeNext);
    });

    it('should filter by category and by assignee', async () => {
      const payment = await get(`/queues/${tenant.queue.id}?category=payment`, session).expect(200);
      expect(listedReferences(payment.text)).toEqual([refs.later]);
      expect(payment.text).toContain('<option value="payment" selected>');

      const mine = await get(`/queues/${tenant.queue.id}?assignee=me`, session).expect(200);
      expect(listedReferences(mine.text)).toEqual([]);
      expect(mine.text).toContain(QUEUE_TEXTS.empty);

      // An unknown value is ignored rather than widening or failing the list.
      const odd = await get(`/queues/${tenant.queue.id}?status=nonsense`, session).expect(200);
      expect(listedReferences(odd.text)).toHaveLength(3);
    });

    it('should return only the rows as a fragment for live updates', async () => {
      const response = await get(`/queues/${tenant.queue.id}?fragment=rows`, session).expect(200);
      expect(response.headers['x-console-fragment']).toBe('rows');
      expect(response.text).not.toContain('<html');
      expect(listedReferences(response.text)).toEqual([refs.breached, refs.soon, refs.later]);
    });

    it('should answer another queue or an unknown queue with the 404 page', async () => {
      const other = await get(`/queues/${tenantA.queue.id}`, session).expect(404);
      expect(other.text).toContain(SHARED_TEXTS.errors.notFound.title);
      await get('/queues/999999', session).expect(404);
      await get('/queues/abc', session).expect(404);
    });

    it('should take the most urgent unassigned ticket with the take-next form, then say the queue is empty', async () => {
      const user = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      const own = await loginAs(desk, user.email);
      const first = await postForm(
        `/queues/${tenant.queue.id}/take-next`,
        { _csrf: own.csrfToken },
        own,
      ).expect(303);
      expect(first.headers.location).toBe(`/tickets/${refs.breached}?done=claimed`);
      expect((await ticketOf(refs.breached)).assigneeId).toBe(user.id);

      await postForm(`/queues/${tenant.queue.id}/take-next`, { _csrf: own.csrfToken }, own).expect(
        303,
      );
      await postForm(`/queues/${tenant.queue.id}/take-next`, { _csrf: own.csrfToken }, own).expect(
        303,
      );
      const empty = await postForm(
        `/queues/${tenant.queue.id}/take-next`,
        { _csrf: own.csrfToken },
        own,
      ).expect(303);
      expect(empty.headers.location).toBe(`/queues/${tenant.queue.id}?done=empty`);
      const page = await get(empty.headers.location as string, own).expect(200);
      expect(page.text).toContain(QUEUE_TEXTS.queueEmpty);
      const claimed = await get(`/tickets/${refs.breached}?done=claimed`, own).expect(200);
      expect(claimed.text).toContain(TICKET_TEXTS.notices.claimed);
    });
  });

  describe('paging', () => {
    it('should page a long queue, 25 to a page, with links that keep the filters', async () => {
      const tenant = await createTestTenant(testEnv.dataSource);
      const user = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      const session = await loginAs(desk, user.email);
      const created: string[] = [];
      for (let i = 0; i < 27; i++) created.push(await submitInquiry(tenant, { category: 'other' }));
      const now = Date.now();
      for (let i = 0; i < created.length; i++)
        await setSlaDue(created[i], new Date(now + (i + 1) * HOUR));

      const first = await get(`/queues/${tenant.queue.id}?category=other`, session).expect(200);
      expect(listedReferences(first.text)).toEqual(created.slice(0, 25));
      expect(first.text).toContain(`href="/queues/${tenant.queue.id}?category=other&amp;page=2"`);

      const second = await get(`/queues/${tenant.queue.id}?category=other&page=2`, session).expect(
        200,
      );
      expect(listedReferences(second.text)).toEqual(created.slice(25));
      expect(second.text).toContain('2 / 2');
    });
  });

  describe('a ticket', () => {
    let reference: string;

    beforeEach(async () => {
      reference = await submitInquiry(tenantA, {
        name: '<b>山田</b>',
        message: '<script>alert(1)</script> 確認をお願いします。',
      });
    });

    it('should show the ticket with the user content escaped', async () => {
      const response = await get(`/tickets/${reference}`).expect(200);

      expect(response.text).not.toContain('<script>alert(1)</script>');
      expect(response.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 確認をお願いします。');
      expect(response.text).toContain('&lt;b&gt;山田&lt;/b&gt;');
      expect(response.text).toContain(VALID_INQUIRY.email);
      expect(response.text).toContain('さくら商店');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    });

    it('should write a ticket.viewed audit event with the actor and IP when the page is opened', async () => {
      await get(`/tickets/${reference}`).expect(200);

      const events = await testEnv.dataSource.manager.findBy(AuditEvent, {
        action: 'ticket.viewed',
        targetId: reference,
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actorType: 'user',
        actorId: agent.id,
        merchantId: tenantA.merchant.id,
      });
      expect(events[0].ip).toMatch(/127\.0\.0\.1/);
    });

    it('should store a reply sent through the form, mail it and redirect to the ticket', async () => {
      const ticket = await ticketOf(reference);
      const jobsBefore = await testEnv.dataSource.manager.count(OutboxJob);

      const response = await postForm(`/tickets/${reference}/replies`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        body: 'お問い合わせありがとうございます。確認いたします。',
        nextStatus: 'pending_customer',
      }).expect(303);

      expect(response.headers.location).toBe(`/tickets/${reference}?done=replied`);
      const messages = await messagesOf(reference);
      expect(messages.map((m) => m.kind)).toEqual(['customer', 'reply']);
      expect(messages[1].authorUserId).toBe(agent.id);
      expect((await ticketOf(reference)).status).toBe('pending_customer');
      expect(await testEnv.dataSource.manager.count(OutboxJob)).toBe(jobsBefore + 1);
      const page = await get(response.headers.location as string).expect(200);
      expect(page.text).toContain(TICKET_TEXTS.notices.replied);
      expect(page.text).toContain('お問い合わせありがとうございます。確認いたします。');
    });

    it('should refuse a form post without the CSRF token with 403 and store nothing', async () => {
      const ticket = await ticketOf(reference);

      const response = await postForm(`/tickets/${reference}/replies`, {
        version: String(ticket.version),
        body: '送られてはいけない返信',
      }).expect(403);

      expect(response.headers['content-type']).toContain('text/html');
      expect(response.text).toContain(SHARED_TEXTS.errors.csrf.title);
      expect((await messagesOf(reference)).map((m) => m.kind)).toEqual(['customer']);
      expect((await ticketOf(reference)).version).toBe(ticket.version);
    });

    it('should refuse a stale version with 409, the warning and the typed text kept', async () => {
      const ticket = await ticketOf(reference);
      // Someone else writes a note first.
      await postForm(`/tickets/${reference}/notes`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        body: '先に書かれたメモ',
      }).expect(303);

      const response = await postForm(`/tickets/${reference}/replies`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        body: '古い画面から書いた返信<です>',
      }).expect(409);

      expect(response.text).toContain(TICKET_TEXTS.staleWarning);
      expect(response.text).toContain('古い画面から書いた返信&lt;です&gt;</textarea>');
      // The page now carries the new version, so sending again works.
      expect(response.text).toContain(
        `name="version" value="${(await ticketOf(reference)).version}"`,
      );
      expect((await messagesOf(reference)).map((m) => m.kind)).toEqual(['customer', 'note']);
    });

    it('should refuse an empty reply with 400 and the message beside the field', async () => {
      const ticket = await ticketOf(reference);

      const response = await postForm(`/tickets/${reference}/replies`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        body: '   ',
      }).expect(400);

      expect(response.text).toContain('id="f-reply-body-error"');
      expect(response.text).toContain('href="#f-reply-body"');
      expect((await messagesOf(reference)).map((m) => m.kind)).toEqual(['customer']);
    });

    it('should show an internal note labelled as never shown to the customer', async () => {
      const ticket = await ticketOf(reference);
      await postForm(`/tickets/${reference}/notes`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        body: '社内確認中',
      }).expect(303);

      const page = await get(`/tickets/${reference}?done=noted`).expect(200);
      expect(page.text).toMatch(
        /<li class="msg msg--note"[\s\S]*?内部メモ \(お客様には表示されません\)[\s\S]*?社内確認中/,
      );
    });

    it('should change the status, refuse an illegal one with 409 and its reason', async () => {
      let ticket = await ticketOf(reference);
      await postForm(`/tickets/${reference}/status`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        status: 'resolved',
      }).expect(303);
      ticket = await ticketOf(reference);
      expect(ticket.status).toBe('resolved');

      const response = await postForm(`/tickets/${reference}/status`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        status: 'pending_merchant',
      }).expect(409);
      expect(response.text).toContain('role="alert"');
      expect((await ticketOf(reference)).status).toBe('resolved');
    });

    it('should assign the ticket to the agent and release it again', async () => {
      let ticket = await ticketOf(reference);
      await postForm(`/tickets/${reference}/assignment`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        assignee: 'me',
      }).expect(303);
      ticket = await ticketOf(reference);
      expect(ticket.assigneeId).toBe(agent.id);
      expect((await get(`/tickets/${reference}`).expect(200)).text).toContain(
        TICKET_TEXTS.assignedToMe,
      );

      await postForm(`/tickets/${reference}/assignment`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        assignee: 'release',
      }).expect(303);
      expect((await ticketOf(reference)).assigneeId).toBeNull();
    });

    it("should offer the queue's agents for reassignment, not outsiders, and reassign", async () => {
      const member = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenantA.queue.id],
        displayName: '担当 候補',
      });
      const outsider = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenantB.queue.id],
        displayName: '他キュー 担当',
      });
      const page = await get(`/tickets/${reference}`).expect(200);
      expect(page.text).toContain(`<option value="${member.id}"`);
      expect(page.text).not.toContain(`<option value="${outsider.id}"`);

      const ticket = await ticketOf(reference);
      await postForm(`/tickets/${reference}/assignment`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        assignee: String(outsider.id),
      }).expect(400);
      expect((await ticketOf(reference)).assigneeId).toBe(ticket.assigneeId);
      await postForm(`/tickets/${reference}/assignment`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        assignee: String(member.id),
      }).expect(303);
      expect((await ticketOf(reference)).assigneeId).toBe(member.id);
    });

    it('should tell the agent who else works the ticket', async () => {
      const colleague = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenantA.queue.id],
        displayName: '鈴木 花子',
      });
      await testEnv.dataSource.manager.update(Ticket, { reference }, { assigneeId: colleague.id });

      const page = await get(`/tickets/${reference}`).expect(200);
      expect(page.text).toContain('鈴木 花子さんが対応中です。');
    });

    it('should ask for confirmation before a hand-back, then hand back', async () => {
      const ticket = await ticketOf(reference);
      const confirm = await postForm(`/tickets/${reference}/hand-back`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
      }).expect(200);
      expect(confirm.text).toContain('name="confirm" value="yes"');
      expect((await ticketOf(reference)).status).toBe('new');

      await postForm(`/tickets/${reference}/hand-back`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        confirm: 'yes',
      }).expect(303);
      expect((await ticketOf(reference)).status).toBe('handed_back');
    });

    it('should pre-fill the reply box with a canned response without JavaScript', async () => {
      const canned = await testEnv.dataSource.manager.save(
        testEnv.dataSource.manager.create(CannedResponse, {
          merchantId: null,
          title: 'お礼',
          body: '{{name}} 様\n受付番号 {{reference}} のお問い合わせについて、{{merchant}}に代わりご回答します。',
          updatedByUserId: null,
          createdAt: new Date(),
          updatedAt: new Date(),
        }),
      );

      const page = await get(`/tickets/${reference}?canned=${canned.id}`).expect(200);
      expect(page.text).toContain(
        `&lt;b&gt;山田&lt;/b&gt; 様\n受付番号 ${reference} のお問い合わせについて、さくら商店に代わりご回答します。</textarea>`,
      );
    });

    it('should answer an unknown ticket with the 404 page', async () => {
      const response = await get('/tickets/ZZZZ-ZZZZ').expect(404);
      expect(response.text).toContain(SHARED_TEXTS.errors.notFound.title);
      expect(response.headers['content-type']).toContain('text/html');
    });
  });

  describe('merchant users', () => {
    it("should show a merchant user its own tickets read-only and another merchant's ticket as the 404 page", async () => {
      const own = await submitInquiry(tenantB);
      const foreign = await submitInquiry(tenantA);
      const viewer = await createTestUser(testEnv.dataSource, {
        role: 'merchant_viewer',
        merchantId: tenantB.merchant.id,
      });
      const session = await loginAs(desk, viewer.email);

      const page = await get(`/tickets/${own}`, session).expect(200);
      expect(page.text).toContain(SHARED_TEXTS.common.readOnly);
      expect(page.text).not.toContain('/replies"');
      expect(page.text).not.toContain('take-next');

      const other = await get(`/tickets/${foreign}`, session).expect(404);
      expect(other.text).toContain(SHARED_TEXTS.errors.notFound.title);
      expect(other.text).not.toContain(foreign);

      const write = await postForm(
        `/tickets/${own}/replies`,
        { _csrf: session.csrfToken, version: '1', body: 'x' },
        session,
      ).expect(403);
      expect(write.text).toContain(SHARED_TEXTS.errors.forbidden.title);
      expect((await messagesOf(own)).map((m) => m.kind)).toEqual(['customer']);

      // Every write form on another merchant's ticket is 404, never 403 (DESIGN: no hint it exists).
      for (const action of [
        'replies',
        'notes',
        'status',
        'properties',
        'assignment',
        'hand-back',
      ]) {
        await postForm(
          `/tickets/${foreign}/${action}`,
          {
            _csrf: session.csrfToken,
            version: '1',
            body: 'x',
            status: 'open',
            category: 'other',
            priority: 'high',
            assignee: 'me',
          },
          session,
        ).expect(404);
      }
      expect((await messagesOf(foreign)).map((m) => m.kind)).toEqual(['customer']);
      await postForm(
        `/queues/${tenantA.queue.id}/take-next`,
        { _csrf: session.csrfToken },
        session,
      ).expect(404);
    });
  });

  describe("tickets outside the agent's queues", () => {
    it('should answer viewing, replying and taking-next outside the scope with 404 and change nothing', async () => {
      const foreign = await submitInquiry(tenantB);
      const ticket = await ticketOf(foreign);

      await get(`/tickets/${foreign}`).expect(404);
      const reply = await postForm(`/tickets/${foreign}/replies`, {
        _csrf: agentSession.csrfToken,
        version: String(ticket.version),
        body: '見えないはずのチケットへの返信',
      }).expect(404);
      expect(reply.text).toContain(SHARED_TEXTS.errors.notFound.title);
      await postForm(`/queues/${tenantB.queue.id}/take-next`, {
        _csrf: agentSession.csrfToken,
      }).expect(404);

      expect((await messagesOf(foreign)).map((m) => m.kind)).toEqual(['customer']);
      expect(await ticketOf(foreign)).toMatchObject({ version: ticket.version, assigneeId: null });
      expect(
        await testEnv.dataSource.manager.countBy(AuditEvent, {
          action: 'ticket.viewed',
          targetId: foreign,
        }),
      ).toBe(0);
    });
  });

  describe('search and canned responses', () => {
    it('should find a ticket by the end user’s phone in another format', async () => {
      const reference = await submitInquiry(tenantA, { phone: '080-5555-1212' });
      const response = await get(
        `/search?q=${encodeURIComponent('０８０５５５５１２１２')}`,
      ).expect(200);
      expect(response.text).toContain(`data-reference="${reference}"`);
      const empty = await get('/search?q=').expect(400);
      expect(empty.text).toContain('id="f-q-error"');
    });

    it('should let a supervisor add a canned response and refuse the page to an agent with 403', async () => {
      await get('/canned-responses').expect(403);

      const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
      const session = await loginAs(desk, supervisor.email);
      await get('/canned-responses', session).expect(200);
      const created = await postForm(
        '/canned-responses',
        { _csrf: session.csrfToken, title: '受付のご連絡', body: '{{name}} 様', merchantId: '' },
        session,
      ).expect(303);
      expect(created.headers.location).toBe('/canned-responses?done=saved');
      expect(
        await testEnv.dataSource.manager.countBy(CannedResponse, { title: '受付のご連絡' }),
      ).toBe(1);

      const invalid = await postForm(
        '/canned-responses',
        { _csrf: session.csrfToken, title: '', body: '本文だけ', merchantId: '' },
        session,
      ).expect(400);
      expect(invalid.text).toContain('本文だけ</textarea>');
    });
  });

  describe('pages without a session', () => {
    it('should send a browser to the login page and serve the assets publicly', async () => {
      const response = await request(server()).get('/').set('Accept', 'text/html').expect(303);
      expect(response.headers.location).toMatch(/^\/login/);
      const script = await request(server()).get('/assets/console.js').expect(200);
      expect(script.headers['content-type']).toContain('javascript');
      await request(server()).get('/assets/console.css').expect(200);
      await request(server()).get('/assets/ui.css').expect(200);
      // The Voice SDK comes from the npm dependency, served by the desk itself (no CDN).
      const sdk = await request(server()).get('/assets/twilio-voice.min.js').expect(200);
      expect(sdk.headers['content-type']).toContain('javascript');
      expect(sdk.text).toContain('Device');
      // …and the CSP lets it reach Twilio, while scripts stay same-origin only.
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("connect-src 'self' https://*.twilio.com wss://*.twilio.com");
      expect(csp).toContain("script-src 'self';");
    });
  });
});
