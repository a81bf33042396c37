import 'reflect-metadata';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { IncidentService } from '@madoguchi/incidents';
import { AffectedListUpload } from '@madoguchi/incident-response';
import { TicketOpeningService } from '@madoguchi/tickets';
import { createTestUser, loginAs, type LoggedIn, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

const FIVE_MB = 5 * 1024 * 1024;
/** What the client sends before it waits: a small part of the declared body. */
const SENT_FIRST = 64 * 1024;
const BOUNDARY = '----madoguchi-test-boundary';

interface EarlyAnswer {
  /** The status line's code, or null when the server waited for the rest of the body. */
  status: number | null;
  /** Bytes of the body the client had sent when the answer came. */
  bodyBytesSent: number;
  declared: number;
}

/**
 * Sends the headers of a large POST and only the first {@link SENT_FIRST} bytes of its body,
 * then waits for an answer. A server that checks before reading answers now; one that reads the
 * body first waits for the rest, which never comes (status null after the wait).
 */
async function postWithoutFinishing(
  port: number,
  path: string,
  options: {
    headers?: Record<string, string>;
    contentType: string;
    leading: string;
    declared?: number;
  },
): Promise<EarlyAnswer> {
  const declared = options.declared ?? FIVE_MB;
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const headerLines = [
    `POST ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Content-Type: ${options.contentType}`,
    `Content-Length: ${declared}`,
    'Accept: application/json',
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${headerLines.join('\r\n')}\r\n\r\n`);
  // Never the whole body: at most half of it.
  const sent = Math.min(SENT_FIRST, Math.floor(declared / 2));
  const first = Buffer.alloc(sent, 'a');
  Buffer.from(options.leading, 'utf8').copy(first);
  socket.write(first);
  const head = await new Promise<string | null>((resolve) => {
    let data = '';
    const timer = setTimeout(() => resolve(null), 8000);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) {
        clearTimeout(timer);
        resolve(data);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data === '' ? null : data);
    });
  });
  socket.destroy();
  const status = head === null ? null : Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? NaN);
  return { status, bodyBytesSent: sent, declared };
}

function multipartStart(csrfToken: string | null): string {
  const csrf =
    csrfToken === null
      ? ''
      : `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfToken}\r\n`;
  return (
    `${csrf}--${BOUNDARY}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nadd\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="list.csv"\r\n` +
    'Content-Type: text/csv\r\n\r\nemail\r\n'
  );
}

const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** The agent's reply or note with a file (issue 14): the text first, the file after it. */
function ticketUploadStart(csrfToken: string | null): string {
  const csrf =
    csrfToken === null
      ? ''
      : `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfToken}\r\n`;
  return (
    `${csrf}--${BOUNDARY}\r\nContent-Disposition: form-data; name="body"\r\n\r\n添付します\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; filename="x.pdf"\r\n` +
    'Content-Type: application/pdf\r\n\r\n%PDF-1.4\n'
  );
}

/** The multipart routes of the ticket page. */
const TICKET_UPLOAD_ROUTES = ['replies', 'notes'];

describe(`nothing large is read before authentication (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let port: number;
  let tenant: TestTenant;
  let admin: LoggedIn;
  let viewer: LoggedIn;
  let staff: LoggedIn;
  let incidentId: number;
  /** A ticket of the tenant's queue, which `staff` works. */
  let reference: string;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv);
    await desk.listen(0, '127.0.0.1');
    port = (desk.getHttpServer().address() as AddressInfo).port;
    tenant = await createTestTenant(testEnv.dataSource);
    const adminUser = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    const viewerUser = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenant.merchant.id,
    });
    const staffUser = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    admin = await loginAs(desk, adminUser.email);
    viewer = await loginAs(desk, viewerUser.email);
    staff = await loginAs(desk, staffUser.email);
    const operator = await createTestUser(testEnv.dataSource, { role: 'admin' });
    incidentId = (
      await desk.get(IncidentService).create(
        {
          title: 'テスト インシデント',
          description: '説明',
          leakedItems: 'メールアドレス',
          merchants: [{ merchantId: tenant.merchant.id, affected: true }],
        },
        { userId: operator.id, ip: '127.0.0.1' },
      )
    ).id;
  });

  beforeAll(async () => {
    const opened = await testEnv.dataSource.transaction((manager) =>
      desk.get(TicketOpeningService).open(
        manager,
        {
          channel: 'web',
          merchantId: tenant.merchant.id,
          siteId: tenant.site.id,
          queueId: tenant.queue.id,
          category: 'other',
          status: 'new',
          assigneeId: null,
          requester: { name: '山田 花子', email: null, phone: null, orderNumber: null },
          statusTokenHash: null,
          firstResponded: false,
          firstMessage: { kind: 'customer', authorUserId: null, text: 'お問い合わせ' },
          audit: { actor: { type: 'end_user' }, ip: null, detail: () => ({}) },
        },
        new Date(),
      ),
    );
    reference = opened.ticket.reference;
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  const uploadPath = () => `/portal/affected-lists/${incidentId}`;

  it('should refuse an anonymous 5 MB upload before reading its body (401)', async () => {
    const answer = await postWithoutFinishing(port, uploadPath(), {
      contentType: MULTIPART,
      leading: multipartStart('not-a-session-token'),
    });
    expect(answer.status).toBe(401);
    expect(answer.bodyBytesSent).toBeLessThan(answer.declared);
  });

  it('should refuse an upload with a wrong CSRF header before reading its body (403)', async () => {
    const answer = await postWithoutFinishing(port, uploadPath(), {
      contentType: MULTIPART,
      headers: { Cookie: admin.cookie, 'X-CSRF-Token': 'wrong-token' },
      leading: multipartStart(null),
    });
    expect(answer.status).toBe(403);
  });

  it('should refuse a wrong _csrf part before reading the file that follows it (403)', async () => {
    const answer = await postWithoutFinishing(port, uploadPath(), {
      contentType: MULTIPART,
      headers: { Cookie: admin.cookie },
      leading: multipartStart('wrong-token'),
    });
    expect(answer.status).toBe(403);
  });

  it('should refuse a file sent before any _csrf part without reading it (403)', async () => {
    const answer = await postWithoutFinishing(port, uploadPath(), {
      contentType: MULTIPART,
      headers: { Cookie: admin.cookie },
      leading: multipartStart(null),
    });
    expect(answer.status).toBe(403);
  });

  it.each([
    ['operator staff (wrong role)', () => staff],
    ['a merchant viewer (no permission)', () => viewer],
  ])('should refuse %s before reading the body (403)', async (_who, who) => {
    const login = who();
    const answer = await postWithoutFinishing(port, uploadPath(), {
      contentType: MULTIPART,
      headers: { Cookie: login.cookie },
      leading: multipartStart(login.csrfToken),
    });
    expect(answer.status).toBe(403);
    expect(await testEnv.dataSource.getRepository(AffectedListUpload).count()).toBe(0);
  });

  describe.each(TICKET_UPLOAD_ROUTES)(
    'the agent’s upload POST /tickets/:reference/%s (issue 14)',
    (route) => {
      const path = () => `/tickets/${reference}/${route}`;

      it('should refuse it anonymous, before reading its body (401)', async () => {
        const answer = await postWithoutFinishing(port, path(), {
          contentType: MULTIPART,
          leading: ticketUploadStart('not-a-session-token'),
        });
        expect(answer.status).toBe(401);
        expect(answer.bodyBytesSent).toBeLessThan(answer.declared);
      });

      it('should refuse a merchant user before reading its body (its own ticket: 403)', async () => {
        const answer = await postWithoutFinishing(port, path(), {
          contentType: MULTIPART,
          headers: { Cookie: admin.cookie },
          leading: ticketUploadStart(admin.csrfToken),
        });
        expect(answer.status).toBe(403);
      });

      it('should refuse a ticket outside the scope before reading the body (404)', async () => {
        const answer = await postWithoutFinishing(port, `/tickets/ZZZZ-ZZZZ/${route}`, {
          contentType: MULTIPART,
          headers: { Cookie: staff.cookie },
          leading: ticketUploadStart(staff.csrfToken),
        });
        expect(answer.status).toBe(404);
      });

      it('should refuse a file sent before any _csrf part without reading it (403)', async () => {
        const answer = await postWithoutFinishing(port, path(), {
          contentType: MULTIPART,
          headers: { Cookie: staff.cookie },
          leading: ticketUploadStart(null),
        });
        expect(answer.status).toBe(403);
      });

      it('should refuse a wrong _csrf part before reading the file after it (403)', async () => {
        const answer = await postWithoutFinishing(port, path(), {
          contentType: MULTIPART,
          headers: { Cookie: staff.cookie },
          leading: ticketUploadStart('wrong-token'),
        });
        expect(answer.status).toBe(403);
      });
    },
  );

  it('should check every logged-in route before its body, not only the upload (a form post)', async () => {
    const answer = await postWithoutFinishing(port, '/logout', {
      contentType: 'application/x-www-form-urlencoded',
      leading: '_csrf=x&',
      declared: 60 * 1024,
    });
    expect(answer.status).toBe(401);
    expect(answer.bodyBytesSent).toBeLessThan(answer.declared);
    const json = await postWithoutFinishing(port, '/api/v1/auth/logout', {
      contentType: 'application/json',
      headers: { Cookie: admin.cookie, 'X-CSRF-Token': 'wrong-token' },
      leading: '{"x":"',
      declared: 60 * 1024,
    });
    expect(json.status).toBe(403);
  });

  it('should still take a real upload from the merchant admin (the _csrf part first)', async () => {
    const response = await request(desk.getHttpServer())
      .post(uploadPath())
      .set('cookie', admin.cookie)
      .field('_csrf', admin.csrfToken)
      .field('mode', 'add')
      .attach('file', Buffer.from('email\nsomeone@example.jp\n'), {
        filename: 'list.csv',
        contentType: 'text/csv',
      });
    expect(response.status).toBe(200);
    expect(await testEnv.dataSource.getRepository(AffectedListUpload).count()).toBe(1);
  });

  it('should still take the upload with the token in the X-CSRF-Token header', async () => {
    await request(desk.getHttpServer())
      .post(uploadPath())
      .set('cookie', admin.cookie)
      .set('x-csrf-token', admin.csrfToken)
      .field('mode', 'add')
      .attach('file', Buffer.from('email\nsomeone.else@example.jp\n'), {
        filename: 'list.csv',
        contentType: 'text/csv',
      })
      .expect(200);
  });
});
