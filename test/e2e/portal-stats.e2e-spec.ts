import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { Call } from '@madoguchi/calls';
import { Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const HOUR = 3_600_000;

/** Tokyo wall-clock time as an instant. */
const tokyo = (text: string) => new Date(`${text}+09:00`);

describe(`merchant portal statistics (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let viewerA: LoggedIn;
  let adminA: LoggedIn;
  let staffAdmin: LoggedIn;
  let agent: LoggedIn;

  const get = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer())
      .get(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html');

  /** A ticket straight into the table: the statistics read only these columns. */
  const insertTicket = async (tenant: TestTenant, fields: Partial<Ticket>) => {
    await testEnv.dataSource.manager.insert(Ticket, {
      reference: `T${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 16),
      merchantId: tenant.merchant.id,
      siteId: tenant.site.id,
      queueId: tenant.queue.id,
      channel: 'web',
      category: 'leak_check',
      status: 'new',
      priority: 'normal',
      createdAt: new Date(),
      updatedAt: new Date(),
      version: 1,
      ...fields,
    });
  };

  const insertCall = async (tenant: TestTenant, outcome: string, startedAt: Date) => {
    await testEnv.dataSource.manager.insert(Call, {
      callSid: `CA${randomBytes(16).toString('hex')}`,
      callerIdWithheld: false,
      toNumber: '+81300000000',
      status: 'completed',
      startedAt,
      outcome,
      merchantId: tenant.merchant.id,
      createdAt: startedAt,
      updatedAt: startedAt,
    });
  };

  /** The figure of a `data-…` attribute on the element carrying `marker`. */
  const attr = (html: string, marker: string, name: string): string | undefined =>
    new RegExp(`${marker}[^>]*?${name}="([^"]*)"`).exec(html)?.[1];

  const dayTotal = (html: string, date: string) => attr(html, `data-date="${date}"`, 'data-total');

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv);
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: 'もみじ商店' });
    const ds = testEnv.dataSource;
    const users = {
      viewerA: await createTestUser(ds, {
        role: 'merchant_viewer',
        merchantId: tenantA.merchant.id,
      }),
      adminA: await createTestUser(ds, { role: 'merchant_admin', merchantId: tenantA.merchant.id }),
      staff: await createTestUser(ds, { role: 'admin' }),
      agent: await createTestUser(ds, { role: 'agent', queueIds: [tenantA.queue.id] }),
    };
    viewerA = await loginAs(desk, users.viewerA.email);
    adminA = await loginAs(desk, users.adminA.email);
    staffAdmin = await loginAs(desk, users.staff.email);
    agent = await loginAs(desk, users.agent.email);

    // Merchant A, 2025-04-01 .. 04-03 (Tokyo).
    const d1 = tokyo('2025-04-01T10:00:00');
    // first response within 8 h, resolved within its deadline
    await insertTicket(tenantA, {
      createdAt: d1,
      category: 'leak_check',
      channel: 'web',
      status: 'resolved',
      firstResponseDueAt: new Date(d1.getTime() + 8 * HOUR),
      firstRespondedAt: new Date(d1.getTime() + 2 * HOUR),
      resolutionDueAt: new Date(d1.getTime() + 40 * HOUR),
      resolvedAt: new Date(d1.getTime() + 10 * HOUR),
    });
    // first response late (12 h), resolved late
    await insertTicket(tenantA, {
      createdAt: tokyo('2025-04-01T23:59:00'),
      category: 'payment',
      channel: 'phone',
      status: 'closed',
      firstResponseDueAt: new Date(tokyo('2025-04-01T23:59:00').getTime() + 8 * HOUR),
      firstRespondedAt: new Date(tokyo('2025-04-01T23:59:00').getTime() + 12 * HOUR),
      resolutionDueAt: new Date(tokyo('2025-04-01T23:59:00').getTime() + 40 * HOUR),
      resolvedAt: new Date(tokyo('2025-04-01T23:59:00').getTime() + 50 * HOUR),
    });
    // 2025-04-02 00:30 Tokyo is still 04-01 in UTC: counted on Tokyo's 04-02
    const d2 = tokyo('2025-04-02T00:30:00');
    await insertTicket(tenantA, {
      createdAt: d2,
      category: 'payment',
      channel: 'email',
      status: 'open',
      firstResponseDueAt: new Date(d2.getTime() + 8 * HOUR),
      firstRespondedAt: new Date(d2.getTime() + 4 * HOUR),
      resolutionDueAt: new Date(d2.getTime() + 40 * HOUR),
    });
    // never answered, long overdue: a miss
    await insertTicket(tenantA, {
      createdAt: tokyo('2025-04-03T09:00:00'),
      category: 'other',
      channel: 'web',
      status: 'new',
      firstResponseDueAt: tokyo('2025-04-03T17:00:00'),
      resolutionDueAt: tokyo('2025-04-07T17:00:00'),
    });
    // outside the range (the day after)
    await insertTicket(tenantA, { createdAt: tokyo('2025-04-04T00:00:00') });
    // Merchant B, same days: never counted for A
    for (let i = 0; i < 3; i += 1)
      await insertTicket(tenantB, { createdAt: d1, category: 'other', channel: 'phone' });

    await insertCall(tenantA, 'answered', tokyo('2025-04-01T11:00:00'));
    await insertCall(tenantA, 'answered', tokyo('2025-04-02T11:00:00'));
    await insertCall(tenantA, 'voicemail', tokyo('2025-04-03T20:00:00'));
    await insertCall(tenantB, 'answered', tokyo('2025-04-01T11:00:00'));
    await insertCall(tenantB, 'abandoned', tokyo('2025-04-01T12:00:00'));
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  const RANGE = '/portal/stats?from=2025-04-01&to=2025-04-03';

  it('should count the merchant\u2019s inquiries per Tokyo day, category and channel', async () => {
    const { text } = await get(RANGE, viewerA).expect(200);
    expect(text).toMatch(/data-stat="total">\s*<dt>[^<]*<\/dt>\s*<dd class="stat__value">4<\/dd>/);
    expect(dayTotal(text, '2025-04-01')).toBe('2');
    expect(dayTotal(text, '2025-04-02')).toBe('1');
    expect(dayTotal(text, '2025-04-03')).toBe('1');
    expect(attr(text, 'id="category-table"[\\s\\S]*?data-key="payment"', 'data-count')).toBe('2');
    expect(attr(text, 'id="category-table"[\\s\\S]*?data-key="other"', 'data-count')).toBe('1');
    expect(attr(text, 'id="channel-table"[\\s\\S]*?data-key="phone"', 'data-count')).toBe('1');
    expect(attr(text, 'id="channel-table"[\\s\\S]*?data-key="email"', 'data-count')).toBe('1');
    // open vs resolved, by the state now
    expect(text).toMatch(/data-stat="open">\s*<dt>[^<]*<\/dt>\s*<dd class="stat__value">2<\/dd>/);
    expect(text).toMatch(
      /data-stat="resolved">\s*<dt>[^<]*<\/dt>\s*<dd class="stat__value">2<\/dd>/,
    );
  });

  it('should report the SLA shares within target and the median hours', async () => {
    const { text } = await get(RANGE, adminA).expect(200);
    // first response: met 2 (2 h, 4 h), missed 2 (12 h late, never answered)
    expect(attr(text, 'data-sla="first_response"', 'data-met')).toBe('2');
    expect(attr(text, 'data-sla="first_response"', 'data-missed')).toBe('2');
    const firstRow = /data-sla="first_response"[\s\S]*?<\/tr>/.exec(text)?.[0] ?? '';
    expect(firstRow).toContain('50.0%');
    // median of 2, 4, 12 hours
    expect(firstRow).toContain('4.0時間');
    // resolution: met 1 (10 h); missed 3: one resolved after 50 h, two still open past their
    // deadline (the data set lies in the past)
    expect(attr(text, 'data-sla="resolution"', 'data-met')).toBe('1');
    expect(attr(text, 'data-sla="resolution"', 'data-missed')).toBe('3');
    const resolutionRow = /data-sla="resolution"[\s\S]*?<\/tr>/.exec(text)?.[0] ?? '';
    expect(resolutionRow).toContain('25.0%');
    expect(resolutionRow).toContain('30.0時間');
  });

  it('should count only the merchant\u2019s own calls by outcome', async () => {
    const { text } = await get(RANGE, viewerA).expect(200);
    expect(attr(text, 'id="calls-total"', 'data-count')).toBe('3');
    expect(attr(text, 'id="calls-table"[\\s\\S]*?data-key="answered"', 'data-count')).toBe('2');
    expect(attr(text, 'id="calls-table"[\\s\\S]*?data-key="voicemail"', 'data-count')).toBe('1');
    expect(attr(text, 'id="calls-table"[\\s\\S]*?data-key="abandoned"', 'data-count')).toBe('0');
  });

  it('should draw server-side SVG charts with a title and description, and no external script', async () => {
    const { text } = await get(RANGE, viewerA).expect(200);
    expect(text).toContain('<svg');
    expect(text).toContain('<title id="category-chart-title">');
    expect(text).toContain('<desc id="channel-chart-desc">');
    expect(text).not.toMatch(/<script[^>]+src="https?:/);
  });

  it('should never count another merchant\u2019s tickets', async () => {
    const tenantBUser = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenantB.merchant.id,
    });
    const { text } = await get(RANGE, await loginAs(desk, tenantBUser.email)).expect(200);
    expect(dayTotal(text, '2025-04-01')).toBe('3');
    expect(dayTotal(text, '2025-04-02')).toBe('0');
    expect(attr(text, 'id="calls-total"', 'data-count')).toBe('2');
    // a merchant id in the query string changes nothing: the scope comes from the session
    const forged = await get(`${RANGE}&merchantId=${tenantB.merchant.id}`, viewerA).expect(200);
    expect(dayTotal(forged.text, '2025-04-01')).toBe('2');
  });

  it('should refuse a range over 92 days or a malformed date with 400', async () => {
    const long = await get('/portal/stats?from=2025-01-01&to=2025-04-30', viewerA).expect(400);
    expect(long.text).toContain('92日以内');
    await get('/portal/stats?from=2025-13-01', viewerA).expect(400);
  });

  it('should default to the last 30 days', async () => {
    const { text } = await get('/portal/stats', viewerA).expect(200);
    expect((text.match(/<tr data-date="/g) ?? []).length).toBe(30);
  });

  it('should refuse operator staff the portal statistics (403)', async () => {
    await get(RANGE, staffAdmin).expect(403);
    await get(RANGE, agent).expect(403);
  });

  it('should show the statistics link in the portal nav', async () => {
    const { text } = await get('/portal/cases', viewerA).expect(200);
    expect(text).toContain('href="/portal/stats"');
    // the export is merchant_admin only
    expect(text).not.toContain('href="/portal/export"');
  });
});
