import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import type { User } from '@madoguchi/auth';
import { IncidentService } from '@madoguchi/incidents';
import { AffectedListEntry, AffectedListUpload } from '@madoguchi/incident-response';
import { createTestUser, loginAs, type LoggedIn, startDeskApp } from '../support/desk-test-app';
import { dumpDatabase, startIntakeApp } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { withoutWordBreaks } from '../support/word-breaks';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
/** 電話番号 and 注文番号 in Shift_JIS, as bytes: TextEncoder writes only UTF-8. */
const SJIS_PHONE = [0x93, 0x64, 0x98, 0x62, 0x94, 0xd4, 0x8d, 0x86];
const SJIS_ORDER = [0x92, 0x8d, 0x95, 0xb6, 0x94, 0xd4, 0x8d, 0x86];

/** Values that must never reach the database in any form. */
const LISTED = {
  email: 'leaked.customer@example.jp',
  emailUpper: 'Second.Customer@Example.JP',
  phone: '090-7777-1234',
  phoneE164: '+819077771234',
  order: 'ZX-20261101-0042',
  sjisPhone: '080-5555-6789',
  sjisOrder: 'SJ-0099-1234',
};

describe(`affected-customer list upload (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenant: TestTenant;
  let other: TestTenant;
  let admin: User;
  let adminLogin: LoggedIn;
  let incidentId: number;
  let otherIncidentId: number;

  const entryCount = () =>
    testEnv.dataSource
      .getRepository(AffectedListEntry)
      .countBy({ incidentId, merchantId: tenant.merchant.id });
  const uploadCount = () => testEnv.dataSource.getRepository(AffectedListUpload).count();

  const upload = (
    login: LoggedIn,
    targetIncident: number,
    file: Buffer,
    mode: 'replace' | 'add' = 'add',
  ) =>
    request(desk.getHttpServer())
      .post(`/portal/affected-lists/${targetIncident}`)
      .set('cookie', login.cookie)
      .field('_csrf', login.csrfToken)
      .field('mode', mode)
      .attach('file', file, { filename: 'list.csv', contentType: 'text/csv' });

  const countOf = (html: string, name: string) =>
    Number(new RegExp(`data-count="${name}">(\\d+)<`).exec(html)?.[1]);

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource);
    other = await createTestTenant(testEnv.dataSource);
    admin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
      displayName: '加盟店 管理者',
    });
    adminLogin = await loginAs(desk, admin.email);
    const operator = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const incidents = desk.get(IncidentService);
    const actor = { userId: operator.id, ip: '127.0.0.1' };
    incidentId = (
      await incidents.create(
        {
          title: '2026年11月 不正アクセス',
          description: '決済画面の改ざん',
          leakedItems: 'メールアドレス、電話番号、注文番号',
          merchants: [{ merchantId: tenant.merchant.id, affected: true }],
        },
        actor,
      )
    ).id;
    otherIncidentId = (
      await incidents.create(
        {
          title: '他社のインシデント',
          description: '別の加盟店',
          leakedItems: 'メールアドレス',
          // As the admin form writes it: a line for every merchant, this one not affected.
          merchants: [
            { merchantId: other.merchant.id, affected: true },
            { merchantId: tenant.merchant.id, affected: false },
          ],
        },
        actor,
      )
    ).id;
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should list the incidents the merchant is involved in, and only those', async () => {
    const page = await request(desk.getHttpServer())
      .get('/portal/affected-lists')
      .set('cookie', adminLogin.cookie)
      .expect(200);
    expect(withoutWordBreaks(page.text)).toContain('2026年11月 不正アクセス');
    expect(withoutWordBreaks(page.text)).not.toContain('他社のインシデント');
  });

  it('should add a UTF-8 list with English headers and report rows read and added', async () => {
    const response = await upload(
      adminLogin,
      incidentId,
      utf8(
        `name,email,phone,order_number\r\n山田,${LISTED.email},${LISTED.phone},${LISTED.order}\r\n`,
      ),
    ).expect(200);
    expect(countOf(response.text, 'rows-read')).toBe(1);
    expect(countOf(response.text, 'rows-added')).toBe(1);
    expect(countOf(response.text, 'list-size')).toBe(3);
    expect(await entryCount()).toBe(3);
  });

  it('should read a UTF-8 file with a BOM and Japanese headers, counting values already listed as duplicates', async () => {
    const file = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      utf8(`メールアドレス,電話番号\n${LISTED.email.toUpperCase()},\n${LISTED.emailUpper},\n`),
    ]);
    const response = await upload(adminLogin, incidentId, file).expect(200);
    expect(withoutWordBreaks(response.text)).toContain('UTF-8');
    expect(countOf(response.text, 'rows-read')).toBe(2);
    expect(countOf(response.text, 'duplicates')).toBe(1);
    expect(countOf(response.text, 'rows-added')).toBe(1);
    expect(await entryCount()).toBe(4);
  });

  it('should read a Shift_JIS file (Excel CSV) with Japanese headers', async () => {
    const file = Buffer.concat([
      Buffer.from([...SJIS_PHONE, 0x2c, ...SJIS_ORDER, 0x0d, 0x0a]),
      utf8(`${LISTED.sjisPhone},${LISTED.sjisOrder}\r\n`),
    ]);
    const response = await upload(adminLogin, incidentId, file).expect(200);
    expect(withoutWordBreaks(response.text)).toContain('Shift_JIS');
    expect(countOf(response.text, 'rows-added')).toBe(1);
    expect(await entryCount()).toBe(6);
  });

  it('should skip malformed rows whole and report each with its line number and reason', async () => {
    const before = await entryCount();
    const response = await upload(
      adminLogin,
      incidentId,
      utf8(
        [
          'email,phone',
          'fresh.one@example.jp,',
          'not-an-email,090-1111-2222',
          ',12345',
          ',',
          'fresh.two@example.jp,090-2222-3333,extra',
        ].join('\n'),
      ),
    ).expect(200);
    expect(countOf(response.text, 'rows-read')).toBe(5);
    expect(countOf(response.text, 'rows-added')).toBe(1);
    expect(countOf(response.text, 'rows-rejected')).toBe(4);
    expect(response.text).toMatch(/3行目<\/span>:\s*メールアドレスの形式が正しくありません/);
    expect(response.text).toMatch(/4行目<\/span>:\s*電話番号の形式が正しくありません/);
    expect(response.text).toMatch(/5行目<\/span>:\s*値がありません/);
    expect(response.text).toMatch(/6行目<\/span>:\s*列の数が見出し行と合いません/);
    // The row with a bad email is not half-imported: its valid phone is not on the list.
    expect(await entryCount()).toBe(before + 1);
  });

  it('should replace the list in one go, keeping only the new file’s values', async () => {
    const response = await upload(
      adminLogin,
      incidentId,
      utf8(`email\n${LISTED.email}\nreplaced.only@example.jp\n`),
      'replace',
    ).expect(200);
    expect(countOf(response.text, 'list-size')).toBe(2);
    expect(await entryCount()).toBe(2);
  });

  it('should refuse a file without a known column, or not a CSV, and change nothing', async () => {
    const [entries, uploads] = [await entryCount(), await uploadCount()];
    const noColumn = await upload(
      adminLogin,
      incidentId,
      utf8('氏名,住所\n山田,東京\n'),
      'replace',
    );
    expect(noColumn.status).toBe(400);
    expect(withoutWordBreaks(noColumn.text)).toContain('見出し行に読み取れる列がありません');
    expect(withoutWordBreaks(noColumn.text)).toContain('リストは変更していません');
    const binary = await upload(
      adminLogin,
      incidentId,
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]),
      'replace',
    );
    expect(binary.status).toBe(400);
    expect(withoutWordBreaks(binary.text)).toContain('CSV（テキスト）ファイルとして読み取れません');
    const allBad = await upload(adminLogin, incidentId, utf8('email\nbad\n'), 'replace');
    expect(allBad.status).toBe(400);
    expect(allBad.text).toMatch(/2行目<\/span>:\s*メールアドレスの形式/);
    expect(await entryCount()).toBe(entries);
    expect(await uploadCount()).toBe(uploads);
    const refused = await testEnv.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'affected_list.upload_refused', merchantId: tenant.merchant.id });
    expect(refused.map((e) => JSON.parse(e.detail ?? '{}').reason)).toEqual([
      'no_known_column',
      'not_text',
      'no_valid_rows',
    ]);
  });

  it('should refuse a file over 5 MB with 413 and change nothing', async () => {
    const entries = await entryCount();
    const big = Buffer.concat([utf8('email\n'), Buffer.alloc(5 * 1024 * 1024, 0x61)]);
    const response = await upload(adminLogin, incidentId, big, 'replace');
    expect(response.status).toBe(413);
    expect(await entryCount()).toBe(entries);
  });

  it('should answer 404 for another merchant’s incident (even with a not-affected line) and write nothing', async () => {
    const uploads = await uploadCount();
    const entries = await testEnv.dataSource.getRepository(AffectedListEntry).count();
    await upload(adminLogin, otherIncidentId, utf8(`email\n${LISTED.email}\n`)).expect(404);
    await request(desk.getHttpServer())
      .get(`/portal/affected-lists/${otherIncidentId}`)
      .set('cookie', adminLogin.cookie)
      .expect(404);
    expect(await uploadCount()).toBe(uploads);
    expect(await testEnv.dataSource.getRepository(AffectedListEntry).count()).toBe(entries);
  });

  it('should refuse a merchant viewer (403) and an upload without the CSRF token', async () => {
    const viewer = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenant.merchant.id,
    });
    const viewerLogin = await loginAs(desk, viewer.email);
    const uploads = await uploadCount();
    await upload(viewerLogin, incidentId, utf8(`email\n${LISTED.email}\n`)).expect(403);
    await request(desk.getHttpServer())
      .get(`/portal/affected-lists/${incidentId}`)
      .set('cookie', viewerLogin.cookie)
      .expect(403);
    await request(desk.getHttpServer())
      .post(`/portal/affected-lists/${incidentId}`)
      .set('cookie', adminLogin.cookie)
      .field('mode', 'add')
      .attach('file', utf8(`email\nx@example.jp\n`), 'list.csv')
      .expect(403);
    expect(await uploadCount()).toBe(uploads);
  });

  it('should refuse multipart bodies on every other route (415)', async () => {
    await request(desk.getHttpServer())
      .post('/portal/export')
      .set('cookie', adminLogin.cookie)
      .field('_csrf', adminLogin.csrfToken)
      .attach('file', utf8('x'), 'x.csv')
      .expect(415);
  });

  it('should list the uploads with date, user and counts, and audit them with counts only', async () => {
    const page = await request(desk.getHttpServer())
      .get(`/portal/affected-lists/${incidentId}`)
      .set('cookie', adminLogin.cookie)
      .expect(200);
    expect(withoutWordBreaks(page.text)).toContain('data-upload-history');
    expect(withoutWordBreaks(page.text)).toContain('加盟店 管理者');
    expect(withoutWordBreaks(page.text)).toContain('置き換え');
    const events = await testEnv.dataSource
      .getRepository(AuditEvent)
      .findBy({ action: 'affected_list.uploaded', merchantId: tenant.merchant.id });
    expect(events).toHaveLength(5);
    expect(JSON.parse(events[0].detail ?? '{}')).toEqual({
      mode: 'add',
      encoding: 'utf-8',
      rowsRead: 1,
      rowsAdded: 1,
      duplicateRows: 0,
      rowsRejected: 0,
      listSize: 3,
    });
  });

  it('should show the agent which of a leak_check requester’s values are on the list', async () => {
    const intake = await startIntakeApp(testEnv);
    try {
      const created = await request(intake.getHttpServer())
        .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
        .send({
          name: '流出 確認',
          email: 'Leaked.Customer@example.jp',
          phone: '09000000000',
          category: 'leak_check',
          message: '私の情報は含まれていますか。',
          consent: true,
        })
        .expect(201);
      const agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      const agentLogin = await loginAs(desk, agent.email);
      const page = await request(desk.getHttpServer())
        .get(`/tickets/${created.body.reference}`)
        .set('cookie', agentLogin.cookie)
        .expect(200);
      expect(withoutWordBreaks(page.text)).toContain('流出対象者リストとの照合');
      expect(withoutWordBreaks(page.text)).toContain('data-match="email"');
      expect(withoutWordBreaks(page.text)).not.toContain('data-match="phone"');
      expect(withoutWordBreaks(page.text)).toContain('data-verified="no"');
    } finally {
      await intake.close();
    }
  });

  it('should leave none of the uploaded values in a dump of the whole database', async () => {
    const dump = await dumpDatabase(testEnv);
    for (const value of Object.values(LISTED)) {
      expect(dump).not.toContain(value);
      expect(dump.toLowerCase()).not.toContain(value.toLowerCase());
    }
    for (const value of ['replaced.only@example.jp', 'fresh.one@example.jp', '09077771234']) {
      expect(dump).not.toContain(value);
    }
  });

  it('should count a row repeating only earlier rows of the same file as a duplicate, and a row with one new value as added', async () => {
    const response = await upload(
      adminLogin,
      incidentId,
      utf8(
        [
          'email,phone',
          'dup.a@example.jp,090-1000-0001',
          // Same email, new phone: the row adds a value.
          'dup.a@example.jp,090-1000-0002',
          // Both values already read two lines up (the email in another case): a duplicate.
          'DUP.A@example.jp,090-1000-0001',
          'dup.b@example.jp,',
        ].join('\n'),
      ),
      'replace',
    ).expect(200);
    expect(countOf(response.text, 'rows-read')).toBe(4);
    expect(countOf(response.text, 'rows-added')).toBe(3);
    expect(countOf(response.text, 'duplicates')).toBe(1);
    expect(countOf(response.text, 'list-size')).toBe(4);
    expect(await entryCount()).toBe(4);
  });

  it('should add to a list of more than 10,000 values (read back page by page, inserted in chunks) without counting any twice', async () => {
    // More values than one page of the existing list (10,000) and than one INSERT (500).
    const emails = Array.from({ length: 10_050 }, (_, i) => `paged${i}@example.jp`);
    const first = await upload(
      adminLogin,
      incidentId,
      utf8(`email\n${emails.join('\n')}\n`),
      'replace',
    ).expect(200);
    expect(countOf(first.text, 'rows-added')).toBe(10_050);
    expect(await entryCount()).toBe(10_050);
    const second = await upload(
      adminLogin,
      incidentId,
      utf8(`email\n${[...emails].reverse().join('\n')}\npaged.new@example.jp\n`),
      'add',
    ).expect(200);
    expect(countOf(second.text, 'rows-read')).toBe(10_051);
    expect(countOf(second.text, 'duplicates')).toBe(10_050);
    expect(countOf(second.text, 'rows-added')).toBe(1);
    expect(countOf(second.text, 'list-size')).toBe(10_051);
    expect(await entryCount()).toBe(10_051);
  });
});
