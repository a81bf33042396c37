import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import {
  AnswerApproval,
  AnswerTemplate,
  AnswerTemplateVersion,
  Incident,
} from '@madoguchi/incidents';
import { FaqPageStat } from '@madoguchi/incident-response';
import { Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { withoutWordBreaks } from '../support/word-breaks';

type Fields = Record<string, string | string[]>;

function formBody(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  return params.toString();
}

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

/**
 * Issue 13.6: the public incident page `/s/{site}/incident` shows only the `faq` answers the
 * site's merchant approved (newest approved version per template), is linked from the form when
 * it has something to show, and counts views and the inquiries sent after reading it.
 */
describe(`public incident page and FAQ statistics (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let shopA: TestTenant;
  let shopB: TestTenant;
  let shopC: TestTenant;
  let admin: LoggedIn;
  let supervisor: LoggedIn;
  let adminA: LoggedIn;
  let adminB: LoggedIn;
  let incidentId: number;
  let faqTemplateId: number;

  const ds = () => testEnv.dataSource.manager;
  const intakeHttp = () => request(intake.getHttpServer());
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

  const addTemplate = (title: string, purpose: string, body: string) =>
    postForm(`/admin/incidents/${incidentId}/templates`, { title, purpose, body }, admin);
  const templateByTitle = (title: string) => ds().findOneByOrFail(AnswerTemplate, { title });
  const versionOf = (templateId: number, version: number) =>
    ds().findOneByOrFail(AnswerTemplateVersion, { templateId, version });
  const approve = (versionId: number, session: LoggedIn) =>
    postForm(
      `/portal/incidents/versions/${versionId}/decision`,
      { decision: 'approved' },
      session,
    ).expect(303);
  const stat = (tenant: TestTenant) => ds().findOneBy(FaqPageStat, { siteId: tenant.site.id });

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    shopA = await createTestTenant(testEnv.dataSource, {
      merchantName: 'あかね商店',
      siteName: 'あかねショップ',
      brandColor: '#8a2be2',
    });
    shopB = await createTestTenant(testEnv.dataSource, { merchantName: 'ぶなの木工房' });
    shopC = await createTestTenant(testEnv.dataSource, { merchantName: 'ちどり書店' });
    const user = (options: Parameters<typeof createTestUser>[1]) =>
      createTestUser(testEnv.dataSource, options).then((created) => loginAs(desk, created.email));
    admin = await user({ role: 'admin' });
    supervisor = await user({ role: 'supervisor' });
    adminA = await user({ role: 'merchant_admin', merchantId: shopA.merchant.id });
    adminB = await user({ role: 'merchant_admin', merchantId: shopB.merchant.id });
    // One incident affecting A and B (not C).
    await postForm(
      '/admin/incidents',
      {
        title: '2026年11月 決済画面の改ざん',
        description: '決済画面が改ざんされました。',
        leakedItems: '氏名、メールアドレス',
        occurredFrom: '2026-10-01',
        occurredTo: '2026-11-10',
        merchant: [String(shopA.merchant.id), String(shopB.merchant.id), String(shopC.merchant.id)],
        [`affected_${shopA.merchant.id}`]: 'yes',
        [`noticeDate_${shopA.merchant.id}`]: '',
        [`affected_${shopB.merchant.id}`]: 'yes',
        [`noticeDate_${shopB.merchant.id}`]: '',
        [`noticeDate_${shopC.merchant.id}`]: '',
      },
      admin,
    ).expect(303);
    incidentId = (await ds().findOneByOrFail(Incident, { title: '2026年11月 決済画面の改ざん' }))
      .id;
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('the faq purpose', () => {
    it('should offer the purpose on the admin form', async () => {
      const page = await get(`/admin/incidents/${incidentId}`, admin).expect(200);
      expect(withoutWordBreaks(page.text)).toContain('<option value="faq"');
      expect(withoutWordBreaks(page.text)).toContain('公開お知らせ（FAQ）');
    });

    it.each(['{{name}}', '{{ reference }}', '{{agent}}'])(
      'should refuse %s in a faq template with a field error and store nothing',
      async (placeholder) => {
        const before = await ds().count(AnswerTemplate);
        const response = await addTemplate(
          'カードは使えますか',
          'faq',
          `お客様 ${placeholder} へのご案内`,
        ).expect(400);
        expect(withoutWordBreaks(response.text)).toContain('公開ページ用（FAQ）の回答には');
        expect(withoutWordBreaks(response.text)).toContain(placeholder.replace(/\s/g, ''));
        expect(await ds().count(AnswerTemplate)).toBe(before);
      },
    );

    it('should accept {{name}} in an ordinary answer (the rule is for faq only)', async () => {
      await addTemplate('一般の回答', 'answer', '{{name}} 様 一般回答SECRET').expect(303);
    });

    it('should accept {{merchant}} and {{site}} and refuse {{name}} in a later edit', async () => {
      await addTemplate(
        'カードはこれからも使えますか',
        'faq',
        '{{merchant}}（{{site}}）では、カード決済を停止しています。FAQ-V1',
      ).expect(303);
      faqTemplateId = (await templateByTitle('カードはこれからも使えますか')).id;
      const before = await ds().count(AnswerTemplateVersion);
      const refused = await postForm(
        `/admin/incidents/templates/${faqTemplateId}`,
        { title: 'カードはこれからも使えますか', body: '{{name}} 様、FAQ-V2' },
        admin,
      ).expect(400);
      expect(withoutWordBreaks(refused.text)).toContain('{{name}}');
      expect(await ds().count(AnswerTemplateVersion)).toBe(before);
    });
  });

  describe('the public page', () => {
    it('should answer 404 for an unknown site', async () => {
      await intakeHttp().get('/s/no-such-shop/incident').expect(404);
    });

    it('should show nothing and link nothing while no faq version is approved', async () => {
      const page = await intakeHttp().get(`/s/${shopA.site.slug}/incident`).expect(200);
      expect(withoutWordBreaks(page.text)).toContain(
        '現在、このページでお知らせしている内容はありません。',
      );
      expect(withoutWordBreaks(page.text)).not.toContain('FAQ-V1');
      const form = await intakeHttp().get(`/s/${shopA.site.slug}`).expect(200);
      expect(withoutWordBreaks(form.text)).not.toContain('data-incident-link');
      expect(withoutWordBreaks(form.text)).not.toContain(`/s/${shopA.site.slug}/incident`);
      // Nothing to read: no view counted.
      expect(await stat(shopA)).toBeNull();
    });

    it('should show only the approved faq version of the site’s merchant, filled for the site', async () => {
      const generalId = (await templateByTitle('一般の回答')).id;
      await approve((await versionOf(generalId, 1)).id, adminA);
      await approve((await versionOf(faqTemplateId, 1)).id, adminA);
      // A newer draft (version 2) that A has not approved.
      await postForm(
        `/admin/incidents/templates/${faqTemplateId}`,
        { title: 'カードはこれからも使えますか', body: '{{merchant}} 下書き FAQ-V2' },
        admin,
      ).expect(303);
      // A faq answer only B approved.
      await addTemplate('B社だけのお知らせ', 'faq', 'B-ONLY-FAQ {{merchant}}').expect(303);
      await approve(
        (await versionOf((await templateByTitle('B社だけのお知らせ')).id, 1)).id,
        adminB,
      );

      const page = await intakeHttp().get(`/s/${shopA.site.slug}/incident`).expect(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(withoutWordBreaks(page.text)).toContain('不正アクセス事案についてのお知らせ');
      expect(withoutWordBreaks(page.text)).toContain(
        'あかね商店（あかねショップ）では、カード決済を停止しています。FAQ-V1',
      );
      expect(withoutWordBreaks(page.text)).toContain('カードはこれからも使えますか');
      // Not another purpose, not the unapproved version, not another merchant's answer.
      expect(withoutWordBreaks(page.text)).not.toContain('一般回答SECRET');
      expect(withoutWordBreaks(page.text)).not.toContain('FAQ-V2');
      expect(withoutWordBreaks(page.text)).not.toContain('B-ONLY-FAQ');
      expect(withoutWordBreaks(page.text)).not.toContain('ぶなの木工房');
      // The site's branding and the phone window line.
      expect(withoutWordBreaks(page.text)).toContain('#8a2be2');
      expect(withoutWordBreaks(page.text)).toContain('tel:+81367447492');
      expect(withoutWordBreaks(page.text)).toContain(`ショップ番号 ${shopA.site.phoneCode}`);
      // The way on to the form carries the flag.
      expect(withoutWordBreaks(page.text)).toContain(`href="/s/${shopA.site.slug}?from_faq=1"`);
      expect((await stat(shopA))?.views).toBe(1);
    });

    it('should show the newest approved version once the merchant approves it', async () => {
      await approve((await versionOf(faqTemplateId, 2)).id, adminA);
      const page = await intakeHttp().get(`/s/${shopA.site.slug}/incident`).expect(200);
      expect(withoutWordBreaks(page.text)).toContain('あかね商店 下書き FAQ-V2');
      expect(withoutWordBreaks(page.text)).not.toContain('FAQ-V1');
      expect((await stat(shopA))?.views).toBe(2);
    });

    it('should show B only its own answers, and C (not affected) nothing', async () => {
      const pageB = await intakeHttp().get(`/s/${shopB.site.slug}/incident`).expect(200);
      expect(withoutWordBreaks(pageB.text)).toContain('B-ONLY-FAQ ぶなの木工房');
      expect(withoutWordBreaks(pageB.text)).not.toContain('FAQ-V2');
      expect(withoutWordBreaks(pageB.text)).not.toContain('あかね商店');
      const pageC = await intakeHttp().get(`/s/${shopC.site.slug}/incident`).expect(200);
      expect(withoutWordBreaks(pageC.text)).toContain(
        '現在、このページでお知らせしている内容はありません。',
      );
      const formC = await intakeHttp().get(`/s/${shopC.site.slug}`).expect(200);
      expect(withoutWordBreaks(formC.text)).not.toContain('data-incident-link');
    });

    it('should withdraw an answer from the page when the merchant requests changes', async () => {
      const onlyB = await versionOf((await templateByTitle('B社だけのお知らせ')).id, 1);
      await postForm(
        `/portal/incidents/versions/${onlyB.id}/decision`,
        { decision: 'changes_requested', comment: '文言を見直してください' },
        adminB,
      ).expect(303);
      const pageB = await intakeHttp().get(`/s/${shopB.site.slug}/incident`).expect(200);
      expect(withoutWordBreaks(pageB.text)).not.toContain('B-ONLY-FAQ');
      // Restore B's approval for the statistics below.
      await approve(onlyB.id, adminB);
      expect(await ds().countBy(AnswerApproval, { versionId: onlyB.id })).toBe(1);
    });

    it('should not count a HEAD request as a view', async () => {
      const before = (await stat(shopA))?.views;
      // HEAD answers like GET (uptime checks), but the handler counts GETs only.
      await intakeHttp().head(`/s/${shopA.site.slug}/incident`).expect(200);
      expect((await stat(shopA))?.views).toBe(before);
    });
  });

  describe('link on the form and the "still wrote" counter', () => {
    it('should link the page above the form fields when it has answers', async () => {
      const form = await intakeHttp().get(`/s/${shopA.site.slug}`).expect(200);
      expect(withoutWordBreaks(form.text)).toContain('data-incident-link');
      const link = form.text.indexOf(`href="/s/${shopA.site.slug}/incident"`);
      expect(link).toBeGreaterThan(0);
      expect(link).toBeLessThan(form.text.indexOf('name="name"'));
      // Without the flag the form carries none.
      expect(withoutWordBreaks(form.text)).not.toContain('name="from_faq"');
    });

    it('should count an inquiry sent from the page’s link, and not one sent without it', async () => {
      const form = await intakeHttp().get(`/s/${shopA.site.slug}?from_faq=1`).expect(200);
      expect(withoutWordBreaks(form.text)).toContain(
        '<input type="hidden" name="from_faq" value="1" />',
      );
      const before = await ds().count(Ticket);
      // A refused submission keeps the flag and counts nothing.
      const refused = await intakeHttp()
        .post(`/s/${shopA.site.slug}`)
        .type('form')
        .send({ ...FORM, email: 'not-an-email', from_faq: '1' })
        .expect(400);
      expect(withoutWordBreaks(refused.text)).toContain('name="from_faq" value="1"');
      expect((await stat(shopA))?.inquiries).toBe(0);
      await intakeHttp()
        .post(`/s/${shopA.site.slug}`)
        .type('form')
        .send({ ...FORM, from_faq: '1' })
        .expect(303);
      // Another text: the same one within 30 minutes would be taken as a resubmission.
      await intakeHttp()
        .post(`/s/${shopA.site.slug}`)
        .type('form')
        .send({ ...FORM, message: `${FORM.message}（追記）` })
        .expect(303);
      expect(await ds().count(Ticket)).toBe(before + 2);
      const row = await stat(shopA);
      expect(row?.inquiries).toBe(1);
      expect(row?.merchantId).toBe(shopA.merchant.id);
      // Counts only: no IP, no cookie.
      expect(Object.keys(row ?? {}).sort()).toEqual(
        ['day', 'inquiries', 'merchantId', 'siteId', 'views'].sort(),
      );
      const page = await intakeHttp().get(`/s/${shopA.site.slug}/incident`).expect(200);
      expect(page.headers['set-cookie']).toBeUndefined();
    });

    it('should show the counters in the merchant’s statistics, its own only', async () => {
      const a = await stat(shopA);
      const statsA = await get('/portal/stats', adminA).expect(200);
      expect(withoutWordBreaks(statsA.text)).toContain('公開お知らせページ（FAQ）');
      expect(statsA.text).toMatch(
        new RegExp(`data-faq="views">\\s*<dt>[^<]+</dt>\\s*<dd class="stat__value">${a?.views}<`),
      );
      expect(statsA.text).toMatch(
        /data-faq="inquiries">\s*<dt>[^<]+<\/dt>\s*<dd class="stat__value">1</,
      );
      const b = await stat(shopB);
      const statsB = await get('/portal/stats', adminB).expect(200);
      expect(statsB.text).toMatch(
        new RegExp(`data-faq="views">\\s*<dt>[^<]+</dt>\\s*<dd class="stat__value">${b?.views}<`),
      );
      expect(statsB.text).toMatch(
        /data-faq="inquiries">\s*<dt>[^<]+<\/dt>\s*<dd class="stat__value">0</,
      );
    });

    it('should show every merchant’s counters on the supervisor dashboard', async () => {
      const a = await stat(shopA);
      const page = await get('/supervisor', supervisor).expect(200);
      const rowA = page.text.slice(
        page.text.indexOf(
          `<tr data-faq-merchant-id="${shopA.merchant.id}">`,
          page.text.indexOf('id="faq-table"'),
        ),
      );
      expect(rowA).toMatch(
        new RegExp(
          `^<tr data-faq-merchant-id="${shopA.merchant.id}">\\s*<th scope="row">あかね商店</th>\\s*<td data-col="faqViews">${a?.views}</td>\\s*<td data-col="faqInquiries">1</td>`,
        ),
      );
    });

    it('should not audit a page view (counts are not access to personal data)', async () => {
      expect(await ds().countBy(AuditEvent, { targetId: shopA.site.slug })).toBe(0);
    });
  });

  describe('rate of writes', () => {
    it('should count the page against the intake’s per-IP limit', async () => {
      const limited = await startIntakeApp(testEnv, { INTAKE_RATE_LIMIT_PER_MINUTE: '2' });
      try {
        const http = () => request(limited.getHttpServer());
        await http().get(`/s/${shopA.site.slug}/incident`).expect(200);
        await http().get(`/s/${shopA.site.slug}/incident`).expect(200);
        const before = (await stat(shopA))?.views;
        await http().get(`/s/${shopA.site.slug}/incident`).expect(429);
        // Refused before the handler: no counter write.
        expect((await stat(shopA))?.views).toBe(before);
        // Reading the form itself stays free.
        await http().get(`/s/${shopA.site.slug}`).expect(200);
      } finally {
        await limited.close();
      }
    });
  });
});
