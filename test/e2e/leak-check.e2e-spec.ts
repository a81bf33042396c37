import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { loadConfig } from '@madoguchi/config';
import { createFastifyApp } from '@madoguchi/http';
import { AnswerTemplateService, IncidentService } from '@madoguchi/incidents';
import { OutboxWorker } from '@madoguchi/mail';
import {
  AffectedListIndicatorService,
  AffectedListService,
  LeakCheckCode,
} from '@madoguchi/incident-response';
import { Ticket } from '@madoguchi/tickets';
import { DeskModule } from '../../apps/desk/src/desk.module';
import { createTestUser } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';
import { withoutWordBreaks } from '../support/word-breaks';

const LISTED_EMAIL = 'listed.shopper@example.jp';
const UNLISTED_EMAIL = 'unlisted.shopper@example.jp';
const LISTED_PHONE = '090-4444-5555';
const INCLUDED_BODY =
  '{{name}} 様（受付番号 {{reference}}）: お客様の情報は今回の流出の対象に含まれていました。';
const NOT_INCLUDED_BODY = '{{name}} 様: お客様の情報は今回の流出の対象に含まれていませんでした。';

describe(`status page: was my data included? (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: INestApplication;
  let smtp: SmtpTestServer;
  let tenant: TestTenant;
  let merchantAdmin: User;
  let incidentId: number;

  /** A web inquiry through the intake's JSON API; returns its reference and status path. */
  async function inquiry(
    email: string,
    extra: { category?: string; phone?: string; name?: string } = {},
  ): Promise<{ reference: string; path: string; token: string }> {
    const response = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({
        name: extra.name ?? '確認 花子',
        email,
        ...(extra.phone ? { phone: extra.phone } : {}),
        category: extra.category ?? 'leak_check',
        message: '私の情報は含まれていますか。',
        consent: true,
      })
      .expect(201);
    const path = new URL(response.body.statusUrl as string).pathname;
    return { reference: response.body.reference, path, token: path.split('/').pop() as string };
  }

  /** The desk's outbox worker sends what the intake queued; returns the newest mail's code. */
  async function mailedCode(to: string): Promise<string> {
    const before = smtp.messages.length;
    await desk.get(OutboxWorker).drainOnce();
    const messages = await smtp.waitFor(before + 1);
    const mail = messages[messages.length - 1];
    expect(mail.envelopeTo).toEqual([to]);
    const code = /確認コード：(\d{6})/.exec(mail.text)?.[1];
    if (!code) throw new Error(`no code in mail: ${mail.text}`);
    return code;
  }

  const requestCode = (path: string) =>
    request(intake.getHttpServer()).post(`${path}/leak-check`).type('form').send({});
  const verify = (path: string, code: string) =>
    request(intake.getHttpServer()).post(`${path}/leak-check/verify`).type('form').send({ code });

  const audits = (action: string, reference: string) =>
    testEnv.dataSource
      .getRepository(AuditEvent)
      .find({ where: { action, targetId: reference }, order: { id: 'ASC' } });

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: smtp.url,
    });
    intake = await startIntakeApp(testEnv);
    const deskConfig = loadConfig({ ...testEnv.env, OUTBOX_WORKER: 'off' });
    desk = await createFastifyApp(DeskModule.forRoot(deskConfig), deskConfig);
    await desk.init();
    tenant = await createTestTenant(testEnv.dataSource, {
      senderName: 'さくら雑貨店 お問い合わせ窓口',
      siteName: 'さくら雑貨店',
    });
    const operator = await createTestUser(testEnv.dataSource, { role: 'admin' });
    merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    const staff = { userId: operator.id, ip: '127.0.0.1' };
    incidentId = (
      await desk.get(IncidentService).create(
        {
          title: '2026年11月 不正アクセス',
          description: '決済画面の改ざん',
          leakedItems: 'メールアドレス、電話番号',
          merchants: [{ merchantId: tenant.merchant.id, affected: true }],
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
        testMerchantScope(tenant.merchant.id),
        template.versions[0].id,
        { decision: 'approved' },
        { userId: merchantAdmin.id, ip: '127.0.0.1' },
      );
    }
    await desk.get(AffectedListService).upload(
      { kind: 'merchant', userId: merchantAdmin.id, merchantId: tenant.merchant.id },
      incidentId,
      { userId: merchantAdmin.id, ip: '127.0.0.1' },
      {
        mode: 'replace',
        file: Buffer.from(`email,phone\n${LISTED_EMAIL},\nother@example.jp,${LISTED_PHONE}\n`),
      },
    );
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await smtp?.stop();
    await testEnv?.cleanup();
  });

  it('should mail a code in the site’s name and, on the right code, show the approved "included" answer once', async () => {
    const ticket = await inquiry(LISTED_EMAIL, { name: '確認 花子' });
    const page = await request(intake.getHttpServer()).get(ticket.path).expect(200);
    expect(withoutWordBreaks(page.text)).toContain('登録情報が含まれているか確認する');
    expect(withoutWordBreaks(page.text)).not.toContain('name="code"');

    const asked = await requestCode(ticket.path).expect(303);
    expect(asked.headers.location).toBe(`${ticket.path}?code=sent#leak-check`);
    const code = await mailedCode(LISTED_EMAIL);
    const mail = smtp.messages[smtp.messages.length - 1];
    expect(mail.headers.get('from')).toContain('さくら雑貨店 お問い合わせ窓口');
    expect(mail.subject).toContain(ticket.reference);

    const withForm = await request(intake.getHttpServer())
      .get(`${ticket.path}?code=sent`)
      .expect(200);
    expect(withoutWordBreaks(withForm.text)).toContain('name="code"');
    expect(withoutWordBreaks(withForm.text)).toContain('確認コードをお送りしました');

    const answered = await verify(ticket.path, code).expect(200);
    expect(withoutWordBreaks(answered.text)).toContain('data-leak-check-result');
    expect(withoutWordBreaks(answered.text)).toContain(
      `確認 花子 様（受付番号 ${ticket.reference}）: お客様の情報は今回の流出の対象に含まれていました。`,
    );

    // Single use: the same code again is refused, and the page no longer shows the answer.
    const again = await verify(ticket.path, code).expect(400);
    expect(withoutWordBreaks(again.text)).toContain('有効な確認コードがありません');
    expect(withoutWordBreaks(again.text)).not.toContain('含まれていました');
    const reloaded = await request(intake.getHttpServer()).get(ticket.path).expect(200);
    expect(withoutWordBreaks(reloaded.text)).not.toContain('含まれていました');

    const requested = await audits('leak_check.code_requested', ticket.reference);
    expect(requested.map((e) => JSON.parse(e.detail ?? '{}'))).toEqual([{ outcome: 'sent' }]);
    const checked = await audits('leak_check.code_checked', ticket.reference);
    expect(checked.map((e) => JSON.parse(e.detail ?? '{}'))).toEqual([
      { outcome: 'verified', result: 'included' },
      { outcome: 'no_code' },
    ]);
    for (const event of [...requested, ...checked]) {
      expect(JSON.stringify(event)).not.toContain(code);
      expect(JSON.stringify(event)).not.toContain(LISTED_EMAIL);
    }
    // The agent sees that the end user verified, and what they were shown.
    const indicator = await desk
      .get(AffectedListIndicatorService)
      .forTicket({ kind: 'staff', userId: merchantAdmin.id, queueIds: 'all' }, ticket.reference);
    expect(indicator).toMatchObject({
      matched: { email: true, phone: false, order: false },
      verifiedResult: 'included',
    });
    expect(indicator?.verifiedAt).toBeInstanceOf(Date);
    const stored = await testEnv.dataSource
      .getRepository(LeakCheckCode)
      .findOneByOrFail({ result: 'included' });
    expect(stored.codeHash).not.toContain(code);
    expect(stored.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should show the approved "not included" answer when the list holds emails and none of the ticket’s values', async () => {
    const ticket = await inquiry(UNLISTED_EMAIL, { name: '未掲載 太郎' });
    await requestCode(ticket.path).expect(303);
    const code = await mailedCode(UNLISTED_EMAIL);
    const answered = await verify(ticket.path, code).expect(200);
    expect(withoutWordBreaks(answered.text)).toContain(
      '未掲載 太郎 様: お客様の情報は今回の流出の対象に含まれていませんでした。',
    );
  });

  it('should show the neutral text, not "not included", when only the phone number is on the list', async () => {
    const ticket = await inquiry('phone.only@example.jp', { phone: LISTED_PHONE });
    await requestCode(ticket.path).expect(303);
    const code = await mailedCode('phone.only@example.jp');
    const answered = await verify(ticket.path, code).expect(200);
    expect(withoutWordBreaks(answered.text)).toContain(
      '確認結果は、担当者からこのページでご回答いたします',
    );
    expect(withoutWordBreaks(answered.text)).not.toContain('含まれていませんでした');
    expect(withoutWordBreaks(answered.text)).not.toContain('含まれていました');
  });

  it('should not tell whether a phone number typed into the inquiry is on the list', async () => {
    // Anyone may type someone else's phone number; the code proves only the email.
    const texts: string[] = [];
    for (const [email, phone] of [
      ['probe.listed@example.jp', LISTED_PHONE],
      ['probe.unlisted@example.jp', '03-1111-2222'],
    ] as const) {
      const ticket = await inquiry(email, { phone });
      await requestCode(ticket.path).expect(303);
      const answered = await verify(ticket.path, await mailedCode(email)).expect(200);
      texts.push(answered.text.includes('担当者からこのページでご回答') ? 'neutral' : 'other');
      expect(withoutWordBreaks(answered.text)).not.toContain('含まれていませんでした');
    }
    expect(texts).toEqual(['neutral', 'neutral']);
  });

  it('should say a code is wrong (with the tries left) in the same words whether or not the email is listed, and kill it after 5', async () => {
    const listed = await inquiry(LISTED_EMAIL);
    const unlisted = await inquiry(UNLISTED_EMAIL);
    await requestCode(listed.path).expect(303);
    const code = await mailedCode(LISTED_EMAIL);
    await requestCode(unlisted.path).expect(303);
    const unlistedCode = await mailedCode(UNLISTED_EMAIL);
    const wrong = code === '000000' ? '000001' : '000000';
    const wrongUnlisted = unlistedCode === '000000' ? '000001' : '000000';
    const first = await verify(listed.path, wrong).expect(400);
    const firstUnlisted = await verify(unlisted.path, wrongUnlisted).expect(400);
    const section = (html: string) =>
      /<section class="card" id="leak-check"[\s\S]*?<\/section>/.exec(html)?.[0];
    expect(section(first.text)).toContain('確認コードが正しくありません。あと4回入力できます。');
    expect(section(first.text)).toEqual(
      section(firstUnlisted.text)?.replaceAll(unlisted.token, listed.token),
    );
    for (let i = 0; i < 3; i++) await verify(listed.path, wrong).expect(400);
    const fifth = await verify(listed.path, wrong).expect(400);
    expect(withoutWordBreaks(fifth.text)).toContain(
      '入力の誤りが多いため、このコードは使えなくなりました',
    );
    // The right code no longer helps once the code is dead.
    const late = await verify(listed.path, code).expect(400);
    expect(withoutWordBreaks(late.text)).toContain('入力の誤りが多いため');
    expect(withoutWordBreaks(late.text)).not.toContain('含まれていました');
    const malformed = await verify(listed.path, '12ab').expect(400);
    expect(withoutWordBreaks(malformed.text)).toContain('6桁の数字で入力してください');
  });

  it('should refuse an expired code and say so', async () => {
    const ticket = await inquiry(LISTED_EMAIL);
    await requestCode(ticket.path).expect(303);
    const code = await mailedCode(LISTED_EMAIL);
    const row = await testEnv.dataSource.getRepository(Ticket).findOneByOrFail({
      reference: ticket.reference,
    });
    await testEnv.dataSource
      .getRepository(LeakCheckCode)
      .update({ ticketId: row.id }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await verify(ticket.path, code).expect(400);
    expect(withoutWordBreaks(expired.text)).toContain('確認コードの有効期限が切れています');
    expect(withoutWordBreaks(expired.text)).not.toContain('含まれていました');
    const checked = await audits('leak_check.code_checked', ticket.reference);
    expect(JSON.parse(checked[0].detail ?? '{}')).toEqual({ outcome: 'expired' });
  });

  it('should send at most 3 codes per person per hour, across tickets with the same email (429 after that, audited)', async () => {
    const email = 'budget.person@example.jp';
    // Three tickets with the same email: one code each uses up the person's hourly budget.
    const tickets = [await inquiry(email), await inquiry(email), await inquiry(email)];
    for (const ticket of tickets) await requestCode(ticket.path).expect(303);
    const refused = await requestCode(tickets[0].path).expect(429);
    expect(withoutWordBreaks(refused.text)).toContain('1時間に3回まで請求できます');
    // A fourth ticket with the same email (any spelling of it) does not buy a fourth code.
    const fourth = await inquiry('Budget.Person@Example.JP');
    await requestCode(fourth.path).expect(429);
    const rows = await testEnv.dataSource.getRepository(Ticket).find({
      where: [...tickets, fourth].map((ticket) => ({ reference: ticket.reference })),
    });
    const codes = await testEnv.dataSource.getRepository(LeakCheckCode).find();
    expect(codes.filter((code) => rows.some((row) => row.id === code.ticketId))).toHaveLength(3);
    const requested = await audits('leak_check.code_requested', fourth.reference);
    expect(requested.map((e) => JSON.parse(e.detail ?? '{}').outcome)).toEqual(['rate_limited']);
    // Another person is not affected by this one's budget.
    const someoneElse = await inquiry('another.person@example.jp');
    await requestCode(someoneElse.path).expect(303);
    await desk.get(OutboxWorker).drainOnce();
  });

  it('should budget wrong codes per person across tickets, not per ticket', async () => {
    const email = 'guesser.person@example.jp';
    const first = await inquiry(email);
    const second = await inquiry(email);
    const third = await inquiry(email);
    const fourth = await inquiry(email);
    await desk.get(OutboxWorker).drainOnce();
    let spent = 0;
    // Each ticket's code takes 5 wrong tries; the person's daily budget (15) ends the guessing
    // on the fourth ticket, whose fresh code was never tried.
    for (const ticket of [first, second, third]) {
      await requestCode(ticket.path).expect(303);
      const code = await mailedCode(email);
      const wrong = code === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++) {
        await verify(ticket.path, wrong).expect(400);
        spent++;
      }
    }
    expect(spent).toBe(15);
    const row = await testEnv.dataSource
      .getRepository(Ticket)
      .findOneByOrFail({ reference: fourth.reference });
    // A code for the fourth ticket, planted as if mailed (the hourly code budget is spent).
    await testEnv.dataSource.getRepository(LeakCheckCode).insert({
      ticketId: row.id,
      codeHash: 'x'.repeat(64),
      attempts: 0,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 600_000),
      usedAt: null,
      result: null,
    });
    const refused = await verify(fourth.path, '123456').expect(400);
    expect(withoutWordBreaks(refused.text)).toContain('入力の誤りが多いため');
    const planted = await testEnv.dataSource
      .getRepository(LeakCheckCode)
      .findOneByOrFail({ ticketId: row.id });
    expect(planted.attempts).toBe(0);
  });

  it('should explain instead of offering the button on a leak_check ticket without email', async () => {
    const ticket = await inquiry('will.be.erased@example.jp');
    await testEnv.dataSource
      .getRepository(Ticket)
      .update({ reference: ticket.reference }, { requesterEmail: null, requesterEmailIndex: null });
    const page = await request(intake.getHttpServer()).get(ticket.path).expect(200);
    expect(withoutWordBreaks(page.text)).toContain('メールアドレスのご登録がないため');
    expect(withoutWordBreaks(page.text)).not.toContain(`${ticket.path}/leak-check"`);
    await requestCode(ticket.path).expect(404);
  });

  it('should offer nothing on tickets of other categories', async () => {
    const ticket = await inquiry(LISTED_EMAIL, { category: 'password' });
    const page = await request(intake.getHttpServer()).get(ticket.path).expect(200);
    expect(withoutWordBreaks(page.text)).not.toContain('登録情報が含まれているか確認する');
    await requestCode(ticket.path).expect(404);
    await verify(ticket.path, '123456').expect(404);
  });
});
