import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lintPlanted } from '../../../test/support/planted-lint';

/**
 * The import-boundary rule of eslint.config.mjs on planted imports. It lives with libs/schema,
 * the lib that gathers every other lib, because the unit tier only runs specs under the projects.
 */
const ROOT = join(__dirname, '..', '..', '..');

const lintCases = (cases: [string, string][]) => lintPlanted(['no-restricted-imports'], cases);

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
