import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Call } from '@madoguchi/calls';
import { FixedClock } from '@madoguchi/common';
import { simulateCall } from '../../scripts/call-simulator';
import { launchBrowser, listenOnLoopback, PHONE_CONTEXT, screenshotPath } from '../support/browser';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import {
  startTelephonyApp,
  TEST_TELEPHONY_PUBLIC_URL,
  TEST_TWILIO_AUTH_TOKEN,
} from '../support/telephony-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/** Monday 23:00 in Tokyo: the window is closed when the simulator runs. */
const NIGHT = '2026-12-07T23:00:00+09:00';
/** The simulated call's time: Tuesday 11:00, in hours. */
const IN_HOURS = new Date('2026-12-08T11:00:00+09:00');

/**
 * Issue 15: the phone desk can be tried outside office hours. At night, the simulator places an
 * in-hours call (its `--at`, sent as the simulated-time header the test app honours); the caller
 * keys in the shop's code and waits; an agent sees the call on the waiting list in a browser, on
 * a laptop and on a phone.
 */
describe(`phone desk in a browser (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let telephony: NestFastifyApplication;
  let deskOrigin: string;
  let telephonyOrigin: string;
  let browser: Browser;
  let tenant: TestTenant;
  let agentEmail: string;
  const contexts: BrowserContext[] = [];

  const open = async (options: object): Promise<Page> => {
    const context = await browser.newContext({ locale: 'ja-JP', ...options });
    contexts.push(context);
    const page = await context.newPage();
    const session = await loginAs(desk, agentEmail);
    await context.addCookies(
      session.cookie.split('; ').map((pair) => {
        const [name, ...value] = pair.split('=');
        return { name, value: value.join('='), url: deskOrigin };
      }),
    );
    return page;
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    tenant = await createTestTenant(testEnv.dataSource, { merchantName: '夜間テスト商店' });
    desk = await startDeskApp(testEnv);
    deskOrigin = await listenOnLoopback(desk);
    telephony = await startTelephonyApp(testEnv, new FixedClock(NIGHT));
    telephonyOrigin = await listenOnLoopback(telephony);
    agentEmail = (
      await createTestUser(testEnv.dataSource, { role: 'agent', queueIds: [tenant.queue.id] })
    ).email;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await telephony?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should put an in-hours call simulated at night on the waiting list', async () => {
    const simulated = await simulateCall({
      scenario: 'waiting',
      url: telephonyOrigin,
      publicUrl: TEST_TELEPHONY_PUBLIC_URL,
      authToken: TEST_TWILIO_AUTH_TOKEN,
      at: IN_HOURS,
      code: tenant.site.phoneCode as string,
    });
    const call = await testEnv.dataSource
      .getRepository(Call)
      .findOneByOrFail({ callSid: simulated.callSid });
    expect(call).toMatchObject({ status: 'enqueued', withinHours: true });
    expect(call.enqueuedAt?.toISOString()).toBe(new Date(IN_HOURS.getTime() + 8_000).toISOString());

    const laptop = await open({ viewport: { width: 1280, height: 800 } });
    await laptop.goto(`${deskOrigin}/calls`);
    const rows = laptop.locator('#waiting-calls');
    await rows.getByText('夜間テスト商店').waitFor();
    await expect(rows.locator('tbody tr').count()).resolves.toBe(1);
    await laptop.screenshot({ path: screenshotPath('phone-desk-waiting-laptop'), fullPage: true });

    const phone = await open(PHONE_CONTEXT);
    await phone.goto(`${deskOrigin}/calls`);
    await phone.locator('#waiting-calls').getByText('夜間テスト商店').waitFor();
    const sideways = await phone.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(sideways).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: screenshotPath('phone-desk-waiting-phone'), fullPage: true });
  });
});
