import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { UserRole } from '@madoguchi/auth';
import { ADMIN_TEXTS } from '../../apps/desk/src/admin/shared/admin.texts';
import { SETTINGS_TEXTS } from '../../apps/desk/src/portal/settings/settings.texts';
import { SUPERVISOR_TEXTS } from '../../apps/desk/src/supervisor/shared/supervisor.texts';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant } from '../support/test-tenant';

/** The menus a page may carry, found by their accessible names (not by their styling). */
const MENU_LABELS: readonly string[] = [
  SHARED_TEXTS.nav.label,
  ADMIN_TEXTS.subnavLabel,
  SUPERVISOR_TEXTS.subnavLabel,
  SETTINGS_TEXTS.subnavLabel,
];

/** Every link inside the page's menus (main nav, admin tabs, supervisor tabs). */
function menuLinks(page: string): string[] {
  const links: string[] = [];
  for (const nav of page.matchAll(/<nav\b([^>]*)>([\s\S]*?)<\/nav>/g)) {
    const label = /aria-label="([^"]*)"/.exec(nav[1])?.[1];
    if (!label || !MENU_LABELS.includes(label)) continue;
    for (const link of nav[2].matchAll(/href="([^"]+)"/g)) links.push(link[1]);
  }
  return links;
}

const HOME: Record<UserRole, string> = {
  admin: '/',
  supervisor: '/',
  agent: '/',
  merchant_admin: '/portal/cases',
  merchant_viewer: '/portal/cases',
};

/**
 * Issue 19, "each role sees its own words": a menu or tab offers only pages its role may open.
 * Each role's menus are followed from its home page through every page they link; every link
 * must answer 200 for that role (the menus ask the routes' own guard rules: auth/page-access.ts).
 */
describe(`each role's menus (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  const sessions = {} as Record<UserRole, LoggedIn>;
  const menus = {} as Record<UserRole, Set<string>>;

  const get = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer())
      .get(path)
      .set('cookie', session.cookie)
      .set('accept', 'text/html');

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    const tenant = await createTestTenant(testEnv.dataSource);
    desk = await startDeskApp(testEnv);
    for (const role of Object.keys(HOME) as UserRole[]) {
      const user = await createTestUser(testEnv.dataSource, {
        role,
        merchantId: role.startsWith('merchant_') ? tenant.merchant.id : null,
        queueIds: role === 'agent' ? [tenant.queue.id] : [],
      });
      sessions[role] = await loginAs(desk, user.email);
    }
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  it.each(Object.keys(HOME) as UserRole[])(
    'should answer 200 to %s for every link of every menu it is shown (merchants: in their words)',
    async (role) => {
      const seen = new Set<string>();
      const failures: string[] = [];
      const pending = [HOME[role]];
      while (pending.length > 0) {
        const path = pending.shift() as string;
        if (seen.has(path)) continue;
        seen.add(path);
        const response = await get(path, sessions[role]);
        if (response.status !== 200) {
          failures.push(`${path} → ${response.status}`);
          continue;
        }
        if (role.startsWith('merchant_')) {
          // The portal speaks of cases (案件), not the agents' tickets and queues.
          for (const word of ['チケット', 'キュー', '<kbd>n</kbd>']) {
            if (response.text.includes(word)) failures.push(`${path} says ${word}`);
          }
        }
        for (const link of menuLinks(response.text)) if (!seen.has(link)) pending.push(link);
      }
      expect(failures).toEqual([]);
      menus[role] = seen;
    },
  );

  it('should offer supervisors the admin tabs they may open, and not ユーザー or 未送信メール', async () => {
    const links = menus.supervisor;
    expect(links).toContain('/admin/merchants');
    expect(links).toContain('/admin/queues');
    expect(links).toContain('/admin/calendar');
    expect(links).not.toContain('/admin/users');
    expect(links).not.toContain('/admin/outbox');
    expect(links).not.toContain('/admin/dev-mailbox');
    // The tab was hidden because the page refuses them, not by a separate list.
    expect((await get('/admin/users', sessions.supervisor)).status).toBe(403);
    expect((await get('/admin/merchants', sessions.supervisor)).text).not.toContain(
      `>${ADMIN_TEXTS.subnav.users}<`,
    );
  });

  it('should offer admins every admin tab', () => {
    for (const path of ['/admin/users', '/admin/outbox', '/admin/queues', '/supervisor/audit']) {
      expect(menus.admin).toContain(path);
    }
  });

  it('should offer agents neither the supervisor, admin nor canned-response pages', () => {
    expect([...menus.agent].sort()).toEqual(['/', '/calls', '/search']);
  });

  it("should offer merchant viewers only the portal's reading pages, merchant admins the rest", () => {
    expect([...menus.merchant_viewer].sort()).toEqual([
      '/portal/cases',
      '/portal/incidents',
      '/portal/stats',
    ]);
    for (const path of [
      '/portal/export',
      '/portal/settings',
      '/portal/access-log',
      '/portal/affected-lists',
      '/portal/bulk-sends',
      '/portal/users',
    ]) {
      expect(menus.merchant_admin).toContain(path);
    }
  });

  it("should send a merchant user back to the portal's cases, in the portal's words, without agent shortcuts", async () => {
    for (const role of ['merchant_admin', 'merchant_viewer'] as const) {
      const missing = await get('/portal/cases/ZZZZ-ZZZZ', sessions[role]);
      expect(missing.status).toBe(404);
      expect(missing.text).toContain(
        `<a class="btn" href="/portal/cases">${SHARED_TEXTS.errors.backToCases}</a>`,
      );
      expect(missing.text).not.toContain(SHARED_TEXTS.errors.backToQueues);
      expect(missing.text).not.toContain('チケット');
      const cases = await get('/portal/cases', sessions[role]);
      expect(cases.text).not.toContain('id="shortcut-help"');
      expect(cases.text).not.toContain('<kbd>n</kbd>');
    }
    const agentMissing = await get('/tickets/ZZZZ-ZZZZ', sessions.agent);
    expect(agentMissing.status).toBe(404);
    expect(agentMissing.text).toContain(SHARED_TEXTS.errors.backToQueues);
    expect(agentMissing.text).toContain('id="shortcut-help"');
  });
});
