// @ts-check
// ESLint flat config: typescript-eslint's recommended set, type-aware, plus the few
// rules the project relies on. `npm run lint` runs with --max-warnings 0.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS_FILES = [
  'apps/**/*.ts',
  'libs/**/*.ts',
  'scripts/**/*.ts',
  'test/**/*.ts',
  'bench/**/*.ts',
];
const TEST_FILES = ['**/*.spec.ts', 'test/**/*.ts'];

// A lib is imported through its alias and index only (`@madoguchi/tickets`), never a deep
// path, and never through a relative path that climbs out of its project.
const DEEP_ALIAS = {
  group: ['@madoguchi/*/**'],
  message: 'Import a lib through its index only: `@madoguchi/<lib>`.',
};
const CLIMB_INTO_LIBS = {
  regex: '^(\\.\\./)+libs/',
  message: 'Import a lib through its alias `@madoguchi/<lib>`, not a relative path.',
};
const CLIMB_INTO_APPS = {
  regex: '^(\\.\\./)+apps/',
  message: 'A lib or an app never imports an app.',
};
// From libs/<a>/src/… or apps/<a>/src/…, `../../<b>/src/…` reaches another project without
// naming libs/ or apps/.
const CLIMB_INTO_SIBLING = {
  regex: '^(\\.\\./)+[^./][^/]*/src(/|$)',
  message: 'Do not reach into another project: import its alias `@madoguchi/<lib>`.',
};
const PROJECT_PATTERNS = [DEEP_ALIAS, CLIMB_INTO_LIBS, CLIMB_INTO_APPS, CLIMB_INTO_SIBLING];

// The libs in layers, bottom first (docs/architecture.md draws it). A lib imports only libs of
// lower layers, so every arrow points down and no cycle can form; the apps sit above them all.
const LIB_LAYERS = [
  ['common', 'config', 'ui'],
  ['crypto'],
  ['audit', 'database', 'http'],
  ['calendar', 'mail', 'tenancy'],
  ['auth'],
  ['incidents'],
  ['tickets'],
  ['calls', 'jobs', 'reporting', 'tenant-admin'],
  // Its incident report reads the reporting lib's figures.
  ['incident-response'],
  // The whole schema (every entity and migration), then the commands run on it (seed, keys).
  ['schema'],
  ['operations'],
];
// Imports allowed inside one layer, `lib: [libs it may import]`: none needed today.
const SAME_LAYER_IMPORTS = {};

/** One block per lib: `@madoguchi/<x>` of its own or a higher layer is an error. */
function layerBlocks() {
  return LIB_LAYERS.flatMap((layer, depth) =>
    layer.map((lib) => {
      const below = LIB_LAYERS.slice(0, depth).flat();
      const allowed = new Set([...below, ...(SAME_LAYER_IMPORTS[lib] ?? [])]);
      const forbidden = LIB_LAYERS.flat().filter((other) => !allowed.has(other));
      const upward = {
        regex: `^@madoguchi/(${forbidden.join('|')})$`,
        message:
          `libs/${lib} is in layer ${depth} of LIB_LAYERS (eslint.config.mjs); it imports only ` +
          `the libs below it: ${[...allowed].join(', ') || 'none'}.`,
      };
      return {
        files: [`libs/${lib}/**/*.ts`],
        rules: { 'no-restricted-imports': ['error', { patterns: [...PROJECT_PATTERNS, upward] }] },
      };
    }),
  );
}

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'var/', 'coverage/', 'test-results/', 'jest.config.js']),

  // Plain JavaScript (this file, small scripts): the core recommended rules, Node's globals.
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      // The globals of the Node.js running ESLint, plus CommonJS's module-scope names.
      globals: {
        ...Object.fromEntries(
          Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']),
        ),
        require: 'readonly',
        module: 'writable',
        exports: 'writable',
        __dirname: 'readonly',
        __filename: 'readonly',
      },
    },
  },

  // TypeScript: recommended + type-aware rules.
  {
    files: TS_FILES,
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'no-restricted-imports': ['error', { patterns: PROJECT_PATTERNS }],
    },
  },

  // The import boundaries between the libs (a later block replaces the rule's options whole,
  // so each repeats the project patterns).
  ...layerBlocks(),

  // Tests, scripts and benchmarks sit outside the projects and may start an app's module
  // (apps have no alias); libs still only through their alias.
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [DEEP_ALIAS, CLIMB_INTO_LIBS] }],
    },
  },

  // Tests may use `any` for fixtures and deliberately malformed input.
  {
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },

  // Browser scripts (apps/*/src/assets, libs/*/src/assets): served as they are, so ES2017 and
  // the browser's globals only; their types are checked by tsconfig.browser.json.
  {
    files: ['apps/*/src/assets/**/*.js', 'libs/*/src/assets/**/*.js'],
    languageOptions: {
      ecmaVersion: 2017,
      sourceType: 'script',
      globals: {
        // The Node block above allows these; a browser has none of them.
        ...Object.fromEntries(
          [
            'require',
            'module',
            'exports',
            '__dirname',
            '__filename',
            'process',
            'Buffer',
            'global',
            'setImmediate',
            'clearImmediate',
          ].map((name) => [name, 'off']),
        ),
        ...Object.fromEntries(
          [
            'window',
            'document',
            'navigator',
            'location',
            'console',
            'fetch',
            'EventSource',
            'Event',
            'CustomEvent',
            'HTMLElement',
            'setTimeout',
            'clearTimeout',
            'setInterval',
            'clearInterval',
          ].map((name) => [name, 'readonly']),
        ),
      },
    },
    // ES2017 has no `catch {}`: an unused `_e` stays.
    rules: { 'no-unused-vars': ['error', { caughtErrorsIgnorePattern: '^_' }] },
  },
);
