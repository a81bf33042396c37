import { readFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { IncidentService } from '@madoguchi/incidents';
import { AffectedListService } from '@madoguchi/incident-response';
import { INCIDENT_REPORT_TEXTS } from '../../apps/desk/src/console/incident-report/incident-report.texts';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const R = INCIDENT_REPORT_TEXTS;
const LISTED = 'listed.browser@example.jp';

/**
 * Issue 13's "done when": a merchant downloads its incident report. From the incident's page
 * the merchant admin opens the report, downloads the CSV (it arrives, UTF-8 with BOM, the same
 * total as the page) and prints it: in print media the navigation and the buttons are hidden,
 * and Chromium makes an A4 PDF of it.
 */
describe(`incident report in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let intakeOrigin: string;
  let deskOrigin: string;
  let browser: Browser;
  let tenant: TestTenant;
  let incidentId: number;
  const contexts: BrowserContext[] = [];

  const open = async (options: object): Promise<Page> => {
    const context = await browser.newContext({ acceptDownloads: true, ...options });
    contexts.push(context);
    return context.newPage();
  };

  /** Signs in through the API (the contract's login) and hands the session cookie to the browser. */
  const logIn = async (page: Page, email: string): Promise<void> => {
    const session = await loginAs(desk, email);
    await page.context().addCookies(
      session.cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name, value: value.join('='), url: deskOrigin };
      }),
    );
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv, { OUTBOX_WORKER: 'off' });
    intakeOrigin = await listenOnLoopback(intake);
    deskOrigin = await listenOnLoopback(desk);
    browser = await launchBrowser();
    tenant = await createTestTenant(testEnv.dataSource, { merchantName: 'あさひ報告商店' });
    const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    incidentId = (
      await desk.get(IncidentService).create(
        {
          title: '2026年12月 会員情報への不正アクセス',
          description: '会員ページへの不正ログインが確認されました。',
          leakedItems: '氏名、メールアドレス',
          merchants: [{ merchantId: tenant.merchant.id, affected: true, noticeDate: null }],
        },
        { userId: admin.id, ip: '127.0.0.1' },
      )
    ).id;
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  it('should let a merchant admin open, download and print its incident report', async () => {
    const merchantAdmin = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    await desk
      .get(AffectedListService)
      .upload(
        { kind: 'merchant', userId: merchantAdmin.id, merchantId: tenant.merchant.id },
        incidentId,
        { userId: merchantAdmin.id, ip: '127.0.0.1' },
        { mode: 'replace', file: Buffer.from(`email\n${LISTED}\nother.browser@example.jp\n`) },
      );
    for (const category of ['leak_check', 'payment', 'leak_check']) {
      const response = await fetch(`${intakeOrigin}/api/v1/sites/${tenant.site.slug}/inquiries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...VALID_INQUIRY, email: LISTED, category }),
      });
      expect(response.status).toBe(201);
    }

    const page = await open({
      viewport: { width: 1280, height: 900 },
      locale: 'ja-JP',
      timezoneId: 'Asia/Tokyo',
    });
    await logIn(page, merchantAdmin.email);
    await page.goto(`${deskOrigin}/portal/incidents/${incidentId}`);
    await Promise.all([
      page.waitForURL(`${deskOrigin}/portal/incidents/${incidentId}/report`),
      page.getByRole('link', { name: R.link }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: R.title }).waitFor();
    const total = page.locator('[data-key="inquiries.state.total"]');
    expect(await total.getAttribute('data-value')).toBe('3');
    expect(
      await page.locator('[data-key="inquiries.category.leak_check"]').textContent(),
    ).toContain('2');
    expect(
      await page.locator('[data-key="affected_list.values.email"]').getAttribute('data-value'),
    ).toBe('2');
    expect(await page.content()).not.toContain(LISTED);
    await page.screenshot({ path: screenshotPath('incident-report'), fullPage: true });

    // The CSV arrives as a download.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: R.downloadCsv }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(
        `^incident-report-${incidentId}-${tenant.merchant.code}-\\d{4}-\\d{2}-\\d{2}\\.csv$`,
      ),
    );
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.startsWith('\uFEFF加盟店コード,加盟店名,区分,項目,キー,値\r\n')).toBe(true);
    expect(csv).toContain(',inquiries.state.total,3\r\n');
    expect(csv).not.toContain(LISTED);

    // Printing: the navigation and the buttons are hidden, the report itself is not.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.console-header').isVisible()).toBe(false);
    expect(await page.locator('[data-report-actions]').isVisible()).toBe(false);
    expect(await page.getByRole('heading', { level: 1, name: R.title }).isVisible()).toBe(true);
    expect(await total.isVisible()).toBe(true);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A4 is 595 × 842 points: the report's @page rule sets the size.
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
    expect(box).not.toBeNull();
    expect(Math.round(Number(box?.[1]))).toBeGreaterThanOrEqual(594);
    expect(Math.round(Number(box?.[1]))).toBeLessThanOrEqual(596);
    expect(Math.round(Number(box?.[2]))).toBeGreaterThanOrEqual(841);
    expect(Math.round(Number(box?.[2]))).toBeLessThanOrEqual(843);
    await page.emulateMedia({ media: 'screen' });

    // On a phone the page does not scroll sideways (wide tables scroll in their own box).
    await page.setViewportSize({ width: 375, height: 812 });
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(1);
  }, 180_000);
});
