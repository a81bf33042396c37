import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { IsNull, Not } from 'typeorm';
import { OutboxJob } from '@madoguchi/mail';
import { type ChildApp, spawnApp } from '../support/child-app';
import { createTestUser, TEST_PASSWORD } from '../support/desk-test-app';
import { openStream } from '../support/event-stream';
import { checkInquiryIntegrity, missingTickets } from '../support/inquiry-integrity';
import { VALID_INQUIRY } from '../support/intake-test-app';
import { startSmtpTestServer, type SmtpTestServer } from '../support/smtp-test-server';
import { waitUntil } from '../support/wait-until';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * The apps as separate processes (their real main.ts, from the TypeScript sources): killed
 * mid-burst, and stopped with SIGTERM while requests and mail are in flight.
 */
// Child processes start from the TypeScript sources (the first start transpiles them all).
jest.setTimeout(180_000);

describe(`fault: an app process killed or stopped (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let tenant: TestTenant;
  let smtp: SmtpTestServer;
  const children: ChildApp[] = [];

  const spawn = async (name: 'intake' | 'desk', env: Record<string, string> = {}) => {
    const child = await spawnApp(name, { ...testEnv.env, ...env });
    children.push(child);
    return child;
  };

  const inquiryPath = () => `/api/v1/sites/${tenant.site.slug}/inquiries`;
  // Each inquiry its own address: an address gets at most five confirmation mails a day.
  let sent = 0;
  const inquiryBody = (name: string) =>
    JSON.stringify({ ...VALID_INQUIRY, name, email: `fault-${(sent += 1)}@example.jp` });

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exited));
    await testEnv?.cleanup();
    await smtp?.stop();
  });

  it('should leave no half-written ticket when the intake is killed mid-burst', async () => {
    const intake = await spawn('intake');
    const created: string[] = [];
    let failed = 0;
    let killed = false;
    const loop = async (n: number) => {
      for (let i = 0; !killed || i === 0; i++) {
        try {
          const response = await fetch(`${intake.url}${inquiryPath()}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: inquiryBody(`kill ${n}-${i}`),
          });
          const body = (await response.json()) as { reference?: string };
          if (response.status === 201) created.push(body.reference as string);
          else failed++;
        } catch {
          // The connection died with the process: the client does not know the outcome.
          failed++;
          return;
        }
        if (!killed && created.length >= 25) {
          killed = true;
          intake.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, n) => loop(n)));
    expect(await intake.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(failed).toBeGreaterThan(0);
    expect(await missingTickets(testEnv, created)).toEqual([]);
    const integrity = await checkInquiryIntegrity(testEnv);
    expect(integrity.halfWritten).toEqual([]);
    expect(integrity.references.length).toBeGreaterThanOrEqual(created.length);

    // A new process takes over on the same database.
    const again = await spawn('intake');
    const response = await fetch(`${again.url}${inquiryPath()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: inquiryBody('after the crash'),
    });
    expect({ status: response.status, log: response.status === 201 ? '' : again.output() }).toEqual(
      { status: 201, log: '' },
    );
    again.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });

  it('should answer a request in flight at SIGTERM, refuse new connections, and exit 0', async () => {
    const intake = await spawn('intake', { SHUTDOWN_TIMEOUT_MS: '10000' });
    const before = await testEnv.dataSource.getRepository(OutboxJob).count();
    const inFlight = await startRequest(intake.port, inquiryPath());
    intake.kill('SIGTERM');
    // The server stops listening while the request is still open...
    await waitUntilRefused(intake.port);
    // ...and the request, its body sent only now, still gets its answer.
    const response = await inFlight.finish(inquiryBody('in flight at SIGTERM'));
    expect(response.status).toBe(201);
    const { reference } = JSON.parse(response.body) as { reference: string };
    expect(await missingTickets(testEnv, [reference])).toEqual([]);
    expect(await testEnv.dataSource.getRepository(OutboxJob).count()).toBe(before + 1);
    expect(await intake.exited).toEqual({ code: 0, signal: null });
  });

  it('should exit within SHUTDOWN_TIMEOUT_MS when a request never ends', async () => {
    const intake = await spawn('intake', { SHUTDOWN_TIMEOUT_MS: '1500' });
    const hanging = await startRequest(intake.port, inquiryPath());
    const stoppedAt = Date.now();
    intake.kill('SIGTERM');
    expect(await intake.exited).toEqual({ code: 1, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(intake.output()).toContain('shutdown took longer than 1500 ms');
    hanging.abort();
  });

  it('should take a burst through the intake while a desk process sends its mail', async () => {
    // Several processes writing one database: on SQLite a transaction that read first cannot
    // wait for another process's write lock and is retried (runTransaction), never a 500.
    const intake = await spawn('intake');
    const desk = await spawn('desk', {
      OUTBOX_WORKER: 'on',
      SMTP_URL: smtp.url,
      OUTBOX_POLL_INTERVAL_MS: '50',
    });
    const outbox = testEnv.dataSource.getRepository(OutboxJob);
    const statuses: number[] = [];
    await Promise.all(
      [0, 1, 2].map(async (n) => {
        for (let i = 0; i < 20; i++) {
          const response = await fetch(`${intake.url}${inquiryPath()}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: inquiryBody(`burst ${n}-${i}`),
          });
          statuses.push(response.status);
        }
      }),
    );
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    await waitUntil(async () => (await outbox.countBy({ status: 'pending' })) === 0, 30_000);
    expect(smtp.messages).toHaveLength(await outbox.countBy({ status: 'sent' }));
    desk.kill('SIGTERM');
    intake.kill('SIGTERM');
    expect(await desk.exited).toEqual({ code: 0, signal: null });
    expect(await intake.exited).toEqual({ code: 0, signal: null });
  });

  it('should finish the mail in flight at SIGTERM, release its leases and close live streams', async () => {
    const outbox = testEnv.dataSource.getRepository(OutboxJob);
    // Whatever the earlier tests queued is sent first, by a desk that then stops.
    const flush = await spawn('desk', {
      OUTBOX_WORKER: 'on',
      SMTP_URL: smtp.url,
      OUTBOX_POLL_INTERVAL_MS: '50',
    });
    await waitUntil(async () => (await outbox.countBy({ status: 'pending' })) === 0);
    flush.kill('SIGTERM');
    expect(await flush.exited).toEqual({ code: 0, signal: null });
    smtp.reset();

    const intake = await spawn('intake');
    const desk = await spawn('desk', {
      OUTBOX_WORKER: 'on',
      SMTP_URL: smtp.url,
      OUTBOX_POLL_INTERVAL_MS: '50',
    });
    const agent = await createTestUser(testEnv.dataSource, { role: 'agent' });
    const login = await fetch(`${desk.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: agent.email, password: TEST_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((header) => header.split(';')[0]);
    const live = await openStream(desk.port, cookie.join('; '));
    expect(live.status).toBe(200);

    // The SMTP server holds its answer to the first mail while the desk is told to stop.
    smtp.delayNextMs = 3000;
    for (const name of ['mail in flight', 'mail after']) {
      const response = await fetch(`${intake.url}${inquiryPath()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: inquiryBody(name),
      });
      expect({
        status: response.status,
        log: response.status === 201 ? '' : intake.output(),
      }).toEqual({ status: 201, log: '' });
    }
    const [first, second] = await outbox.find({
      where: { status: 'pending' },
      order: { id: 'ASC' },
    });
    await waitUntil(
      async () => (await outbox.findOneByOrFail({ id: first.id })).leaseOwner !== null,
    );

    desk.kill('SIGTERM');
    expect(await desk.exited).toEqual({ code: 0, signal: null });
    // The live stream was ended by the server, not left to hold the shutdown.
    await live.ended;
    await expect(outbox.findOneByOrFail({ id: first.id })).resolves.toMatchObject({
      status: 'sent',
      leaseOwner: null,
    });
    await expect(outbox.findOneByOrFail({ id: second.id })).resolves.toMatchObject({
      status: 'pending',
      leaseOwner: null,
      leaseExpiresAt: null,
    });
    expect(await outbox.countBy({ leaseOwner: Not(IsNull()) })).toBe(0);
    expect(smtp.messages).toHaveLength(1);
    intake.kill('SIGTERM');
    await intake.exited;
  });
});

interface OpenRequest {
  /** Sends the body and resolves with the answer. */
  finish(body: string): Promise<{ status: number; body: string }>;
  abort(): void;
}

/**
 * A JSON POST whose headers the server has read (it answered `100 Continue`) and whose body
 * is not sent yet: a request certainly in flight in the server.
 */
function startRequest(port: number, path: string): Promise<OpenRequest> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // A fixed length the body is padded to, so the headers can go before the body exists.
        'content-length': '2048',
        expect: '100-continue',
      },
    });
    const answer = new Promise<IncomingMessage>((done, fail) => {
      req.on('response', done);
      req.on('error', fail);
    });
    // A request aborted on purpose (or cut by the process exiting) is no test failure by itself.
    answer.catch(() => undefined);
    req.on('error', reject);
    req.on('continue', () =>
      resolve({
        async finish(body) {
          const bytes = Buffer.from(body, 'utf8');
          if (bytes.length > 2048)
            throw new Error('the body is longer than the announced 2048 bytes');
          req.end(Buffer.concat([bytes, Buffer.alloc(2048 - bytes.length, ' ')]));
          const response = await answer;
          let text = '';
          for await (const chunk of response) text += String(chunk);
          return { status: response.statusCode ?? 0, body: text };
        },
        abort: () => req.destroy(),
      }),
    );
    req.flushHeaders();
  });
}

/** Resolves once a new TCP connection to the port is refused (the server stopped listening). */
async function waitUntilRefused(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    if (Date.now() > deadline) throw new Error(`port ${port} still accepts after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
