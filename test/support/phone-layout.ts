import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { PHONE_CONTEXT } from './browser';

const PROBE_PATH = join(__dirname, 'phone-layout.probe.js');
const AXE_PATH = join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

/**
 * The 375 px phone of the layout checks. One device pixel per CSS pixel keeps the screenshots of
 * every page small; bypassCSP lets the test inject its probe and axe-core into pages whose CSP
 * forbids inline scripts (the pages' own scripts are unaffected).
 */
export const PHONE_LAYOUT_CONTEXT: BrowserContextOptions = {
  ...PHONE_CONTEXT,
  deviceScaleFactor: 1,
  bypassCSP: true,
};

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

async function inject(page: Page, path: string, global: string): Promise<void> {
  if (await page.evaluate<boolean>(`typeof window.${global} !== 'undefined'`)) return;
  await page.addScriptTag({ path });
}

/**
 * What makes the page unusable at its width (test/support/phone-layout.probe.js): sideways
 * scrolling, text one or two characters per line, a phrase that leaves one character alone.
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  await inject(page, PROBE_PATH, 'madoguchiLayoutProbe');
  return page.evaluate<string[]>('window.madoguchiLayoutProbe.problems()');
}

/** The text of each line of each element matching `selector`, as laid out. */
export async function renderedLines(page: Page, selector: string): Promise<string[][]> {
  await inject(page, PROBE_PATH, 'madoguchiLayoutProbe');
  return page.evaluate<string[][], string>(
    (s) =>
      (
        globalThis as unknown as {
          madoguchiLayoutProbe: { lines: (selector: string) => string[][] };
        }
      ).madoguchiLayoutProbe.lines(s),
    selector,
  );
}

export interface PhraseLayout {
  /** The element's text, one string per rendered line. */
  lines: string[];
  /** The width its text may take (the content box). */
  contentWidth: number;
  /** The width of its widest phrase on one line, in its own font. */
  widestPhrase: number;
}

/** For each element matching `selector`, its lines and whether its phrases fit (phrases[i]: the i-th's). */
export async function phraseLayout(
  page: Page,
  selector: string,
  phrases: readonly (readonly string[])[],
): Promise<PhraseLayout[]> {
  await inject(page, PROBE_PATH, 'madoguchiLayoutProbe');
  return page.evaluate<PhraseLayout[], [string, readonly (readonly string[])[]]>(
    ([s, p]) =>
      (
        globalThis as unknown as {
          madoguchiLayoutProbe: {
            phraseLayout: (
              selector: string,
              phrases: readonly (readonly string[])[],
            ) => PhraseLayout[];
          };
        }
      ).madoguchiLayoutProbe.phraseLayout(s, p),
    [selector, phrases],
  );
}

/** axe-core's violations on the page, each as `rule (impact): element — what fails`. */
export async function axeViolations(page: Page): Promise<string[]> {
  await inject(page, AXE_PATH, 'axe');
  const violations = await page.evaluate<AxeViolation[]>(
    "window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)",
  );
  return violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact ?? 'n/a'}): ${node.target.map(String).join(' ')} — ${
          node.failureSummary?.replace(/\s+/g, ' ') ?? violation.help
        }`,
    ),
  );
}
