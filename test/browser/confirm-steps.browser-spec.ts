import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { User } from '@madoguchi/auth';
import { CalendarClosure } from '@madoguchi/calendar';
import { formatText } from '@madoguchi/ui';
import { CLOSURES_TEXTS } from '../../apps/desk/src/admin/closures/closures.texts';
import { USERS_TEXTS } from '../../apps/desk/src/admin/users/users.texts';
import { LOGIN_TEXTS } from '../../apps/desk/src/auth/login/login.texts';
import { EXPORT_TEXTS } from '../../apps/desk/src/portal/export/export.texts';
import { SHARED_TEXTS } from '../../apps/desk/src/web/shared.texts';
import { launchBrowser, listenOnLoopback, PHONE_CONTEXT, screenshotPath } from '../support/browser';
import { createTestUser, startDeskApp, TEST_PASSWORD } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant } from '../support/test-tenant';

const A = USERS_TEXTS;
const C = CLOSURES_TEXTS;

/**
 * Issue 19, "forms people get right the first time": a destructive one-click action opens a
 * confirmation that says what will happen and changes nothing until confirmed (cancelling
 * changes nothing either); dates are the browser's date picker; the export's limits are said
 * beside its fields. No JavaScript is needed for any of it (console.js does not take part).
 */
describe(`confirm steps and date pickers in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let deskOrigin: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const open = async (): Promise<Page> => {
    const context = await browser.newContext(PHONE_CONTEXT);
    contexts.push(context);
    return context.newPage();
  };

  const logIn = async (page: Page, email: string, landing: string): Promise<void> => {
    await page.goto(`${deskOrigin}/login`);
    await page.getByLabel(LOGIN_TEXTS.login.email).fill(email);
    await page.getByLabel(LOGIN_TEXTS.login.password).fill(TEST_PASSWORD);
    await Promise.all([
      page.waitForURL(`${deskOrigin}${landing}`),
      page.getByRole('button', { name: LOGIN_TEXTS.login.submit }).click(),
    ]);
  };

  const disabledAt = async (id: number): Promise<Date | null> =>
    (await testEnv.dataSource.manager.findOneByOrFail(User, { id })).disabledAt;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv);
    deskOrigin = await listenOnLoopback(desk);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should ask before disabling a user, change nothing on cancel, and disable on confirm', async () => {
    const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      displayName: '無効 候補',
    });
    const page = await open();
    await logIn(page, admin.email, '/');
    await page.goto(`${deskOrigin}/admin/users/${agent.id}`);

    // 無効にする… opens the confirmation: it names the user and says what follows.
    await page.getByRole('link', { name: A.disableStart }).click();
    await page.waitForURL(`${deskOrigin}/admin/users/${agent.id}/disable/confirm`);
    const title = formatText(A.disableConfirm.title, { name: '無効 候補' });
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const consequences = (await page.locator('[data-confirm-consequences]').textContent()) ?? '';
    for (const item of A.disableConfirm.items) expect(consequences).toContain(item);
    expect(consequences).toContain(agent.email);
    await page.screenshot({ path: screenshotPath('admin-user-disable-confirm'), fullPage: true });
    expect(await disabledAt(agent.id)).toBeNull();

    // Cancelling leads back to the user's page; nothing changed.
    await page.getByRole('link', { name: SHARED_TEXTS.common.cancel }).click();
    await page.waitForURL(`${deskOrigin}/admin/users/${agent.id}`);
    expect(await disabledAt(agent.id)).toBeNull();

    // Confirming disables the user.
    await page.getByRole('link', { name: A.disableStart }).click();
    await Promise.all([
      page.waitForURL(`${deskOrigin}/admin/users/${agent.id}?done=disabled`),
      page.getByRole('button', { name: A.disable }).click(),
    ]);
    expect(await page.getByRole('status').first().textContent()).toContain(A.notices.disabled);
    expect(await disabledAt(agent.id)).not.toBeNull();
  }, 60_000);

  it('should add a closure through the date picker and ask before deleting it', async () => {
    const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const page = await open();
    await logIn(page, admin.email, '/');
    await page.goto(`${deskOrigin}/admin/calendar`);

    const date = page.getByLabel(C.date, { exact: false }).first();
    expect(await date.getAttribute('type')).toBe('date');
    // A date picker takes the date as YYYY-MM-DD, the format the server reads.
    await date.fill('2031-12-29');
    await page.getByLabel(C.reason, { exact: false }).last().fill('年末休業');
    await Promise.all([
      page.waitForURL(/done=closureAdded/),
      page.getByRole('button', { name: C.add }).click(),
    ]);
    const closure = await testEnv.dataSource.manager.findOneByOrFail(CalendarClosure, {
      date: '2031-12-29',
    });

    const deleteLabel = formatText(C.deleteLabel, { date: '2031-12-29' });
    await page.getByRole('link', { name: deleteLabel }).click();
    await page
      .getByRole('heading', {
        level: 1,
        name: formatText(C.deleteConfirm.title, { date: '2031-12-29' }),
      })
      .waitFor();
    await page.getByRole('link', { name: SHARED_TEXTS.common.cancel }).click();
    await page.waitForURL(`${deskOrigin}/admin/calendar`);
    expect(await testEnv.dataSource.manager.countBy(CalendarClosure, { id: closure.id })).toBe(1);

    await page.getByRole('link', { name: deleteLabel }).click();
    await Promise.all([
      page.waitForURL(/done=closureDeleted/),
      page.getByRole('button', { name: C.delete }).click(),
    ]);
    expect(await testEnv.dataSource.manager.countBy(CalendarClosure, { id: closure.id })).toBe(0);
  }, 60_000);

  it("should say the export's limits beside its dates before the merchant submits", async () => {
    const tenant = await createTestTenant(testEnv.dataSource);
    const merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    const page = await open();
    await logIn(page, merchantAdmin.email, '/portal/cases');
    await page.goto(`${deskOrigin}/portal/export`);
    const from = page.getByLabel(EXPORT_TEXTS.from);
    expect(await from.getAttribute('type')).toBe('date');
    // The limit is the date field's description: read out with the field, seen before submit.
    const describedBy = ((await from.getAttribute('aria-describedby')) ?? '').split(' ');
    let description = '';
    for (const id of describedBy) description += await page.locator(`#${id}`).textContent();
    expect(description).toContain('366日');
    expect((await page.locator('[data-limits]').textContent()) ?? '').toContain('5,000件');
    await page.screenshot({ path: screenshotPath('portal-export-limits'), fullPage: true });
  }, 60_000);
});
