import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The repository's root, where eslint.config.mjs lives. */
export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * ESLint's Node API, run in a child Node: it loads eslint.config.mjs with a dynamic import(),
 * which Jest's module sandbox refuses. Reads `[ruleIds, [[filePath, code], …]]`, prints each
 * file's messages as `ruleId: message` (`fatal` for a parse error).
 */
const LINT_SCRIPT = `
const { ESLint } = require('eslint');
const [rules, cases] = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const eslint = new ESLint({
  // Only the rules under test: the type-aware rules would build a TypeScript program for nothing.
  ruleFilter: ({ ruleId }) => rules.includes(ruleId),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});
(async () => {
  const out = [];
  for (const [filePath, code] of cases) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(result.messages.map((m) => (m.ruleId ?? 'fatal') + ': ' + m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

/**
 * Lints planted code with the repository's own config, as if each `[path under the repo, code]`
 * were a file there (nothing is written): the messages of the given rules, per case. The
 * project's lint-rule specs use it to prove a rule fails on a planted violation.
 */
export function lintPlanted(ruleIds: readonly string[], cases: [string, string][]): string[][] {
  const output = execFileSync(process.execPath, ['-e', LINT_SCRIPT], {
    cwd: REPO_ROOT,
    input: JSON.stringify([
      ruleIds,
      cases.map(([filePath, code]) => [join(REPO_ROOT, filePath), code]),
    ]),
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[][];
}
