import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { type AppConfig, loadConfig } from '@madoguchi/config';
import {
  DEMO_ACCOUNTS,
  DEMO_SITES,
  openDataSource,
  runPendingMigrations,
  seedDemoData,
} from '@madoguchi/database';
import { sendDemoInquiries } from './demo-inquiries';

const APPS = ['intake', 'desk', 'telephony'] as const;

/**
 * `npm start`: migrate, seed the demo data outside production, then run the three apps as
 * separate processes (each its own port, as in production) until Ctrl-C.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await openDataSource(config);
  let seeded = false;
  try {
    const applied = await runPendingMigrations(dataSource);
    if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
    if (!config.isProduction) seeded = await seedDemoData(dataSource, config.demoPassword);
  } finally {
    await dataSource.destroy();
  }

  const children = APPS.map((app) =>
    fork(join(__dirname, '..', 'apps', app, 'src', 'main.js'), { stdio: 'inherit' }),
  );
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 10000).unref();
    void Promise.all(children.map(waitForExit)).then(() => process.exit(code));
  };
  for (const child of children) {
    child.on('exit', (code) => {
      if (!stopping) {
        console.error(`an app exited (code ${code}); stopping the others`);
        stop(code ?? 1);
      }
    });
  }
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  // The summary comes last, once every app listens, so it is not lost in their start-up logs.
  await Promise.all(children.map(waitForReady));
  const demoInquiries = seeded ? await sendDemoInquiries(config) : 0;
  printBanner(config, seeded, demoInquiries);
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') resolve();
    });
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  return child.exitCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

function printBanner(config: AppConfig, seeded: boolean, demoInquiries: number): void {
  const { http } = config;
  const lines = [
    '',
    'Madoguchi is starting:',
    `  intake     ${http.intakePublicUrl}   (forms: ${DEMO_SITES.map((site) => `/s/${site.slug}`).join(', ')})`,
    `  desk       ${http.deskPublicUrl}   (console: /login, API docs: /api/docs)`,
    `  telephony  ${http.telephonyPublicUrl}   (simulate a call: npm run call:simulate -- --scenario answered|abandoned|voicemail|out-of-hours)`,
    `  database   ${config.database.url ? config.database.url.replace(/\/\/[^@]*@/, '//***@') : config.database.sqlitePath}`,
    `  mail       ${config.mail.smtpUrl ? 'SMTP' : 'no SMTP_URL: mail is kept in the outbox and logged'}`,
  ];
  if (!config.isProduction) {
    lines.push(
      seeded
        ? `  demo data  seeded now, with ${demoInquiries} shoppers' inquiries sent through the intake API`
        : '  demo data  (database was not empty; kept as it is)',
      `  demo accounts (password "${config.demoPassword}", from DEMO_PASSWORD):`,
      ...DEMO_ACCOUNTS.map(
        (account) =>
          `    ${account.email.padEnd(30)} ${account.role}${account.merchant ? ` of ${account.merchant}` : ''}`,
      ),
    );
  }
  console.log(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
