import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { Site } from '@madoguchi/tenancy';
import { SITES_TEXTS } from '../../apps/desk/src/admin/sites/sites.texts';
import { siteFormValues } from '../../apps/desk/src/admin/sites/sites.view';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const INBOUND_DOMAIN = 'inbound.desk-test.example';

/**
 * Issue 14: each site's inbound address (`<slug>@INBOUND_MAIL_DOMAIN`) on its admin page, and a
 * further address per site (the alias), checked as an address, unique across sites, audited.
 */
describe(`a site's inbound addresses in admin (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let admin: LoggedIn;
  let tenant: TestTenant;
  let other: TestTenant;

  const siteOf = (id: number) => testEnv.dataSource.manager.findOneByOrFail(Site, { id });

  /** The site form as the page sends it, with `changes` over the site's current values. */
  const save = async (site: Site, changes: Record<string, string>, status: number) => {
    const { intakeOpen, ...values } = siteFormValues(await siteOf(site.id));
    return request(desk.getHttpServer())
      .post(`/admin/sites/${site.id}`)
      .set('Cookie', admin.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({
        _csrf: admin.csrfToken,
        ...values,
        ...(intakeOpen ? { intakeOpen: 'on' } : {}),
        ...changes,
      })
      .expect(status);
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INBOUND_MAIL_DOMAIN: INBOUND_DOMAIN });
    desk = await startDeskApp(testEnv);
    const user = await createTestUser(testEnv.dataSource, { role: 'admin' });
    admin = await loginAs(desk, user.email);
    tenant = await createTestTenant(testEnv.dataSource);
    other = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should show the site’s inbound address and offer the alias field', async () => {
    const page = await request(desk.getHttpServer())
      .get(`/admin/sites/${tenant.site.id}`)
      .set('Cookie', admin.cookie)
      .set('Accept', 'text/html')
      .expect(200);
    expect(page.text).toContain(SITES_TEXTS.inboundAddress);
    expect(page.text).toContain(
      `<li class="literal" data-inbound-address>${tenant.site.slug}@${INBOUND_DOMAIN}</li>`,
    );
    expect(page.text).toContain(SITES_TEXTS.inboundAlias);
    expect(page.text).toMatch(/<input[^>]+name="inboundAlias"[^>]+inputmode="email"/);
  });

  it('should store an alias lower-case, show it with the slug’s address, and audit the change', async () => {
    await save(tenant.site, { inboundAlias: 'Support@Shop.Example.JP' }, 303);
    expect((await siteOf(tenant.site.id)).inboundAlias).toBe('support@shop.example.jp');
    const page = await request(desk.getHttpServer())
      .get(`/admin/sites/${tenant.site.id}`)
      .set('Cookie', admin.cookie)
      .set('Accept', 'text/html')
      .expect(200);
    expect(page.text).toContain(
      '<li class="literal" data-inbound-address>support@shop.example.jp</li>',
    );
    const [event] = await testEnv.dataSource.manager.find(AuditEvent, {
      where: { action: 'site.updated', targetId: String(tenant.site.id) },
      order: { id: 'DESC' },
      take: 1,
    });
    expect(JSON.parse(event.detail ?? '{}')).toMatchObject({ changed: ['inboundAlias'] });
  });

  it('should keep an alias at the inbound domain as its local part (one spelling per address)', async () => {
    await save(tenant.site, { inboundAlias: `sakura-support@${INBOUND_DOMAIN}` }, 303);
    expect((await siteOf(tenant.site.id)).inboundAlias).toBe('sakura-support');
  });

  it.each([
    ['not an address', 'not an address'],
    ['a second @', 'a@b@shop.example.jp'],
    ['a reply-address form at the inbound domain', `reply+abc@${INBOUND_DOMAIN}`],
  ])('should refuse %s with the error beside the field, nothing changed', async (_what, alias) => {
    const before = await siteOf(tenant.site.id);
    const response = await save(tenant.site, { inboundAlias: alias }, 400);
    expect(response.text).toMatch(/id="f-inboundAlias-error"/);
    expect(response.text).toContain('受信用メールアドレス');
    expect(await siteOf(tenant.site.id)).toEqual(before);
  });

  it('should refuse another site’s alias, or another site’s slug address, with a clear error', async () => {
    await save(other.site, { inboundAlias: 'shared@shop.example.jp' }, 303);
    const taken = await save(tenant.site, { inboundAlias: 'SHARED@shop.example.jp' }, 400);
    expect(taken.text).toContain(
      'この受信用メールアドレス（別名）は既に他のサイトで使われています。',
    );
    const slugAddress = await save(
      tenant.site,
      {
        inboundAlias: `${other.site.slug}@${INBOUND_DOMAIN}`,
      },
      400,
    );
    expect(slugAddress.text).toContain(`${other.site.slug}@${INBOUND_DOMAIN}`);
    expect((await siteOf(tenant.site.id)).inboundAlias).toBe('sakura-support');
  });

  it('should refuse a slug that another site uses as its alias', async () => {
    const response = await save(other.site, { slug: 'sakura-support' }, 400);
    expect(response.text).toMatch(/id="f-slug-error"/);
  });

  it('should clear the alias when the field is emptied', async () => {
    await save(tenant.site, { inboundAlias: '' }, 303);
    expect((await siteOf(tenant.site.id)).inboundAlias).toBeNull();
  });
});
