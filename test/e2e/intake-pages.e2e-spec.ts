import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { buildCryptoKeys, FieldCipher } from '@madoguchi/crypto';
import { Message, Ticket } from '@madoguchi/tickets';
import { STATUS_PAGE_TEXTS } from '../../apps/intake/src/status-page/status-page.texts';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const FORM = {
  name: VALID_INQUIRY.name,
  email: VALID_INQUIRY.email,
  phone: VALID_INQUIRY.phone,
  orderNumber: VALID_INQUIRY.orderNumber,
  category: VALID_INQUIRY.category,
  message: VALID_INQUIRY.message,
  consent: 'on',
  website: '',
};

describe(`intake pages (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let tenant: TestTenant;
  let cipher: FieldCipher;

  const ticketCount = () => testEnv.dataSource.manager.count(Ticket);
  const http = () => request(app.getHttpServer());

  /** Submits the JSON API and returns the status page path (the only key to it). */
  const submitInquiry = async (): Promise<{
    reference: string;
    statusPath: string;
    ticket: Ticket;
  }> => {
    const response = await http()
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, {
      reference: response.body.reference,
    });
    return {
      reference: response.body.reference,
      statusPath: new URL(response.body.statusUrl).pathname,
      ticket,
    };
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    app = await startIntakeApp(testEnv);
    cipher = new FieldCipher(
      buildCryptoKeys(testEnv.env.FIELD_ENCRYPTION_KEYS, testEnv.env.BLIND_INDEX_KEY),
    );
  });

  beforeEach(async () => {
    tenant = await createTestTenant(testEnv.dataSource, {
      siteName: 'さくら雑貨店',
      brandColor: '#aa3355',
    });
  });

  afterAll(async () => {
    await app?.close();
    await testEnv?.cleanup();
  });

  describe('GET /healthz', () => {
    it('should answer 200 {"status":"ok"} while the database answers', async () => {
      const response = await http().get('/healthz').expect(200);
      expect(response.body).toEqual({ status: 'ok' });
    });
  });

  describe('the branded form', () => {
    it('should render the site branding, the fields, the honeypot and the phone window in Japanese', async () => {
      const response = await http().get(`/s/${tenant.site.slug}`).expect(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-store');
      const html = response.text;
      expect(html).toContain('<html lang="ja"');
      expect(html).toContain('さくら雑貨店');
      expect(html).toContain('--brand:#aa3355');
      expect(html).toContain('03-6744-7492');
      expect(html).toContain(tenant.site.phoneCode!);
      for (const field of [
        'name',
        'email',
        'phone',
        'orderNumber',
        'category',
        'message',
        'consent',
        'website',
      ]) {
        expect(html).toContain(`name="${field}"`);
      }
      expect(html).toContain('クレジットカード番号');
      expect(html).toMatch(/<label[^>]+for="f-name"/);
      expect(html).toMatch(/<input[^>]+id="f-name"/);
    });

    it('should answer 404 for an unknown site', async () => {
      const response = await http().get('/s/no-such-shop').expect(404);
      expect(response.text).toContain('ページが見つかりません');
    });

    it('should answer 410 naming the merchant’s own contact when the intake is closed or the support period is over', async () => {
      const closed = await createTestTenant(testEnv.dataSource, { intakeOpen: false });
      const closedPage = await http().get(`/s/${closed.site.slug}`).expect(410);
      expect(closedPage.text).toContain(closed.site.contactUrl!);
      expect(closedPage.text).toContain('受付を終了しました');
      const ended = await createTestTenant(testEnv.dataSource, {
        supportEndsAt: new Date(Date.now() - 60_000),
      });
      const endedPage = await http().get(`/s/${ended.site.slug}`).expect(410);
      expect(endedPage.text).toContain('対応期間が終了しました');
      const before = await ticketCount();
      await http().post(`/s/${ended.site.slug}`).type('form').send(FORM).expect(410);
      expect(await ticketCount()).toBe(before);
    });

    it('should redirect a valid post with 303 to a thank-you page showing the reference', async () => {
      const response = await http()
        .post(`/s/${tenant.site.slug}`)
        .type('form')
        .send(FORM)
        .expect(303);
      const location = new URL(response.headers.location, 'http://intake.test');
      expect(location.pathname).toBe(`/s/${tenant.site.slug}/thanks`);
      const reference = location.searchParams.get('ref') ?? '';
      expect(reference).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { reference });
      expect(ticket).toMatchObject({ status: 'new', channel: 'web', queueId: tenant.queue.id });
      const thanks = await http().get(response.headers.location).expect(200);
      expect(thanks.text).toContain(reference);
      expect(thanks.text).toContain('お問い合わせを受け付けました');
    });

    it('should re-render invalid input with 400, each error beside its field, the values kept, nothing stored', async () => {
      const before = await ticketCount();
      const response = await http()
        .post(`/s/${tenant.site.slug}`)
        .type('form')
        .send({ ...FORM, email: 'not-an-email', consent: '', name: '<script>alert(1)</script>' })
        .expect(400);
      const html = response.text;
      expect(html).toContain('メールアドレスの形式が正しくありません');
      expect(html).toContain('同意欄にチェックを入れてください');
      expect(html).toMatch(/aria-describedby="[^"]*email-error/);
      expect(html).toContain('value="not-an-email"');
      expect(html).toContain(VALID_INQUIRY.message);
      expect(html).not.toContain('<script>alert(1)</script>');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(await ticketCount()).toBe(before);
    });

    it('should accept a filled honeypot silently and store nothing', async () => {
      const before = await ticketCount();
      const response = await http()
        .post(`/s/${tenant.site.slug}`)
        .type('form')
        .send({ ...FORM, website: 'http://spam.example' })
        .expect(303);
      expect(response.headers.location).toBe(`/s/${tenant.site.slug}/thanks`);
      expect(await ticketCount()).toBe(before);
    });

    it('should refuse unknown form fields and store nothing', async () => {
      const before = await ticketCount();
      const response = await http()
        .post(`/s/${tenant.site.slug}`)
        .type('form')
        .send({ ...FORM, status: 'closed' })
        .expect(400);
      expect(response.text).toContain('受け付けていない項目');
      expect(await ticketCount()).toBe(before);
    });

    it('should serve the stylesheet and open no other methods', async () => {
      const css = await http().get('/assets/ui.css').expect(200);
      expect(css.headers['content-type']).toContain('text/css');
      await http().put(`/s/${tenant.site.slug}`).send('x').expect(404);
      await http().delete(`/s/${tenant.site.slug}`).expect(404);
      await http().patch(`/status/x`).expect(404);
    });

    it('should send security headers', async () => {
      const response = await http().get(`/s/${tenant.site.slug}`).expect(200);
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    });
  });

  describe('the status page', () => {
    it('should show the reference, the status and the public conversation, but no internal note', async () => {
      const { reference, statusPath, ticket } = await submitInquiry();
      await testEnv.dataSource.manager.insert(Message, {
        ticketId: ticket.id,
        kind: 'note',
        authorUserId: null,
        body: cipher.encrypt('社内メモ：確認中'),
        deliveryState: null,
        createdAt: new Date(),
      });
      const page = await http().get(statusPath).expect(200);
      expect(page.text).toContain(reference);
      expect(page.text).toContain('受付済み');
      expect(page.text).toContain(VALID_INQUIRY.message);
      expect(page.text).not.toContain('社内メモ');
      const audit = await testEnv.dataSource.manager.findBy(AuditEvent, {
        action: 'ticket.status_page_viewed',
        targetId: reference,
      });
      expect(audit).toHaveLength(1);
    });

    it('should add the end user’s reply and reopen a resolved ticket', async () => {
      const { statusPath, ticket } = await submitInquiry();
      await testEnv.dataSource.manager.update(
        Ticket,
        { id: ticket.id },
        { status: 'resolved', resolvedAt: new Date() },
      );
      const response = await http()
        .post(`${statusPath}/replies`)
        .type('form')
        .send({ message: '追加の質問です。' })
        .expect(303);
      expect(response.headers.location).toBe(`${statusPath}?sent=1`);
      const after = await testEnv.dataSource.manager.findOneByOrFail(Ticket, { id: ticket.id });
      expect(after.status).toBe('open');
      expect(after.resolvedAt).toBeNull();
      expect(after.version).toBeGreaterThan(ticket.version);
      const messages = await testEnv.dataSource.manager.find(Message, {
        where: { ticketId: ticket.id },
        order: { id: 'ASC' },
      });
      expect(messages.map((message) => [message.kind, cipher.decrypt(message.body!)])).toEqual([
        ['customer', VALID_INQUIRY.message],
        ['customer', '追加の質問です。'],
      ]);
      const page = await http().get(`${statusPath}?sent=1`).expect(200);
      expect(page.text).toContain('送信しました');
    });

    it('should re-render an empty reply with 400 and store nothing', async () => {
      const { statusPath, ticket } = await submitInquiry();
      const response = await http()
        .post(`${statusPath}/replies`)
        .type('form')
        .send({ message: '   ' })
        .expect(400);
      expect(response.text).toContain('お問い合わせ内容を入力してください');
      expect(await testEnv.dataSource.manager.countBy(Message, { ticketId: ticket.id })).toBe(1);
    });

    it('should refuse a reply on a closed ticket with 409 and store nothing', async () => {
      const { statusPath, ticket } = await submitInquiry();
      await testEnv.dataSource.manager.update(Ticket, { id: ticket.id }, { status: 'closed' });
      const response = await http()
        .post(`${statusPath}/replies`)
        .type('form')
        .send({ message: 'まだですか' })
        .expect(409);
      expect(response.text).toContain(STATUS_PAGE_TEXTS.replyClosed);
      expect(await testEnv.dataSource.manager.countBy(Message, { ticketId: ticket.id })).toBe(1);
    });

    it('should answer 404 to an unknown or malformed token, revealing nothing', async () => {
      const unknown = await http()
        .get(`/status/${'A'.repeat(43)}`)
        .expect(404);
      expect(unknown.text).toContain('ページが見つかりません');
      await http().get('/status/short').expect(404);
      await http()
        .post(`/status/${'B'.repeat(43)}/replies`)
        .type('form')
        .send({ message: 'x' })
        .expect(404);
    });
  });
});
