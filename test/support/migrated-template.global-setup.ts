import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder where test-database.ts keeps the run's migrated template, created before the
 * workers start so they all see it (they inherit this process's environment).
 */
export const TEMPLATE_DIR_VARIABLE = 'MADOGUCHI_TEST_TEMPLATE_DIR';

const TEMPLATES_ROOT = join(tmpdir(), 'madoguchi-test-templates');

export default function createTemplateDir(): void {
  // The e2e and browser projects share one run's folder.
  if (process.env[TEMPLATE_DIR_VARIABLE]) return;
  mkdirSync(TEMPLATES_ROOT, { recursive: true });
  removeFoldersOfEndedRuns();
  process.env[TEMPLATE_DIR_VARIABLE] = mkdtempSync(join(TEMPLATES_ROOT, `run-${process.pid}-`));
}

/** A run killed before its teardown leaves its folder behind: removed once its jest is gone. */
function removeFoldersOfEndedRuns(): void {
  for (const name of readdirSync(TEMPLATES_ROOT)) {
    const pid = Number(/^run-(\d+)-/.exec(name)?.[1]);
    if (!pid || isRunning(pid)) continue;
    rmSync(join(TEMPLATES_ROOT, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
