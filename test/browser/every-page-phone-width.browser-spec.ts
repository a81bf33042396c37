import { writeFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { USER_ROLES, type User, type UserRole } from '@madoguchi/auth';
import { Call } from '@madoguchi/calls';
import {
  AnswerTemplate,
  AnswerTemplateVersion,
  ApprovedAnswerService,
  Incident,
} from '@madoguchi/incidents';
import { BulkSendService } from '@madoguchi/incident-response';
import { seedDemoData } from '@madoguchi/operations';
import { Merchant, Queue, Site } from '@madoguchi/tenancy';
import { CalendarClosure } from '@madoguchi/calendar';
import { FieldCipher } from '@madoguchi/crypto';
import { OutboxJob } from '@madoguchi/mail';
import {
  BulkActionService,
  CannedResponse,
  Message,
  Rule,
  SlaAlert,
  SlaAlertRecipient,
  SlaPolicy,
  Ticket,
  TicketPresence,
  TicketScopeService,
  UserSignature,
} from '@madoguchi/tickets';
import { LOGIN_TEXTS } from '../../apps/desk/src/auth/login/login.texts';
import { accessAllows } from '../../apps/desk/src/auth/permissions';
import { type RouteRule, routeRules } from '../../apps/desk/src/auth/pre-body-gate.hook';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { createTestUser, loginAs, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { axeViolations, layoutProblems, PHONE_LAYOUT_CONTEXT } from '../support/phone-layout';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';

/**
 * Issue 19, "every desk page usable at 375 px": each role logs in on a 375 px phone and opens
 * every page its role may open, the list derived from the desk's own route table (a new page is
 * visited without anyone listing it), ids filled from the demo data and a few fixtures. A page
 * fails when it scrolls sideways, shows a text one or two characters per line, breaks a heading,
 * button, label, menu entry or table header so that one character sits alone on a line
 * (test/support/phone-layout.probe.js), or has any axe-core violation. Every page is
 * screenshotted to test-results/browser/phone-<role>-<page>.png; the failures name the page and
 * the element.
 */

/** GET routes that are not pages a person reads, and why. */
const NOT_PAGES: readonly [RegExp, string][] = [
  [/^\/api\//, 'JSON API and the live event stream'],
  [/^\/assets\//, 'stylesheets and scripts'],
  [/^\/healthz$/, 'health check'],
  [/\.csv$/, 'CSV download'],
  [/\/attachments\/:id$/, 'file download'],
  [/\/calls\/:id\/recording$/, 'audio (a recording, played by the call pages)'],
];

/** Further addresses of a page worth a look of their own (a filled-in search). */
const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  '/search': ['', '?q=%E5%B1%B1%E7%94%B0'],
};

/** Pages whose path takes a one-time token: without a mailed token they show their refusal. */
const TOKEN_PAGES = new Set(['/invite/:token', '/password/reset/:token']);

/** The demo data's and the fixtures' ids, one per kind of path parameter. */
interface Fixtures {
  reference: string;
  queueId: number;
  cannedId: number;
  callId: number;
  incidentId: number;
  templateId: number;
  /** A version demo-a has not decided on yet (the approval's confirm step). */
  pendingVersionId: number;
  replyMessageId: number;
  bulkSendId: number;
  /** A bulk action (issue 15) the agent ran: its result page (staff may read it). */
  bulkRunId: number;
  /** A staff user (admin pages) and a user of demo-a (the portal's users page). */
  userId: number;
  merchantUserId: number;
  outboxJobId: number;
  merchantId: number;
  siteId: number;
  closureId: number;
  /** A demo rule (the seed's card-fraud trigger). */
  ruleId: number;
}

/** The page's address with each `:param` filled; an unknown parameter fails the test (add it here). */
function fillPath(route: string, ids: Fixtures): string {
  const segments = route.split('/');
  const filled = segments.map((segment, index) => {
    if (!segment.startsWith(':')) return segment;
    const name = segment.slice(1);
    const previous = segments[index - 1];
    if (name === 'reference') return ids.reference;
    if (name === 'token') return 'A'.repeat(43);
    if (name === 'templateId') return String(ids.templateId);
    if (name === 'versionId') return String(ids.pendingVersionId);
    if (name === 'jobId') return String(ids.outboxJobId);
    if (name === 'messageId') return String(ids.replyMessageId);
    if (name === 'incidentId' || previous === 'incidents') return String(ids.incidentId);
    if (name === 'queueId' || previous === 'queues') return String(ids.queueId);
    if (previous === 'users' && route.startsWith('/portal/')) return String(ids.merchantUserId);
    if (name === 'userId' || previous === 'users') return String(ids.userId);
    if (previous === 'canned-responses') return String(ids.cannedId);
    if (previous === 'calls') return String(ids.callId);
    if (previous === 'bulk-sends') return String(ids.bulkSendId);
    if (previous === 'bulk-actions') return String(ids.bulkRunId);
    if (previous === 'views') return 'mine';
    if (previous === 'merchants') return String(ids.merchantId);
    if (previous === 'sites') return String(ids.siteId);
    if (previous === 'calendar') return String(ids.closureId);
    if (previous === 'rules') return String(ids.ruleId);
    throw new Error(`no fixture for ${segment} in ${route}: add one to fillPath`);
  });
  return filled.join('/');
}

/** Query strings some pages need to show their content rather than a form's errors. */
function queryOf(route: string, ids: Fixtures): string {
  if (route.endsWith('/bulk-sends/preview') || route.endsWith('/bulk-sends/new')) {
    return `?merchantId=${ids.merchantId}&templateId=${ids.templateId}&selection=incident_open`;
  }
  return '';
}

const isPage = (path: string): boolean => !NOT_PAGES.some(([pattern]) => pattern.test(path));

/** Every GET page of the desk with its guard's rule, from the route table. */
function desksPages(desk: NestFastifyApplication): Map<string, RouteRule> {
  const pages = new Map<string, RouteRule>();
  for (const [key, rule] of routeRules(desk)) {
    const [method, path] = key.split(' ');
    if (method === 'GET' && isPage(path)) pages.set(path, rule);
  }
  return pages;
}

const slug = (url: string): string =>
  url
    .replace(/^\//, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/-$/, '') || 'home';

describe(`every desk page at 375 px, for every role (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let deskOrigin: string;
  let browser: Browser;
  let ids: Fixtures;
  const users = new Map<UserRole, User>();
  const contexts: BrowserContext[] = [];

  /** Opens the page, screenshots it, and returns what is wrong with it (empty: nothing). */
  async function check(page: Page, name: string, route: string): Promise<string[]> {
    const url = `${fillPath(route, ids)}${queryOf(route, ids)}`;
    const variants = VARIANTS[route] ?? [''];
    const failures: string[] = [];
    for (const variant of variants) {
      const address = `${url}${variant}`;
      const response = await page.goto(`${deskOrigin}${address}`);
      const status = response?.status() ?? 0;
      const landed = new URL(page.url()).pathname;
      if (TOKEN_PAGES.has(route) ? status >= 500 : status !== 200) {
        failures.push(`${address}: answered ${status}`);
      }
      if (landed === '/login' && !route.startsWith('/login')) {
        failures.push(`${address}: sent to the login page`);
      }
      await page.screenshot({
        path: screenshotPath(`phone-${name}-${slug(address)}`),
        fullPage: true,
      });
      for (const problem of await layoutProblems(page)) failures.push(`${address}: ${problem}`);
      for (const violation of await axeViolations(page)) {
        failures.push(`${address}: axe ${violation}`);
      }
    }
    return failures;
  }

  async function logIn(role: UserRole): Promise<Page> {
    const context = await browser.newContext(PHONE_LAYOUT_CONTEXT);
    contexts.push(context);
    const page = await context.newPage();
    const user = users.get(role) as User;
    await page.goto(`${deskOrigin}/login`);
    await page.getByLabel(LOGIN_TEXTS.login.email).fill(user.email);
    await page.getByLabel(LOGIN_TEXTS.login.password).fill(TEST_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname !== '/login'),
      page.getByRole('button', { name: LOGIN_TEXTS.login.submit }).click(),
    ]);
    return page;
  }

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    const ds = testEnv.dataSource;
    await seedDemoData(ds, TEST_PASSWORD);
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    deskOrigin = await listenOnLoopback(desk);

    const merchant = await ds.manager.findOneByOrFail(Merchant, { code: 'demo-a' });
    const site = await ds.manager.findOneByOrFail(Site, { slug: 'demo-a-shop' });
    const queues = await ds.manager.find(Queue);
    const queue = queues.find((q) => q.merchantId === merchant.id) as Queue;
    const [incident] = await ds.manager.find(Incident, { order: { id: 'DESC' }, take: 1 });
    // The answer demo-a approved (the seed's), its template, and its text.
    const approved = await new ApprovedAnswerService(ds).latestApproved(
      merchant.id,
      incident.id,
      'answer',
    );
    if (!approved) throw new Error('the demo seed approved no answer for demo-a');
    const template = await ds.manager.findOneByOrFail(AnswerTemplate, { id: approved.templateId });
    const version = { id: approved.versionId, body: approved.body };
    for (const role of USER_ROLES) {
      const merchantRole = role === 'merchant_admin' || role === 'merchant_viewer';
      users.set(
        role,
        await createTestUser(ds, {
          role,
          merchantId: merchantRole ? merchant.id : null,
          queueIds: role === 'agent' ? queues.map((q) => q.id) : [],
          displayName: merchantRole ? `デモA ${role}` : `${role} 担当`,
        }),
      );
    }

    // Inquiries of demo-a, linked to the incident, and one of demo-b.
    const references: string[] = [];
    const inquiries = [
      { ...VALID_INQUIRY, category: 'leak_check' },
      {
        ...VALID_INQUIRY,
        name: '長谷川 由紀子',
        email: 'yukiko.hasegawa.long-address-for-a-narrow-screen@example.co.jp',
        category: 'other',
        message:
          '先日届いたお知らせメールについて、記載の問い合わせ窓口に電話がつながらず困っています。折り返しのご連絡をお願いできますでしょうか。',
      },
      // Issue 15: the same requester again, so the ticket page and the merge's pick step show
      // the requester history (and this one is marked a probable duplicate).
      {
        ...VALID_INQUIRY,
        name: '長谷川 由紀子',
        email: 'yukiko.hasegawa.long-address-for-a-narrow-screen@example.co.jp',
        category: 'payment',
        message: '先ほどの件で追加のご相談です。カードの明細に見覚えのない請求があります。',
      },
    ];
    for (const inquiry of inquiries) {
      const created = await request(intake.getHttpServer())
        .post(`/api/v1/sites/${site.slug}/inquiries`)
        .send(inquiry)
        .expect(201);
      references.push((created.body as { reference: string }).reference);
    }
    await request(intake.getHttpServer())
      .post('/api/v1/sites/demo-b-shop/inquiries')
      .send(VALID_INQUIRY)
      .expect(201);
    await ds.manager.update(Ticket, { merchantId: merchant.id }, { incidentId: incident.id });

    // An agent's reply that edits the approved answer (the portal's diff page shows it).
    const agent = await loginAs(desk, (users.get('agent') as User).email);
    const ticket = await ds.manager.findOneByOrFail(Ticket, { reference: references[1] });
    await request(desk.getHttpServer())
      .post(`/api/v1/tickets/${ticket.reference}/replies`)
      .set('Cookie', agent.cookie)
      .set('x-csrf-token', agent.csrfToken)
      .send({
        body: `${version.body.replaceAll('{{name}}', '長谷川 由紀子')}\n追記：担当より折り返しお電話します。`,
        version: ticket.version,
        answerVersionId: version.id,
      })
      .expect(201);
    const reply = await ds.manager.findOneOrFail(Message, {
      where: { ticketId: ticket.id, kind: 'reply' },
      order: { id: 'DESC' },
    });

    // Issue 15: each staff user's reply signature (the account page shows it), and a colleague
    // writing on the ticket (the ticket page's and the queue list's presence; kept fresh for the run).
    for (const role of ['admin', 'supervisor', 'agent'] as const) {
      await ds.getRepository(UserSignature).insert({
        userId: (users.get(role) as User).id,
        signatureName: `窓口担当 ${role}`,
        signatureText: '株式会社デモA商店 お問い合わせ窓口\n受付時間 平日10:00〜18:00',
        updatedAt: new Date(),
      });
    }
    await ds.getRepository(TicketPresence).insert({
      ticketId: ticket.id,
      userId: (users.get('supervisor') as User).id,
      state: 'writing',
      lastSeenAt: new Date(Date.now() + 60 * 60_000),
    });

    // A bulk send of the approved answer by demo-a's administrator, run to the end.
    const bulk = desk.get(BulkSendService);
    const merchantAdmin = users.get('merchant_admin') as User;
    const scope = await desk.get(TicketScopeService).forUser(merchantAdmin);
    const selection = {
      merchantId: merchant.id,
      templateId: template.id,
      selection: 'incident_open' as const,
    };
    const preview = await bulk.preview(scope, selection);
    const bulkSendId = await bulk.start(
      scope,
      { ...selection, expectedCount: preview.count },
      { userId: merchantAdmin.id, ip: '127.0.0.1' },
    );
    for (let i = 0; i < 20 && (await bulk.processBatch(10)) > 0; i += 1);

    // A bulk action (issue 15) the agent ran on demo-a's tickets: its result page.
    const agentUser = users.get('agent') as User;
    const agentScope = await desk.get(TicketScopeService).forUser(agentUser);
    const bulkActions = desk.get(BulkActionService);
    const bulkRun = await bulkActions.preview(
      agentScope,
      { action: 'priority', priority: 'high' },
      { kind: 'references', references },
      { userId: agentUser.id, ip: '127.0.0.1' },
      `/queues/${queue.id}`,
    );
    await bulkActions.run(agentScope, bulkRun.id, { userId: agentUser.id, ip: '127.0.0.1' });

    // A call from a shopper of demo-a that ended in voicemail.
    const now = new Date();
    await ds.getRepository(Call).insert({
      callSid: 'CA-phone-layout-0001',
      fromNumber: desk.get(FieldCipher).encrypt('+819012345678'),
      fromIndex: null,
      callerIdWithheld: false,
      toNumber: '+81367447492',
      status: 'completed',
      lastSequence: null,
      startedAt: now,
      enqueuedAt: now,
      answeredAt: null,
      endedAt: now,
      waitSeconds: 42,
      talkSeconds: 0,
      outcome: 'voicemail',
      withinHours: true,
      agentId: null,
      merchantId: merchant.id,
      ticketId: null,
      recordingSid: null,
      recordingUrl: null,
      recordingSeconds: null,
      createdAt: now,
      updatedAt: now,
    });
    const call = await ds.getRepository(Call).findOneByOrFail({ callSid: 'CA-phone-layout-0001' });
    const [canned] = await ds.manager.find(CannedResponse, { order: { id: 'ASC' }, take: 1 });
    // A new version of the answer, not yet decided on by demo-a (the approval's confirm step).
    const versions = await ds.manager.findBy(AnswerTemplateVersion, { templateId: template.id });
    const pending = await ds.manager.save(
      ds.manager.create(AnswerTemplateVersion, {
        templateId: template.id,
        version: Math.max(...versions.map((v) => v.version)) + 1,
        body: `${version.body}\n（改訂：問い合わせ先の電話番号を追記）`,
        createdByUserId: null,
        createdAt: now,
      }),
    );
    // The inquiries' confirmation mails wait in the outbox (no mail server in this test).
    const [outboxJob] = await ds.manager.find(OutboxJob, { order: { id: 'ASC' }, take: 1 });
    const [closure] = await ds.manager.find(CalendarClosure, { order: { id: 'ASC' }, take: 1 });
    // Issue 15: an SLA policy of demo-a and a breach alert for the supervisor (the badge, the list).
    await ds.getRepository(SlaPolicy).insert({
      merchantId: merchant.id,
      priority: 'urgent',
      category: 'payment',
      firstResponseMinutes: 60,
      resolutionMinutes: 480,
      updatedByUserId: null,
      updatedAt: now,
    });
    const alert = await ds.getRepository(SlaAlert).save({
      ticketId: ticket.id,
      merchantId: merchant.id,
      queueId: ticket.queueId,
      kind: 'breached',
      deadline: now,
      createdAt: now,
    });
    await ds.getRepository(SlaAlertRecipient).insert({
      alertId: alert.id,
      userId: (users.get('supervisor') as User).id,
      readAt: null,
    });
    const [rule] = await ds.manager.find(Rule, { order: { id: 'ASC' }, take: 1 });

    ids = {
      reference: references[1],
      queueId: queue.id,
      cannedId: canned.id,
      callId: call.id,
      incidentId: incident.id,
      templateId: template.id,
      pendingVersionId: pending.id,
      replyMessageId: reply.id,
      bulkSendId,
      bulkRunId: bulkRun.id,
      userId: (users.get('agent') as User).id,
      merchantUserId: (users.get('merchant_viewer') as User).id,
      outboxJobId: outboxJob.id,
      merchantId: merchant.id,
      siteId: site.id,
      closureId: closure.id,
      ruleId: rule.id,
    };
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should know every GET route of the desk as a page or as something else, and fill its ids', () => {
    const pages = desksPages(desk);
    expect(pages.size).toBeGreaterThan(40);
    const unreachable = [...pages]
      .filter(([, rule]) => !rule.isPublic && !USER_ROLES.some((role) => accessAllows(rule, role)))
      .map(([path]) => path);
    expect(unreachable).toEqual([]);
    for (const path of pages.keys()) expect(() => fillPath(path, ids)).not.toThrow();
  });

  const results: string[] = [];
  afterAll(() => {
    // One readable list of every failure of the run, next to the screenshots.
    writeFileSync(screenshotPath('phone-failures').replace(/\.png$/, '.txt'), results.join('\n'));
  });

  it('should show the pages outside a session (login, password, invitation) usably at 375 px', async () => {
    const context = await browser.newContext(PHONE_LAYOUT_CONTEXT);
    contexts.push(context);
    const page = await context.newPage();
    const failures: string[] = [];
    for (const [route, rule] of desksPages(desk)) {
      if (rule.isPublic) failures.push(...(await check(page, 'public', route)));
    }
    results.push(...failures.map((f) => `[public] ${f}`));
    expect(failures).toEqual([]);
  });

  it.each(USER_ROLES)(
    'should show every page the role %s may open usably at 375 px',
    async (role) => {
      const page = await logIn(role);
      const failures: string[] = [];
      let visited = 0;
      for (const [route, rule] of desksPages(desk)) {
        if (rule.isPublic || !accessAllows(rule, role)) continue;
        visited += 1;
        failures.push(...(await check(page, role, route)));
      }
      results.push(...failures.map((f) => `[${role}] ${f}`));
      expect(visited).toBeGreaterThan(5);
      expect(failures).toEqual([]);
    },
    // An admin opens some 40 pages, each measured and run through axe: ~50 s on an idle machine.
    240_000,
  );
});
