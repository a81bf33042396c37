import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { button, html, phrases, phrasesOf, renderPage } from '@madoguchi/ui';
import { launchBrowser, listenOnLoopback, screenshotPath } from '../support/browser';
import { startIntakeApp } from '../support/intake-test-app';
import { layoutProblems, PHONE_LAYOUT_CONTEXT, phraseLayout } from '../support/phone-layout';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 19, "Japanese line breaking": a heading or a button wraps between phrases, never inside
 * a word (not 「お問い合わせ窓/口」 or 「確認す/る」). The shared stylesheet (libs/ui ui.css,
 * served by the intake and the desk alike) asks Chromium for word-break: auto-phrase; other
 * browsers get keep-all and the <wbr> libs/ui's phrases() puts between BudouX's phrases. Both
 * are measured here at every box width from 4em to 16em, character by character
 * (test/support/phone-layout.probe.js); the same boxes without either break inside words,
 * which shows the check can fail. The intake's own pages are then checked at 375 px.
 */

/** Headings and buttons of both apps, and the two examples. */
const TEXTS = [
  'お問い合わせ窓口',
  '送信内容を確認する',
  'デモA オンラインショップ お問い合わせ窓口',
  '確認コードをメールで受け取る',
  '新しい確認コードを受け取る',
  '入力したコードで確認する',
  '折り返し済みにする',
  '株式会社デモA商店 の案件',
] as const;

/** Box widths in em, from a word or two per line to a whole heading. */
const WIDTHS = Array.from({ length: 49 }, (_, i) => 4 + i * 0.25);

const FIXTURE_PATH = '/__line-breaking-fixture';

/** The fallback as a browser without auto-phrase applies it (ui.css, @supports not). */
const FALLBACK_CSS = `h1, .button { word-break: keep-all !important; overflow-wrap: anywhere !important; }`;
/** Neither: what the pages did before. */
const NO_PHRASES_CSS = `h1, .button { word-break: normal !important; overflow-wrap: anywhere !important; }`;

const withoutSpaces = (text: string): string => text.replace(/\s+/g, '');

/** Where a text may wrap: after each of its phrases (BudouX) and at spaces, counted without spaces. */
function phraseBoundaries(text: string): Set<number> {
  const boundaries = new Set<number>();
  let offset = 0;
  for (const part of phrasesOf(text)) {
    for (const char of part) {
      if (/\s/.test(char)) boundaries.add(offset);
      else offset += 1;
    }
    boundaries.add(offset);
  }
  return boundaries;
}

/** A page of boxes, each text as a heading (phrases()) and as a button (button()), at each width. */
function fixturePage(): string {
  const boxes = WIDTHS.flatMap((width) =>
    TEXTS.map(
      (text) =>
        html`<div class="box" style="width: ${width}em; margin: 0 0 1rem">
          <h1>${phrases(text)}</h1>
          ${button(text)}
        </div>`,
    ),
  );
  return renderPage({ title: '改行の確認', lang: 'ja', body: html`<main>${boxes}</main>` });
}

describe(`Japanese line breaking in headings and buttons (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let tenant: TestTenant;

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource, {
      siteName: 'デモA オンラインショップ',
      senderName: 'デモA オンラインショップ お問い合わせ窓口',
    });
    intake = await startIntakeApp(testEnv);
    origin = await listenOnLoopback(intake);
    browser = await launchBrowser();
    context = await browser.newContext(PHONE_LAYOUT_CONTEXT);
    // The fixture is served from the intake's origin, so it gets the real /assets/ui.css.
    await context.route(`${origin}${FIXTURE_PATH}`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: fixturePage() }),
    );
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  /**
   * Every heading and button of the fixture whose phrases all fit its box but whose lines break
   * inside a phrase, as `text: line/line (box width)`.
   */
  async function wordsBroken(page: Page): Promise<string[]> {
    let measured = 0;
    let wrapped = 0;
    const elements = WIDTHS.flatMap(() => TEXTS.flatMap((text) => [text, text]));
    const layouts = await phraseLayout(
      page,
      '.box > h1, .box > .button',
      elements.map((text) => phrasesOf(text)),
    );
    expect(layouts).toHaveLength(elements.length);
    const broken: string[] = [];
    layouts.forEach((layout, index) => {
      const text = elements[index];
      expect(layout.lines.join('')).toBe(withoutSpaces(text));
      if (layout.widestPhrase > layout.contentWidth + 0.5) return;
      measured += 1;
      if (layout.lines.length > 1) wrapped += 1;
      const boundaries = phraseBoundaries(text);
      let offset = 0;
      for (const line of layout.lines.slice(0, -1)) {
        offset += line.length;
        if (!boundaries.has(offset)) {
          broken.push(`${text}: ${layout.lines.join('/')} (${Math.round(layout.contentWidth)}px)`);
          return;
        }
      }
    });
    // Many boxes hold their phrases, and many of those wrap: the check is not vacuous.
    expect(measured).toBeGreaterThan(elements.length / 3);
    expect(wrapped).toBeGreaterThan(100);
    return broken;
  }

  async function openFixture(extraCss?: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${origin}${FIXTURE_PATH}`);
    if (extraCss) await page.addStyleTag({ content: extraCss });
    return page;
  }

  it('should wrap headings and buttons only between phrases where the browser has auto-phrase', async () => {
    const page = await openFixture();
    // Chromium has it: the rule in ui.css applies, not the fallback.
    expect(await page.evaluate<boolean>("CSS.supports('word-break', 'auto-phrase')")).toBe(true);
    expect(await wordsBroken(page)).toEqual([]);
    await page.close();
  });

  it('should wrap them only between phrases with the fallback (keep-all and the server’s <wbr>)', async () => {
    const page = await openFixture(FALLBACK_CSS);
    expect(await wordsBroken(page)).toEqual([]);
    await page.close();
  });

  it('should catch words broken inside without either (the check can fail)', async () => {
    const page = await openFixture(NO_PHRASES_CSS);
    const broken = await wordsBroken(page);
    expect(broken.length).toBeGreaterThan(10);
    expect(broken.join('\n')).toMatch(/お問い合わせ窓口: [^\n]*窓\/口/);
    await page.close();
  });

  it('should put a <wbr> between the phrases of every heading of the intake’s pages (the fallback’s breaks)', async () => {
    const missing: string[] = [];
    let multiPhrase = 0;
    for (const path of [
      `/s/${tenant.site.slug}`,
      `/s/${tenant.site.slug}/status-link`,
      `/s/${tenant.site.slug}/incident`,
      '/s/no-such-shop',
    ]) {
      const page = await (await fetch(`${origin}${path}`)).text();
      for (const [, , inner] of page.matchAll(/<h([123])\b[^>]*>([\s\S]*?)<\/h\1>/g)) {
        const text = inner
          .replace(/<[^>]+>/g, '')
          .replace(/\s+/g, ' ')
          .trim();
        if (phrasesOf(text).length < 2) continue;
        multiPhrase += 1;
        if (!/<wbr\s*\/?>/.test(inner)) missing.push(`${path}: ${text}`);
      }
    }
    expect(multiPhrase).toBeGreaterThan(3);
    expect(missing).toEqual([]);
  });

  it('should wrap the intake’s headings between phrases with the fallback, at 320 and 375 px', async () => {
    const failures: string[] = [];
    for (const width of [320, 375]) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      for (const path of [`/s/${tenant.site.slug}`, `/s/${tenant.site.slug}/status-link`]) {
        await page.goto(`${origin}${path}`);
        await page.addStyleTag({
          content:
            'h1, h2, h3 { word-break: keep-all !important; overflow-wrap: anywhere !important; }',
        });
        for (const problem of await layoutProblems(page)) {
          if (problem.startsWith('one character alone'))
            failures.push(`${width} ${path}: ${problem}`);
        }
      }
      await page.close();
    }
    expect(failures).toEqual([]);
  });

  it('should show the intake’s pages at 375 px without a heading or button broken inside a word', async () => {
    const page = await context.newPage();
    const failures: string[] = [];
    for (const path of [
      `/s/${tenant.site.slug}`,
      `/s/${tenant.site.slug}/status-link`,
      `/s/${tenant.site.slug}/incident`,
    ]) {
      await page.goto(`${origin}${path}`);
      await page.screenshot({
        path: screenshotPath(`line-breaking${path.replace(/[^a-z0-9]+/gi, '-')}`),
        fullPage: true,
      });
      for (const problem of await layoutProblems(page)) {
        if (problem.startsWith('one character alone')) failures.push(`${path}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    await page.close();
  });
});
