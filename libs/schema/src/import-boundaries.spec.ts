import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The import-boundary rule of eslint.config.mjs on planted imports. It lives with libs/schema,
 * the lib that gathers every other lib, because the unit tier only runs specs under the projects.
 */
const ROOT = join(__dirname, '..', '..', '..');

/**
 * ESLint's Node API, run in a child Node: it loads the config with a dynamic import(), which
 * Jest's module sandbox refuses. Reads `[[filePath, code], …]`, prints each file's messages.
 */
const LINT_SCRIPT = `
const { ESLint } = require('eslint');
const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const eslint = new ESLint({
  // Only the import rule: the type-aware rules would build a TypeScript program for nothing.
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});
(async () => {
  const out = [];
  for (const [filePath, code] of cases) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(result.messages.map((m) => m.ruleId + ': ' + m.message));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** Lints each `[path under the repo, code]` with the repo's config; the messages per case. */
function lintCases(cases: [string, string][]): string[][] {
  const output = execFileSync(process.execPath, ['-e', LINT_SCRIPT], {
    cwd: ROOT,
    input: JSON.stringify(cases.map(([filePath, code]) => [join(ROOT, filePath), code])),
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[][];
}

const planted = (...imports: string[]) => `${imports.join('\n')}\nexport const planted = 1;\n`;
const LIBS = readdirSync(join(ROOT, 'libs'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('import boundaries between the libs (eslint.config.mjs)', () => {
  let upward: string[];
  let sameLayer: string[];
  let downward: string[];
  let deepAlias: string[];
  let libIntoApp: string[];
  let appIntoApp: string[];
  let topLayerFromEveryLib: string[][];

  beforeAll(() => {
    [upward, sameLayer, downward, deepAlias, libIntoApp, appIntoApp, ...topLayerFromEveryLib] =
      lintCases([
        ['libs/database/src/planted.ts', planted("import { Ticket } from '@madoguchi/tickets';")],
        [
          'libs/http/src/planted.ts',
          planted(
            "import { DatabaseHealth } from '@madoguchi/database';",
            "export { MADOGUCHI_SCHEMA } from '@madoguchi/schema';",
          ),
        ],
        [
          'libs/tickets/src/planted.ts',
          planted(
            "import { AppConfig } from '@madoguchi/config';",
            "import { AuditService } from '@madoguchi/audit';",
            "import { TenancyModule } from '@madoguchi/tenancy';",
          ),
        ],
        [
          'apps/desk/src/planted.ts',
          planted("import { Ticket } from '@madoguchi/tickets/src/ticket/ticket.entity';"),
        ],
        [
          'libs/tickets/src/planted.ts',
          planted("import { DeskModule } from '../../../apps/desk/src/desk.module';"),
        ],
        [
          'apps/intake/src/planted.ts',
          planted("import { DeskModule } from '../../desk/src/desk.module';"),
        ],
        ...LIBS.map((lib): [string, string] => [
          `libs/${lib}/src/planted.ts`,
          planted("import { seedDemoData } from '@madoguchi/operations';"),
        ]),
      ]);
  }, 60_000);

  it('reports an upward import: libs/database importing the tickets lib', () => {
    expect(upward).toEqual([
      expect.stringMatching(
        /^no-restricted-imports: '@madoguchi\/tickets' .* libs\/database is in layer \d+ of LIB_LAYERS/,
      ),
    ]);
  });

  it('reports an import inside one layer and a re-export from a higher one', () => {
    expect(sameLayer).toEqual([
      expect.stringContaining('libs/http is in layer'),
      expect.stringContaining('libs/http is in layer'),
    ]);
  });

  it('passes imports of lower layers', () => {
    expect(downward).toEqual([]);
  });

  it('still reports deep imports, a lib reaching into an app and an app into another', () => {
    expect(deepAlias).toEqual([expect.stringContaining('through its index only')]);
    expect(libIntoApp).toEqual([expect.stringContaining('never imports an app')]);
    expect(appIntoApp).toEqual([expect.stringContaining('Do not reach into another project')]);
  });

  it('places every lib in a layer (each one refuses an import of the top layer)', () => {
    const unplaced = LIBS.filter(
      (_lib, i) => !topLayerFromEveryLib[i].some((message) => message.includes('LIB_LAYERS')),
    );
    expect(unplaced).toEqual([]);
  });
});
