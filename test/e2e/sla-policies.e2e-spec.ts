import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AUDIT_ACTIONS, AuditEvent } from '@madoguchi/audit';
import { SlaAlert, SlaAlertRecipient, SlaPolicy } from '@madoguchi/tickets';
import { SLA_POLICIES_TEXTS } from '../../apps/desk/src/supervisor/sla-policies/sla-policies.texts';
import { NOTIFICATIONS_TEXTS } from '../../apps/desk/src/supervisor/notifications/notifications.texts';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { createTestTicket, startTicketServices } from '../support/ticket-desk-test';

/** The SLA policies page and API, and the notifications page with the menu's badge (issue 15). */
describe(`SLA policies and notifications in the desk (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let tenant: TestTenant;
  let supervisor: LoggedIn;
  let supervisorId: number;
  let agent: LoggedIn;

  const http = () => request(desk.getHttpServer());
  const page = (path: string, session: LoggedIn) =>
    http().get(path).set('cookie', session.cookie).set('accept', 'text/html');
  const form = (path: string, session: LoggedIn, body: Record<string, string>) =>
    http()
      .post(path)
      .set('cookie', session.cookie)
      .type('form')
      .send({ ...body, _csrf: session.csrfToken });
  const audits = (action: string) =>
    testEnv.dataSource.getRepository(AuditEvent).find({ where: { action }, order: { id: 'ASC' } });

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenant = await createTestTenant(testEnv.dataSource);
    desk = await startDeskApp(testEnv);
    const user = await createTestUser(testEnv.dataSource, {
      role: 'supervisor',
      queueIds: [tenant.queue.id],
    });
    supervisorId = user.id;
    supervisor = await loginAs(desk, user.email);
    const agentUser = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    agent = await loginAs(desk, agentUser.email);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should let a supervisor save a policy on the page, audited, and show it', async () => {
    await form('/supervisor/sla-policies', supervisor, {
      merchantId: String(tenant.merchant.id),
      priority: 'urgent',
      category: 'payment',
      firstResponseMinutes: '60',
      resolutionMinutes: '240',
    })
      .expect(303)
      .expect('location', '/supervisor/sla-policies?done=saved');
    const stored = await testEnv.dataSource
      .getRepository(SlaPolicy)
      .findOneByOrFail({ merchantId: tenant.merchant.id, priority: 'urgent', category: 'payment' });
    expect(stored).toMatchObject({ firstResponseMinutes: 60, resolutionMinutes: 240 });
    const [saved] = (await audits(AUDIT_ACTIONS.slaPolicySaved)).slice(-1);
    expect(saved).toMatchObject({
      actorId: supervisorId,
      merchantId: tenant.merchant.id,
      targetType: 'sla_policy',
      targetId: String(stored.id),
    });
    const shown = await page('/supervisor/sla-policies?done=saved', supervisor).expect(200);
    expect(shown.text).toContain(SLA_POLICIES_TEXTS.notices.saved);
    expect(shown.text).toContain('1時間');
    expect(shown.text).toContain('4時間');
  });

  it('should refuse bad input beside its field and store nothing', async () => {
    const before = await testEnv.dataSource.getRepository(SlaPolicy).count();
    const response = await form('/supervisor/sla-policies', supervisor, {
      merchantId: String(tenant.merchant.id),
      priority: 'high',
      category: '',
      firstResponseMinutes: '600',
      resolutionMinutes: '60',
    }).expect(400);
    expect(response.text).toContain('解決の目標は初回回答の目標以上にしてください。');
    expect(await testEnv.dataSource.getRepository(SlaPolicy).count()).toBe(before);
  });

  it('should keep agents out of the page and the API', async () => {
    await page('/supervisor/sla-policies', agent).expect(403);
    await http().get('/api/v1/sla-policies').set('cookie', agent.cookie).expect(403);
  });

  it('should list, replace and delete policies through the API', async () => {
    const put = await http()
      .put('/api/v1/sla-policies')
      .set('cookie', supervisor.cookie)
      .set('x-csrf-token', supervisor.csrfToken)
      .send({
        merchantId: tenant.merchant.id,
        priority: 'urgent',
        category: 'payment',
        firstResponseMinutes: 30,
        resolutionMinutes: 120,
      })
      .expect(200);
    expect(put.body).toMatchObject({ category: 'payment', firstResponseMinutes: 30 });
    const list = await http()
      .get('/api/v1/sla-policies')
      .set('cookie', supervisor.cookie)
      .expect(200);
    expect(list.body).toHaveLength(1);
    await http()
      .put('/api/v1/sla-policies')
      .set('cookie', supervisor.cookie)
      .set('x-csrf-token', supervisor.csrfToken)
      .send({ merchantId: tenant.merchant.id, priority: 'soon', firstResponseMinutes: 0 })
      .expect(400);
    await http()
      .delete(`/api/v1/sla-policies/${(put.body as { id: number }).id}`)
      .set('cookie', supervisor.cookie)
      .set('x-csrf-token', supervisor.csrfToken)
      .expect(204);
    expect(await testEnv.dataSource.getRepository(SlaPolicy).count()).toBe(0);
    expect((await audits(AUDIT_ACTIONS.slaPolicyDeleted)).slice(-1)[0]).toMatchObject({
      actorId: supervisorId,
      merchantId: tenant.merchant.id,
    });
  });

  it('should show a supervisor’s unread alerts with a badge in the menu, and mark them read', async () => {
    const services = await startTicketServices(testEnv);
    const ticketId = (await createTestTicket(services, tenant)).ticket.id;
    await services.close();
    const now = new Date();
    const alert = await testEnv.dataSource.getRepository(SlaAlert).save({
      ticketId,
      merchantId: tenant.merchant.id,
      queueId: tenant.queue.id,
      kind: 'breached',
      deadline: now,
      createdAt: now,
    });
    await testEnv.dataSource
      .getRepository(SlaAlertRecipient)
      .insert({ alertId: alert.id, userId: supervisorId, readAt: null });
    const home = await page('/supervisor', supervisor).expect(200);
    expect(home.text).toMatch(
      /href="\/supervisor\/notifications"\s*>[^<]*<span class="nav-badge">1<\/span\s*>/,
    );
    const list = await page('/supervisor/notifications', supervisor).expect(200);
    expect(list.text).toContain(NOTIFICATIONS_TEXTS.kinds.breached);
    expect(list.text).toContain(NOTIFICATIONS_TEXTS.markAllRead);
    await form('/supervisor/notifications/read', supervisor, { alertId: 'all' }).expect(303);
    const after = await page('/supervisor', supervisor).expect(200);
    expect(after.text).not.toContain('class="nav-badge"');
    await form('/supervisor/notifications/mail', supervisor, { mail: 'true' }).expect(303);
    expect((await audits(AUDIT_ACTIONS.slaAlertMailChanged)).slice(-1)[0]).toMatchObject({
      actorId: supervisorId,
    });
  });
});
