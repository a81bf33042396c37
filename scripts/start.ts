import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { type AppConfig, loadConfig } from '@madoguchi/config';
import {
  assertDemoRunnerAllowed,
  DEMO_SITES,
  demoBannerLines,
  seedDemoData,
} from '@madoguchi/operations';
import { openDataSource } from '@madoguchi/schema';
import { runPendingMigrations } from '@madoguchi/database';
import { sendDemoInquiries } from './demo-inquiries';

const APPS = ['intake', 'desk', 'telephony'] as const;

/**
 * `npm start`: migrate, seed the demo data (never in production: refused), then run the three apps as
 * separate processes (each its own port, as in production) until Ctrl-C.
 */
async function main(): Promise<void> {
  // The demo runner is development unless told otherwise, said out loud: the simulator's --at
  // (simulated time) is honoured only where NODE_ENV names development or test. The apps inherit it.
  process.env.NODE_ENV ??= 'development';
  const config = loadConfig();
  assertDemoRunnerAllowed(config);
  const dataSource = await openDataSource(config);
  let seeded: boolean;
  try {
    const applied = await runPendingMigrations(dataSource);
    if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
    seeded = await seedDemoData(dataSource, config.demoPassword);
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
  const lines = demoBannerLines(config, process.env, seeded, demoInquiries);
  // Inbound mail among the URLs, right after the outgoing mail line (docs/email.md).
  const afterMail = lines.findIndex((line) => line.startsWith('  mail ')) + 1;
  lines.splice(afterMail || lines.length, 0, ...inboundMailLines(config));
  console.log(lines.join('\n') + '\n');
}

function inboundMailLines(config: AppConfig): string[] {
  const { smtpPort, smtpHost, domain, imapUrl } = config.inboundMail;
  const lines = [
    smtpPort > 0
      ? `  inbound    smtp://${smtpHost}:${smtpPort}   (try: npm run mail:send -- --to ${DEMO_SITES[0].slug}@${domain} --text "…")`
      : '  inbound    SMTP listener off (INBOUND_SMTP_PORT=0)',
    `  site mail  ${DEMO_SITES.map((site) => `${site.slug}@${domain}`).join(', ')}`,
  ];
  if (imapUrl) lines.push(`  imap       polling ${imapUrl.replace(/\/\/[^@]*@/, '//***@')}`);
  return lines;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
