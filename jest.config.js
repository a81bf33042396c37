// Three tiers: unit specs beside the code, e2e against a real database under test/, browser tests
// in headless Chromium. The database of the e2e tier is chosen by TEST_DB (sqlite | mysql).
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    `<rootDir>/${target.replace(/^\.\//, '')}`,
  ]),
);

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // tsconfig.json sets isolatedModules, so ts-jest transpiles each file alone (no type check,
  // several times faster); `npm run typecheck` is the type gate.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleNameMapper,
};

// `jest --selectProjects e2e test/e2e/x.e2e-spec.ts` reads the path as a second project name
// and would run every test of the project. A path given that way (a file or folder that exists)
// narrows each project to it instead, as `--testPathPatterns` would.
const fs = require('node:fs');
const path = require('node:path');
const namedPaths = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('-') && /[/.]/.test(arg) && fs.existsSync(arg))
  .map((arg) => path.relative(__dirname, path.resolve(arg)).replace(/\\/g, '/'));
const narrowed = (pattern, suffix) =>
  namedPaths.length === 0
    ? [pattern]
    : namedPaths.flatMap((named) => {
        if (fs.statSync(path.join(__dirname, named)).isDirectory()) {
          return [pattern.replace(/<rootDir>\/.*\*\*\//, `<rootDir>/${named}/**/`)];
        }
        const ownTier =
          named.endsWith(suffix) && (suffix !== '.spec.ts' || !/-spec\.ts$/.test(named));
        return ownTier ? [`<rootDir>/${named}`] : [];
      });

// The database tiers migrate once per run and copy the result per test file (test-database.ts).
const migratedTemplate = {
  globalSetup: '<rootDir>/test/support/migrated-template.global-setup.ts',
  globalTeardown: '<rootDir>/test/support/migrated-template.global-teardown.ts',
};

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: narrowed('<rootDir>/{apps,libs,bench}/**/*.spec.ts', '.spec.ts'),
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: narrowed('<rootDir>/test/e2e/**/*.e2e-spec.ts', '.e2e-spec.ts'),
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.setup.ts'],
      ...migratedTemplate,
    },
    {
      ...base,
      displayName: 'browser',
      testMatch: narrowed('<rootDir>/test/browser/**/*.browser-spec.ts', '.browser-spec.ts'),
      setupFilesAfterEnv: ['<rootDir>/test/support/browser-timeout.setup.ts'],
      ...migratedTemplate,
    },
  ],
};
