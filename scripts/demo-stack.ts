import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@madoguchi/config';
import { runPendingMigrations } from '@madoguchi/database';
import { seedDemoData } from '@madoguchi/operations';
import { openDataSource } from '@madoguchi/schema';

/** The intake and the desk on a fresh SQLite database with the demo data, for tools that look at the pages. */
export interface DemoStack {
  intakeUrl: string;
  deskUrl: string;
  /** A demo shopper's status page (a leak-check inquiry to demo-a-shop, so the leak check shows). */
  statusUrl: string;
  /** The thank-you page that inquiry's form submission would show. */
  thanksUrl: string;
  demoPassword: string;
  stop(): Promise<void>;
}

const APPS = ['intake', 'desk'] as const;
const ROOT = join(__dirname, '..');

/** A shopper's inquiry as the README's demo sends it. */
export const DEMO_SHOPPER = {
  name: '山田 花子',
  email: 'hanako.yamada@example.jp',
  phone: '090-1234-5678',
  orderNumber: 'A-100231',
  category: 'leak_check',
  message:
    '通知メールを受け取りました。私のカード情報も流出した対象に含まれているか確認したいです。',
  consent: true,
} as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForReady(name: string, child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start:\n${output()}`)),
      90_000,
    );
    child.on('message', (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${output()}`));
    });
  });
}

/**
 * Migrates and seeds a SQLite database in a temporary folder, starts the intake and the desk as
 * their own processes (from the TypeScript sources when this runs under the register hook, as
 * `npm run lighthouse` does: a forked child inherits it), and sends one shopper's inquiry
 * through the form, so a status page and a thank-you page exist.
 */
export async function startDemoStack(): Promise<DemoStack> {
  const varDir = mkdtempSync(join(tmpdir(), 'madoguchi-demo-'));
  const [intakePort, deskPort] = [await freePort(), await freePort()];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'development',
    MADOGUCHI_VAR_DIR: varDir,
    INTAKE_PORT: String(intakePort),
    DESK_PORT: String(deskPort),
    INTAKE_PUBLIC_URL: `http://127.0.0.1:${intakePort}`,
    DESK_PUBLIC_URL: `http://127.0.0.1:${deskPort}`,
    // No mail listener on the shared port 2525, no per-minute cap on a tool's many page loads.
    INBOUND_SMTP_PORT: '0',
    INTAKE_RATE_LIMIT_PER_MINUTE: '0',
  };
  const config = loadConfig(env);
  const dataSource = await openDataSource(config);
  try {
    await runPendingMigrations(dataSource);
    await seedDemoData(dataSource, config.demoPassword);
  } finally {
    await dataSource.destroy();
  }

  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(varDir, { recursive: true, force: true });
  };
  try {
    for (const app of APPS) {
      const child = fork(join(ROOT, 'apps', app, 'src', 'main.ts'), [], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk).slice(-4000)));
      child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk).slice(-4000)));
      children.push(child);
      await waitForReady(app, child, () => output);
    }
    const intakeUrl = env.INTAKE_PUBLIC_URL;
    const deskUrl = env.DESK_PUBLIC_URL;
    const response = await fetch(`${intakeUrl}/api/v1/sites/demo-a-shop/inquiries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_SHOPPER),
    });
    if (response.status !== 201) throw new Error(`demo inquiry refused: ${response.status}`);
    const { statusUrl } = (await response.json()) as { statusUrl: string };
    const thanksUrl = await sendFormInquiry(intakeUrl);
    return { intakeUrl, deskUrl, statusUrl, thanksUrl, demoPassword: config.demoPassword, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The form's own path (form-encoded POST, 303): returns where the thank-you page is. */
async function sendFormInquiry(intakeUrl: string): Promise<string> {
  const body = new URLSearchParams({
    name: DEMO_SHOPPER.name,
    email: DEMO_SHOPPER.email,
    category: 'suspicious_contact',
    message: '昨日、ショップを名乗る番号から電話があり、カード番号を聞かれました。本物でしょうか。',
    consent: 'on',
    website: '',
  });
  const response = await fetch(`${intakeUrl}/s/demo-a-shop`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (response.status !== 303 || !location) throw new Error(`form refused: ${response.status}`);
  return new URL(location, intakeUrl).href;
}
