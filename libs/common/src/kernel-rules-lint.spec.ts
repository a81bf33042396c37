import { lintPlanted } from '../../../test/support/planted-lint';

/**
 * The kernel rules of eslint.config.mjs on planted code: one clock (`madoguchi/no-argless-date`)
 * and one way into a transaction (`madoguchi/no-raw-transaction`).
 */
const RULE = 'madoguchi/no-argless-date';

const lintCases = (cases: [string, string][]) => lintPlanted([RULE], cases);

const NOW_DEFAULT = 'export function due(now: Date = new Date()): Date {\n  return now;\n}\n';

describe('one clock: no argument-less new Date() (eslint.config.mjs)', () => {
  let inService: string[];
  let inApp: string[];
  let withArgument: string[];
  let inClock: string[];
  let inSpec: string[];
  let inSeed: string[];
  let inScript: string[];

  beforeAll(() => {
    [inService, inApp, withArgument, inClock, inSpec, inSeed, inScript] = lintCases([
      ['libs/tickets/src/planted.service.ts', NOW_DEFAULT],
      [
        'apps/desk/src/planted.controller.ts',
        'export const stamp = () => new Date().toISOString();\n',
      ],
      [
        'libs/tickets/src/planted.ts',
        'export const later = (at: Date) => new Date(at.getTime() + 1000);\n' +
          "export const parsed = new Date('2026-04-01T00:00:00Z');\n",
      ],
      ['libs/common/src/clock.ts', NOW_DEFAULT],
      ['libs/tickets/src/planted.spec.ts', NOW_DEFAULT],
      ['libs/operations/src/seed/planted.ts', NOW_DEFAULT],
      ['scripts/planted.ts', NOW_DEFAULT],
    ]);
  }, 60_000);

  it('reports new Date() in a lib and in an app', () => {
    expect(inService).toEqual([expect.stringMatching(/^madoguchi\/no-argless-date: .*Clock/)]);
    expect(inApp).toEqual([expect.stringContaining(RULE)]);
  });

  it('passes new Date(x): a copy, arithmetic or a parse', () => {
    expect(withArgument).toEqual([]);
  });

  it('passes the system clock itself, tests, the seed and scripts', () => {
    expect(inClock).toEqual([]);
    expect(inSpec).toEqual([]);
    expect(inSeed).toEqual([]);
    expect(inScript).toEqual([]);
  });
});

describe('one way into a transaction: runTransaction (eslint.config.mjs)', () => {
  const RAW =
    'export const go = (ds: { transaction(f: () => void): void }) => ds.transaction(() => {});\n';
  let inService: string[];
  let inController: string[];
  let inRunTransaction: string[];
  let inSpec: string[];

  beforeAll(() => {
    [inService, inController, inRunTransaction, inSpec] = lintPlanted(
      ['madoguchi/no-raw-transaction'],
      [
        ['libs/reporting/src/planted.service.ts', RAW],
        ['apps/desk/src/planted.controller.ts', RAW],
        ['libs/common/src/transaction.util.ts', RAW],
        ['libs/reporting/src/planted.spec.ts', RAW],
      ],
    );
  }, 60_000);

  it('reports .transaction() in a lib and in an app', () => {
    expect(inService).toEqual([
      expect.stringMatching(/^madoguchi\/no-raw-transaction: .*runTransaction/),
    ]);
    expect(inController).toEqual([expect.stringContaining('madoguchi/no-raw-transaction')]);
  });

  it('passes runTransaction itself and tests', () => {
    expect(inRunTransaction).toEqual([]);
    expect(inSpec).toEqual([]);
  });
});
