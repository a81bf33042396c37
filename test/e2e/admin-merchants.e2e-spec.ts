import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { BusinessCalendar, CalendarClosure } from '@madoguchi/calendar';
import { Merchant, Site, Queue } from '@madoguchi/tenancy';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

describe(`operator administration of merchants, sites and closures (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenant: TestTenant;
  let admin: LoggedIn;

  const get = (path: string, session: LoggedIn = admin) =>
    request(desk.getHttpServer())
      .get(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html');

  const postForm = (path: string, fields: Record<string, string>, session: LoggedIn = admin) =>
    request(desk.getHttpServer())
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });

  const intakeGet = (slug: string) => request(intake.getHttpServer()).get(`/s/${slug}`);

  const merchantForm = (overrides: Record<string, string> = {}) => ({
    code: 'kaede-shop',
    name: 'かえで商店',
    notificationEmails: 'ops@kaede.example.jp\nsupport@kaede.example.jp',
    allowedIpRanges: '203.0.113.0/24, 2001:db8::/32',
    retentionDays: '400',
    supportEndsOn: '',
    ...overrides,
  });

  const siteForm = (overrides: Record<string, string> = {}) => ({
    slug: 'kaede-online',
    displayName: 'かえでオンラインストア',
    logoUrl: 'https://cdn.kaede.example.jp/logo.png',
    brandColor: '#AA3300',
    contactUrl: 'https://kaede.example.jp/contact',
    contactText: '03-0000-0000（平日10時〜18時）',
    senderName: 'かえでオンラインストア 事故対応窓口',
    intakeOpen: 'true',
    phoneCode: '4321',
    ...overrides,
  });

  const auditCount = (action: string) => testEnv.dataSource.manager.countBy(AuditEvent, { action });

  const counts = async () => ({
    merchants: await testEnv.dataSource.manager.count(Merchant),
    sites: await testEnv.dataSource.manager.count(Site),
    queues: await testEnv.dataSource.manager.count(Queue),
    closures: await testEnv.dataSource.manager.count(CalendarClosure),
  });

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    desk = await startDeskApp(testEnv);
    intake = await startIntakeApp(testEnv);
    tenant = await createTestTenant(testEnv.dataSource);
    const adminUser = await createTestUser(testEnv.dataSource, { role: 'admin' });
    admin = await loginAs(desk, adminUser.email);
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should create a merchant with its default queue and a site whose branded form is live at once', async () => {
    await intakeGet('kaede-online').expect(404);

    const created = await postForm('/admin/merchants', merchantForm()).expect(303);
    const merchant = await testEnv.dataSource.manager.findOneByOrFail(Merchant, {
      code: 'kaede-shop',
    });
    expect(created.headers.location).toBe(`/admin/merchants/${merchant.id}?done=merchantCreated`);
    expect(merchant.notificationEmails).toEqual([
      'ops@kaede.example.jp',
      'support@kaede.example.jp',
    ]);
    expect(merchant.allowedIpRanges).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(merchant.retentionDays).toBe(400);
    expect(merchant.supportEndsAt).toBeNull();
    const queues = await testEnv.dataSource.manager.findBy(Queue, { merchantId: merchant.id });
    expect(queues).toHaveLength(1);
    expect(queues[0].isDefault).toBe(true);

    const siteCreated = await postForm(`/admin/merchants/${merchant.id}/sites`, siteForm()).expect(
      303,
    );
    const site = await testEnv.dataSource.manager.findOneByOrFail(Site, { slug: 'kaede-online' });
    expect(siteCreated.headers.location).toBe(`/admin/sites/${site.id}?done=siteCreated`);
    expect(site.merchantId).toBe(merchant.id);
    expect(site.brandColor).toBe('#aa3300');
    expect(site.phoneCode).toBe('4321');
    expect(site.intakeOpen).toBe(true);

    const form = await intakeGet('kaede-online').expect(200);
    expect(form.text).toContain('かえでオンラインストア');

    const list = await get('/admin/merchants').expect(200);
    expect(list.text).toContain('かえで商店');
    expect(list.text).toContain('kaede-online');
    const page = await get(`/admin/sites/${site.id}`).expect(200);
    expect(page.text).toContain('value="#aa3300"');

    expect(await auditCount('merchant.created')).toBe(1);
    expect(await auditCount('site.created')).toBe(1);
  });

  it('should close the intake at once (410) when an admin unticks 受付 and reopen it again', async () => {
    const site = await testEnv.dataSource.manager.findOneByOrFail(Site, { slug: 'kaede-online' });
    const { intakeOpen: _omit, ...closed } = siteForm({ displayName: 'かえで（改）' });
    void _omit;
    await postForm(`/admin/sites/${site.id}`, closed).expect(303);
    await intakeGet('kaede-online').expect(410);

    await postForm(`/admin/sites/${site.id}`, siteForm({ displayName: 'かえで新ストア' })).expect(
      303,
    );
    const reopened = await intakeGet('kaede-online').expect(200);
    expect(reopened.text).toContain('かえで新ストア');
    expect(await auditCount('site.updated')).toBe(2);
  });

  it('should end the intake (410) after a support end date in the past and audit the change', async () => {
    const merchant = await testEnv.dataSource.manager.findOneByOrFail(Merchant, {
      code: 'kaede-shop',
    });
    await postForm(
      `/admin/merchants/${merchant.id}`,
      merchantForm({ supportEndsOn: '2020-03-31' }),
    ).expect(303);
    const updated = await testEnv.dataSource.manager.findOneByOrFail(Merchant, { id: merchant.id });
    // The end of 2020-03-31 in Tokyo.
    expect(updated.supportEndsAt?.toISOString()).toBe('2020-03-31T14:59:59.000Z');
    await intakeGet('kaede-online').expect(410);
    const page = await get(`/admin/merchants/${merchant.id}`).expect(200);
    expect(page.text).toContain('value="2020-03-31"');
    expect(await auditCount('merchant.updated')).toBe(1);

    await postForm(`/admin/merchants/${merchant.id}`, merchantForm()).expect(303);
    await intakeGet('kaede-online').expect(200);
  });

  describe('bad input', () => {
    const merchantCases: [string, Record<string, string>, string][] = [
      ['an upper-case code', { code: 'Kaede' }, 'code'],
      ['a one-letter code', { code: 'k' }, 'code'],
      ['a duplicate code', { code: 'kaede-shop' }, 'code'],
      [
        'a bad email',
        { notificationEmails: 'ops@kaede.example.jp, not-an-email' },
        'notificationEmails',
      ],
      ['a bad CIDR', { allowedIpRanges: '203.0.113.0/33' }, 'allowedIpRanges'],
      ['a non-address range', { allowedIpRanges: 'office-lan' }, 'allowedIpRanges'],
      ['retention of 0 days', { retentionDays: '0' }, 'retentionDays'],
      ['retention over 3650 days', { retentionDays: '3651' }, 'retentionDays'],
      ['an impossible support end date', { supportEndsOn: '2026-02-30' }, 'supportEndsOn'],
    ];

    it.each(merchantCases)(
      'should refuse a new merchant with %s (400, field error, nothing stored)',
      async (_name, overrides, field) => {
        const before = await counts();
        const auditBefore = await testEnv.dataSource.manager.count(AuditEvent);
        const response = await postForm(
          '/admin/merchants',
          merchantForm({ code: 'new-shop', ...overrides }),
        ).expect(400);
        expect(response.text).toContain(`id="f-${field}-error"`);
        expect(await counts()).toEqual(before);
        expect(await testEnv.dataSource.manager.count(AuditEvent)).toBe(auditBefore);
      },
    );

    it('should refuse more than 20 notification emails', async () => {
      const many = Array.from({ length: 21 }, (_, i) => `n${i}@kaede.example.jp`).join('\n');
      const response = await postForm(
        '/admin/merchants',
        merchantForm({ code: 'many-mails', notificationEmails: many }),
      ).expect(400);
      expect(response.text).toContain('id="f-notificationEmails-error"');
      expect(await testEnv.dataSource.manager.countBy(Merchant, { code: 'many-mails' })).toBe(0);
    });

    const siteCases: [string, Record<string, string>, string][] = [
      ['a duplicate slug', { slug: 'kaede-online' }, 'slug'],
      ['a slug with upper case', { slug: 'Kaede-Two' }, 'slug'],
      ['a slug with a slash', { slug: 'kaede/two' }, 'slug'],
      ['a bad colour', { brandColor: 'red' }, 'brandColor'],
      ['a short colour', { brandColor: '#abc' }, 'brandColor'],
      ['a javascript: contact URL', { contactUrl: 'javascript:alert(1)' }, 'contactUrl'],
      ['an http logo URL', { logoUrl: 'http://cdn.example.jp/logo.png' }, 'logoUrl'],
      ['a data: logo URL', { logoUrl: 'data:image/png;base64,AAAA' }, 'logoUrl'],
      ['a phone code with letters', { phoneCode: '12a' }, 'phoneCode'],
      ['a seven-digit phone code', { phoneCode: '1234567' }, 'phoneCode'],
      ['a duplicate phone code', { phoneCode: '4321' }, 'phoneCode'],
      ['an empty display name', { displayName: '  ' }, 'displayName'],
      ['a sender name with a line break', { senderName: 'a\r\nBcc: x@example.jp' }, 'senderName'],
    ];

    it.each(siteCases)(
      'should refuse a new site with %s (400, field error, nothing stored)',
      async (_name, overrides, field) => {
        const before = await counts();
        const response = await postForm(
          `/admin/merchants/${tenant.merchant.id}/sites`,
          siteForm({ slug: 'kaede-two', phoneCode: '', ...overrides }),
        ).expect(400);
        expect(response.text).toContain(`id="f-${field}-error"`);
        expect(await counts()).toEqual(before);
      },
    );

    it('should refuse to give a site another site’s slug on edit and keep the stored values', async () => {
      const response = await postForm(
        `/admin/sites/${tenant.site.id}`,
        siteForm({ slug: 'kaede-online', phoneCode: '', displayName: '変更されない' }),
      ).expect(400);
      expect(response.text).toContain('id="f-slug-error"');
      const stored = await testEnv.dataSource.manager.findOneByOrFail(Site, { id: tenant.site.id });
      expect(stored.slug).toBe(tenant.site.slug);
      expect(stored.displayName).toBe(tenant.site.displayName);
    });

    it('should answer 404 for an unknown merchant or site', async () => {
      await get('/admin/merchants/999999').expect(404);
      await get('/admin/sites/999999').expect(404);
      await postForm('/admin/merchants/999999/sites', siteForm({ slug: 'nowhere' })).expect(404);
      expect(await testEnv.dataSource.manager.countBy(Site, { slug: 'nowhere' })).toBe(0);
    });
  });

  describe('calendar closures', () => {
    /** The first ordinary business day from a start date (so the probe is not a weekend or holiday). */
    const businessDayFrom = (calendar: BusinessCalendar, start: string): string => {
      let day = new Date(`${start}T00:00:00Z`).getTime();
      for (;;) {
        const date = new Date(day).toISOString().slice(0, 10);
        if (calendar.closedReason(date) === null) return date;
        day += 86_400_000;
      }
    };

    it('should close the desk on an added date in this instance at once and reopen it on delete', async () => {
      const calendar = desk.get(BusinessCalendar);
      const date = businessDayFrom(calendar, '2031-06-02');
      const noonTokyo = new Date(`${date}T12:00:00+09:00`);
      expect(calendar.isOpenAt(noonTokyo)).toBe(true);

      await postForm('/admin/calendar', { date, reason: '臨時休業（設備点検）' }).expect(303);
      expect(calendar.isOpenAt(noonTokyo)).toBe(false);
      const page = await get('/admin/calendar').expect(200);
      expect(page.text).toContain('臨時休業（設備点検）');
      expect(page.text).toContain('60秒以内');

      const before = await counts();
      const duplicate = await postForm('/admin/calendar', { date, reason: '二重登録' }).expect(400);
      expect(duplicate.text).toContain('id="f-date-error"');
      expect(await counts()).toEqual(before);

      const closure = await testEnv.dataSource.manager.findOneByOrFail(CalendarClosure, { date });
      await postForm(`/admin/calendar/${closure.id}/delete`, {}).expect(303);
      expect(calendar.isOpenAt(noonTokyo)).toBe(true);
      expect(await testEnv.dataSource.manager.countBy(CalendarClosure, { date })).toBe(0);
      expect(await auditCount('calendar.closure_added')).toBe(1);
      expect(await auditCount('calendar.closure_deleted')).toBe(1);
    });

    it.each([
      ['an impossible date', { date: '2031-02-29', reason: '休業' }, 'date'],
      ['a date in another format', { date: '2031/06/02', reason: '休業' }, 'date'],
      ['an empty reason', { date: '2031-07-01', reason: '' }, 'reason'],
      ['a reason over 200 characters', { date: '2031-07-01', reason: 'あ'.repeat(201) }, 'reason'],
    ])('should refuse a closure with %s (400, nothing stored)', async (_name, fields, field) => {
      const before = await counts();
      const response = await postForm('/admin/calendar', fields).expect(400);
      expect(response.text).toContain(`id="f-${field}-error"`);
      expect(await counts()).toEqual(before);
    });

    it('should answer 404 when deleting an unknown closure', async () => {
      await postForm('/admin/calendar/999999/delete', {}).expect(404);
    });
  });

  describe('permissions', () => {
    const routes = (): [string, string][] => [
      ['GET', '/admin/merchants'],
      ['POST', '/admin/merchants'],
      ['GET', `/admin/merchants/${tenant.merchant.id}`],
      ['POST', `/admin/merchants/${tenant.merchant.id}`],
      ['POST', `/admin/merchants/${tenant.merchant.id}/sites`],
      ['GET', `/admin/sites/${tenant.site.id}`],
      ['POST', `/admin/sites/${tenant.site.id}`],
      ['GET', '/admin/calendar'],
      ['POST', '/admin/calendar'],
      ['POST', '/admin/calendar/1/delete'],
    ];

    it('should let a supervisor set the desk up: merchants and the calendar', async () => {
      const supervisor = await createTestUser(testEnv.dataSource, { role: 'supervisor' });
      const session = await loginAs(desk, supervisor.email);
      await get('/admin/merchants', session).expect(200);
      await get('/admin/calendar', session).expect(200);
      await postForm('/admin/calendar', { date: '2031-09-01', reason: '臨時休業' }, session).expect(
        303,
      );
    });

    it.each(['agent', 'merchant_admin'] as const)(
      'should answer 403 to a %s on every admin route and change nothing',
      async (role) => {
        const user = await createTestUser(testEnv.dataSource, {
          role,
          merchantId: role === 'merchant_admin' ? tenant.merchant.id : null,
        });
        const session = await loginAs(desk, user.email);
        const before = await counts();
        for (const [method, path] of routes()) {
          const response =
            method === 'GET'
              ? await get(path, session)
              : await postForm(
                  path,
                  {
                    ...merchantForm({ code: 'sneaky' }),
                    ...siteForm({ slug: 'sneaky' }),
                    date: '2031-08-01',
                    reason: 'x',
                  },
                  session,
                );
          expect({ method, path, status: response.status }).toEqual({ method, path, status: 403 });
        }
        expect(await counts()).toEqual(before);
      },
    );
  });
});
