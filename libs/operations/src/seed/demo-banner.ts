import type { AppConfig } from '@madoguchi/config';
import { DEMO_ACCOUNTS, DEMO_SITES } from './demo-seed';

/** The default of DEMO_PASSWORD (README): printed only while it is the one in use. */
export const DEFAULT_DEMO_PASSWORD = 'madoguchi-demo';

export class DemoRunnerRefusedError extends Error {}

/**
 * `npm start` is the demo and development runner: it migrates, seeds demo accounts with a
 * known password and sends demo inquiries. It never runs in production (the apps run there
 * from `dist/` or the image, docs/operations.md); this refuses NODE_ENV=production plainly.
 */
export function assertDemoRunnerAllowed(config: Pick<AppConfig, 'isProduction'>): void {
  if (config.isProduction) {
    throw new DemoRunnerRefusedError(
      'npm start is the demo runner (it seeds demo accounts) and does not run with NODE_ENV=production: ' +
        'run "npm run migration:run", then each app from dist/ (docs/operations.md)',
    );
  }
}

/**
 * The start banner of `npm start`: where each app listens and, outside production, the demo
 * accounts with where they come from. A DEMO_PASSWORD the operator chose is never printed
 * (only its variable name); the default one is, as the README gives it anyway.
 */
export function demoBannerLines(
  config: AppConfig,
  env: Record<string, string | undefined>,
  seeded: boolean,
  demoInquiries: number,
): string[] {
  const { http } = config;
  const lines = [
    '',
    'Madoguchi is starting:',
    `  intake     ${http.intakePublicUrl}   (forms: ${DEMO_SITES.map((site) => `/s/${site.slug}`).join(', ')})`,
    `  desk       ${http.deskPublicUrl}   (console: /login, API docs: /api/docs)`,
    `  telephony  ${http.telephonyPublicUrl}   (simulate a call: npm run call:simulate -- --scenario answered|abandoned|voicemail|out-of-hours)`,
    `  database   ${config.database.url ? config.database.url.replace(/\/\/[^@]*@/, '//***@') : config.database.sqlitePath}`,
    `  mail       ${config.mail.smtpUrl ? 'SMTP' : 'no SMTP_URL: mail is kept in the outbox'}`,
  ];
  if (config.isProduction) return lines;
  const chosen = (env.DEMO_PASSWORD ?? '').trim() !== '';
  lines.push(
    seeded
      ? `  demo data  seeded now, with ${demoInquiries} shoppers' inquiries sent through the intake API`
      : '  demo data  (database was not empty; kept as it is)',
    '  demo accounts: made by `npm start` on an empty database (libs/operations/src/seed/demo-seed.ts),',
    chosen
      ? '  all with the password in DEMO_PASSWORD (not shown here):'
      : `  all with the default demo password "${DEFAULT_DEMO_PASSWORD}" (set DEMO_PASSWORD to choose another):`,
    ...DEMO_ACCOUNTS.map(
      (account) =>
        `    ${account.email.padEnd(30)} ${account.role}${account.merchant ? ` of ${account.merchant}` : ''}`,
    ),
  );
  return lines;
}
