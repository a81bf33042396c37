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
  // Mail that arrives: replies threaded into tickets, new tickets, bounces (docs/email.md).
  ['inbound-mail'],
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

// Tenant-owned entities: rows that belong to one merchant or one of its tickets
// (docs/architecture.md, "Tenant scope"). Staff and merchant reads of them go through the scope
// (libs/tenancy restrictToScope and the scoped queries built on it); jobs act in an explicit
// system scope. User is not here: the auth lib reads identities before any scope exists, and a
// merchant's own users are managed through MerchantSettingsUsersService. The spec
// libs/schema/src/tenant-access-lint.spec.ts fails when an entity with a merchant or ticket
// column is missing.
const TENANT_ENTITIES = [
  'Ticket',
  'Message',
  'Call',
  'Merchant',
  'Site',
  'Queue',
  'CannedResponse',
  'IncidentMerchant',
  'AnswerApproval',
  'AffectedListUpload',
  'AffectedListEntry',
  'TicketDetermination',
  'BulkSend',
  'BulkSendItem',
  'LeakCheckCode',
  'FaqPageStat',
  'AuditEvent',
  'OutboxJob',
  'IdempotencyKey',
  'Attachment',
  'AttachmentPart',
  'InboundMail',
  'ReplyAddress',
  'SentMailId',
  'InquiryFormToken',
  'TicketPresence',
  'Rule',
  'SlaPolicy',
  'SlaAlert',
  'SlaAlertRecipient',
  'SlaAlertMark',
  'SlaAlertMailOptIn',
  'BulkRun',
  'BulkRunItem',
];
const TENANT_ENTITY = `/^(${TENANT_ENTITIES.join('|')})$/`;
// The TypeORM calls that take an entity class first: repositories, EntityManager methods and
// query-builder sources and joins.
const ENTITY_METHODS =
  '/^(getRepository|createQueryBuilder|find\\w*|count\\w*|exist\\w*|insert|update|upsert|delete|softDelete|restore|increment|decrement|sum|average|minimum|maximum|clear|from|into|innerJoin|leftJoin|innerJoinAndSelect|leftJoinAndSelect)$/';
const TENANT_ACCESS_MESSAGE =
  'Direct repository access to a tenant-owned entity: read it through a scope-typed service ' +
  '(libs/tenancy restrictToScope, scopedTicketQuery, scopedCallQuery) or, for a job, list the ' +
  'file under TENANT_SYSTEM_PATHS in eslint.config.mjs.';
const TENANT_ACCESS_SELECTORS = [
  {
    selector: `CallExpression[callee.property.name=${ENTITY_METHODS}][arguments.0.name=${TENANT_ENTITY}]`,
    message: TENANT_ACCESS_MESSAGE,
  },
  {
    selector: `CallExpression[callee.name='InjectRepository'][arguments.0.name=${TENANT_ENTITY}]`,
    message: TENANT_ACCESS_MESSAGE,
  },
];
// A controller reaches data only through services: no DataSource, EntityManager or repository,
// and never a job's system scope.
const CONTROLLER_SELECTORS = [
  {
    selector: 'TSTypeReference[typeName.name=/^(DataSource|EntityManager|Repository)$/]',
    message: 'A controller does not touch the database: move the query into a scope-typed service.',
  },
  {
    selector: 'CallExpression[callee.name=/^Inject(Repository|DataSource|EntityManager)$/]',
    message: 'A controller does not touch the database: move the query into a scope-typed service.',
  },
  {
    selector: "CallExpression[callee.name='systemScope']",
    message:
      "A controller acts in the request's scope (@CurrentScope()), never a job's system scope.",
  },
];
// Where the scope meets tenant-owned rows: the scope joins themselves, then the services whose
// staff and merchant entry points take a scope (TenantScope, MerchantScope) and read through
// those joins before touching rows by id, or are the operator's own setup (permission
// setup.manage: merchants, queues, incidents, the audit trail). A new file is not here: it
// calls one of these services.
const TENANT_SCOPE_FILES = [
  // The joins.
  'libs/tenancy/src/scope/scope-restriction.ts',
  'libs/tickets/src/scope/scoped-ticket-query.ts',
  'libs/calls/src/call-log/scoped-call-query.ts',
  // Scope-typed services.
  'libs/tenancy/src/merchant/merchant-profile.service.ts',
  'libs/tickets/src/ticket/ticket-work.service.ts',
  'libs/tickets/src/ticket/ticket-write.util.ts',
  'libs/tickets/src/claim/ticket-claim.service.ts',
  'libs/tickets/src/hand-back/hand-back.service.ts',
  'libs/tickets/src/canned-response/canned-response.service.ts',
  'libs/tickets/src/view-audit/ticket-view-audit.service.ts',
  // Issue 15: the list's triage columns, for the rows scopedTicketQuery found.
  'libs/tickets/src/triage/ticket-triage.service.ts',
  // Bulk actions (issue 15): the selection is read through scopedTicketQuery, each ticket is
  // then written through TicketWorkService / TicketClaimService in the same scope.
  'libs/tickets/src/bulk-action/bulk-action.service.ts',
  // Presence (issue 15): every entry point finds the ticket through scopedTicketQuery first.
  'libs/tickets/src/presence/ticket-presence.service.ts',
  // Attachments: openInScope reads through the ticket scope; the rest are system paths (the
  // status token, the outbox worker, retention) or write under a message being created.
  'libs/tickets/src/attachment/attachment.service.ts',
  'libs/calls/src/call-work/call-work.service.ts',
  'libs/calls/src/call-work/callback.service.ts',
  'libs/audit/src/access-log/access-log.service.ts',
  'libs/tenant-admin/src/merchant-admin/merchant-settings.service.ts',
  'libs/tenant-admin/src/merchant-admin/merchant-settings-users.service.ts',
  'libs/incidents/src/incident/incident.service.ts',
  'libs/incidents/src/answer-template/answer-template.service.ts',
  'libs/incident-response/src/incident-answers/incident-answer.service.ts',
  'libs/incident-response/src/affected-list/affected-list.service.ts',
  'libs/incident-response/src/affected-list/affected-list-indicator.service.ts',
  'libs/incident-response/src/determination/determination.service.ts',
  'libs/incident-response/src/faq/faq-page.service.ts',
  'libs/incident-response/src/incident-report/incident-report.service.ts',
  'libs/reporting/src/dashboard/dashboard.service.ts',
  'libs/reporting/src/export/case-export.service.ts',
  'libs/reporting/src/export/audit-log-export.service.ts',
  // Reads for a ticket already found in the caller's scope: the merchant is the ticket's.
  'libs/incidents/src/answer-template/approved-answer.service.ts',
  // The operator's setup and audit trail (staff with setup.manage / audit.read).
  'libs/tenant-admin/src/merchant-admin/merchant-admin.service.ts',
  'libs/tenant-admin/src/queue-admin/queue-admin.service.ts',
  // Issue 15: the merchants' SLA policies (staff with setup.manage).
  'libs/tickets/src/sla-policy/sla-policy.service.ts',
  // A supervisor's own alerts: every read is by the signed-in user's id (their inbox).
  'libs/tickets/src/sla-alert/sla-notification.service.ts',
  'libs/auth/src/user-admin/user-admin.service.ts',
  'libs/audit/src/audit-trail/audit-trail.service.ts',
  'apps/desk/src/supervisor/audit/audit-labels.service.ts',
  'libs/mail/src/outbox/outbox-admin.service.ts',
  // Rules (issue 15): admins only, operator-wide.
  'libs/tickets/src/rules/rule-admin.service.ts',
  // The dev mailbox (admins, outside production only): every mail of the outbox, audited.
  'libs/mail/src/outbox/dev-mailbox.service.ts',
  // Issue 15: the merge finds both tickets in the caller's scope first, then moves their rows
  // (its participants move calls and determinations of those two tickets, in its transaction).
  'libs/tickets/src/merge/ticket-merge.service.ts',
  'libs/calls/src/call-work/call-merge.participant.ts',
  'libs/incident-response/src/determination/determination-merge.participant.ts',
];
// Paths that act without a user's request, each for a reason: the jobs (the bulk send replies
// in systemScope('bulk-send')), the mail outbox, the public intake, status page and leak check
// (the end user's site or reference decides the merchant), telephony webhooks, ticket birth,
// determinations recomputed by an upload or a ticket write, the audit writer, the IP guard
// that runs before a scope exists, and the seed and key rotation.
const TENANT_SYSTEM_PATHS = [
  'libs/jobs/**',
  'libs/mail/src/outbox/outbox.service.ts',
  'libs/mail/src/outbox/outbox-worker.service.ts',
  'libs/operations/**',
  'libs/audit/src/retention/**',
  'libs/audit/src/audit.service.ts',
  'libs/auth/src/ip/ip-access.service.ts',
  'libs/tenancy/src/merchant/merchant-lock.util.ts',
  'libs/tenancy/src/site/site.service.ts',
  'libs/tickets/src/inquiry/**',
  'libs/tickets/src/opening/**',
  // Ticket birth (issue 15): the same requester's earlier ticket of the site, before any scope.
  'libs/tickets/src/merge/probable-duplicate.util.ts',
  // A mail to a merged ticket's reply address goes on in the survivor (same merchant).
  'libs/tickets/src/merge/merged-survivor.util.ts',
  // Ticket birth applies the intake rules of the new ticket's merchant (docs/rules.md).
  'libs/tickets/src/rules/intake-rules.service.ts',
  'libs/tickets/src/phone/**',
  'libs/tickets/src/status-page/**',
  'libs/tickets/src/message/message-delivery.listener.ts',
  // Mail threading finds a ticket by a reply address or a Message-ID, before any scope exists.
  'libs/tickets/src/mail-thread/**',
  'libs/calls/src/call-record/**',
  // The recording job keeps every call's voicemail (no user); playing reads through scopedCallQuery.
  'libs/calls/src/call-recording/call-recording.service.ts',
  'libs/incident-response/src/bulk-send/bulk-send.service.ts',
  'libs/incident-response/src/leak-check/**',
  'libs/incident-response/src/affected-list/affected-list-match.util.ts',
  'libs/incident-response/src/determination/determination.rules.ts',
  // Mail that arrives has no user: it finds its ticket or site by address (docs/email.md).
  'libs/inbound-mail/src/ingest/**',
];

// "Now" comes from the injected Clock (libs/common clock.ts), so a test's FixedClock moves every
// decision by time. `new Date(x)` (a copy, a parse, arithmetic) stays allowed.
const madoguchiPlugin = {
  rules: {
    'no-argless-date': {
      meta: {
        type: 'problem',
        schema: [],
        messages: {
          now:
            'Read "now" from the injected Clock (`this.clock.now()`) or take `now` from the ' +
            'caller, not `new Date()` (CLOCK_EXEMPT in eslint.config.mjs lists the exceptions).',
        },
      },
      create(context) {
        return {
          NewExpression(node) {
            if (
              node.callee.type === 'Identifier' &&
              node.callee.name === 'Date' &&
              node.arguments.length === 0
            ) {
              context.report({ node, messageId: 'now' });
            }
          },
        };
      },
    },
    'no-raw-transaction': {
      meta: {
        type: 'problem',
        schema: [],
        messages: {
          raw:
            'Open transactions with runTransaction (@madoguchi/common): it retries SQLite busy ' +
            'errors and is the one place that decides isolation, not `.transaction()` directly.',
        },
      },
      create(context) {
        return {
          CallExpression(node) {
            const callee = node.callee;
            if (
              callee.type === 'MemberExpression' &&
              !callee.computed &&
              callee.property.type === 'Identifier' &&
              callee.property.name === 'transaction'
            ) {
              context.report({ node, messageId: 'raw' });
            }
          },
        };
      },
    },
  },
};
// Where an argument-less `new Date()` is allowed: the system clock itself and the demo seed (a
// command run by hand, outside the apps). Tests, scripts and benchmarks are outside the rule.
const CLOCK_EXEMPT = ['libs/common/src/clock.ts', 'libs/operations/src/seed/**'];

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

  // One clock: no argument-less `new Date()` in the apps and libs.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [...TEST_FILES, ...CLOCK_EXEMPT],
    plugins: { madoguchi: madoguchiPlugin },
    rules: { 'madoguchi/no-argless-date': 'error' },
  },

  // One way into a transaction: runTransaction, which owns `.transaction()`.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [...TEST_FILES, 'libs/common/src/transaction.util.ts'],
    plugins: { madoguchi: madoguchiPlugin },
    rules: { 'madoguchi/no-raw-transaction': 'error' },
  },

  // Tests, scripts and benchmarks sit outside the projects and may start an app's module
  // (apps have no alias); libs still only through their alias.
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [DEEP_ALIAS, CLIMB_INTO_LIBS] }],
    },
  },

  // Tenant-owned rows only through the scope (TENANT_SCOPE_FILES) or in a system path.
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [...TEST_FILES, ...TENANT_SCOPE_FILES, ...TENANT_SYSTEM_PATHS],
    rules: { 'no-restricted-syntax': ['error', ...TENANT_ACCESS_SELECTORS] },
  },
  // No database in controllers (a later block replaces the rule's options: both lists).
  {
    files: ['apps/**/*.controller.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...TENANT_ACCESS_SELECTORS, ...CONTROLLER_SELECTORS],
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
