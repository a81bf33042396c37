// @ts-check
// ESLint flat config (STYLE 18): typescript-eslint's recommended set, type-aware, plus the few
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

// STYLE 2: a lib is imported through its alias and index only (`@madoguchi/tickets`), never a
// deep path, and never through a relative path that climbs out of its project.
const DEEP_ALIAS = {
  group: ['@madoguchi/*/**'],
  message: 'Import a lib through its index only: `@madoguchi/<lib>` (STYLE 2).',
};
const CLIMB_INTO_LIBS = {
  regex: '^(\\.\\./)+libs/',
  message: 'Import a lib through its alias `@madoguchi/<lib>`, not a relative path (STYLE 2).',
};
const CLIMB_INTO_APPS = {
  regex: '^(\\.\\./)+apps/',
  message: 'A lib or an app never imports an app (STYLE 1, 2).',
};
// From libs/<a>/src/… or apps/<a>/src/…, `../../<b>/src/…` reaches another project without
// naming libs/ or apps/.
const CLIMB_INTO_SIBLING = {
  regex: '^(\\.\\./)+[^./][^/]*/src(/|$)',
  message: 'Do not reach into another project: import its alias `@madoguchi/<lib>` (STYLE 2).',
};

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
      'no-restricted-imports': [
        'error',
        { patterns: [DEEP_ALIAS, CLIMB_INTO_LIBS, CLIMB_INTO_APPS, CLIMB_INTO_SIBLING] },
      ],
    },
  },

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
);
