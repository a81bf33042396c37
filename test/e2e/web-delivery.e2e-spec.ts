import { get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { IMMUTABLE_CACHE_CONTROL, UNVERSIONED_CACHE_CONTROL } from '@madoguchi/http';
import { AttachmentService, Message, Ticket } from '@madoguchi/tickets';
import { createTestUser, loginAs, startDeskApp } from '../support/desk-test-app';
import { openStream } from '../support/event-stream';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { waitUntil } from '../support/wait-until';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A GET with Node's own client: the body's bytes as they came over the wire, never decoded. */
function rawGet(
  app: NestFastifyApplication,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const { port } = app.getHttpServer().address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** The linked URL of an asset in a page, e.g. `/assets/ui.css?v=…`. */
function linkedUrl(page: string, path: string): string {
  const match = new RegExp(`(?:href|src)="(${path.replace(/\./g, '\\.')}\\?v=[\\w-]+)"`).exec(page);
  if (!match) throw new Error(`${path} is not linked with a version`);
  return match[1];
}

describe(`web delivery: compression, caching, favicon (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let tenant: TestTenant;
  const intakeHttp = () => request(intake.getHttpServer());
  const deskHttp = () => request(desk.getHttpServer());

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    intake = await startIntakeApp(testEnv);
    await intake.listen(0, '127.0.0.1');
    desk = await startDeskApp(testEnv);
    await desk.listen(0, '127.0.0.1');
    tenant = await createTestTenant(testEnv.dataSource);
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe('compression', () => {
    it('should send the form gzip- or brotli-compressed when the browser accepts it, and plain otherwise', async () => {
      const path = `/s/${tenant.site.slug}`;
      const plain = await intakeHttp().get(path).set('accept-encoding', 'identity').expect(200);
      expect(plain.headers['content-encoding']).toBeUndefined();

      const gzip = await rawGet(intake, path, { 'accept-encoding': 'gzip' });
      expect(gzip.status).toBe(200);
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gzip.headers.vary).toMatch(/accept-encoding/i);
      expect(withoutFormToken(gunzipSync(gzip.body).toString('utf8'))).toBe(
        withoutFormToken(plain.text),
      );
      expect(gzip.body.length).toBeLessThan(Buffer.byteLength(plain.text) / 2);
      // A compressed page is still a page nobody may cache.
      expect(gzip.headers['cache-control']).toBe('no-store');

      const br = await rawGet(intake, path, { 'accept-encoding': 'br, gzip' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(withoutFormToken(brotliDecompressSync(br.body).toString('utf8'))).toBe(
        withoutFormToken(plain.text),
      );
    });

    it('should compress the stylesheets and scripts of both apps', async () => {
      for (const [app, path] of [
        [intake, '/assets/ui.css'],
        [desk, '/assets/ui.css'],
        [desk, '/assets/console.css'],
        [desk, '/assets/console.js'],
      ] as const) {
        const response = await rawGet(app, path, { 'accept-encoding': 'gzip' });
        expect([path, response.status, response.headers['content-encoding']]).toEqual([
          path,
          200,
          'gzip',
        ]);
        expect(gunzipSync(response.body).length).toBeGreaterThan(response.body.length);
      }
    });

    it('should compress the desk’s login page but not a signed-in page (its CSRF token beside chosen text: BREACH)', async () => {
      const login = await rawGet(desk, '/login', { 'accept-encoding': 'gzip' });
      expect(login.status).toBe(200);
      expect(login.headers['content-encoding']).toBe('gzip');

      const agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      const session = await loginAs(desk, agent.email);
      const search = await rawGet(desk, '/search?q=chosen-text', {
        cookie: session.cookie,
        'accept-encoding': 'gzip, br',
      });
      expect(search.status).toBe(200);
      expect(search.headers['content-type']).toContain('text/html');
      expect(search.headers['content-encoding']).toBeUndefined();
      expect(search.body.toString('utf8')).toContain(session.csrfToken);
      // The same session's assets are compressed: they hold nothing of the session.
      const css = await rawGet(desk, '/assets/console.css', {
        cookie: session.cookie,
        'accept-encoding': 'gzip',
      });
      expect(css.headers['content-encoding']).toBe('gzip');
    });

    it('should stream the desk’s live events uncompressed, event by event', async () => {
      const agent = await createTestUser(testEnv.dataSource, {
        role: 'agent',
        queueIds: [tenant.queue.id],
      });
      const session = await loginAs(desk, agent.email);
      const port = (desk.getHttpServer().address() as AddressInfo).port;
      const stream = await openStream(port, session.cookie, { 'accept-encoding': 'gzip, br' });
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers['content-type']).toContain('text/event-stream');
        expect(stream.headers['content-encoding']).toBeUndefined();
        // The greeting arrives at once, readable as text: nothing sits in a compressor's buffer.
        await waitUntil(() => stream.comments.includes('connected'), 5000);
        expect(stream.retry).not.toBeNull();
      } finally {
        stream.close();
      }
    });

    it('should send an attachment download as stored, with its own headers, whatever the browser accepts', async () => {
      const submitted = await intakeHttp()
        .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
        .send(VALID_INQUIRY)
        .expect(201);
      const ticket = await testEnv.dataSource.manager.findOneByOrFail(Ticket, {
        reference: submitted.body.reference,
      });
      const [first] = await testEnv.dataSource.manager.find(Message, {
        where: { ticketId: ticket.id },
        order: { id: 'ASC' },
      });
      const text = Buffer.from('注文番号と明細です。\n'.repeat(200), 'utf8');
      const [stored] = await testEnv.dataSource.transaction((manager) =>
        intake
          .get(AttachmentService)
          .store(
            manager,
            { ticketId: ticket.id, messageId: first.id, merchantId: ticket.merchantId },
            [{ filename: '明細.txt', contentType: 'text/plain', bytes: text }],
          ),
      );
      const statusPath = new URL(submitted.body.statusUrl).pathname;
      const download = await rawGet(intake, `${statusPath}/attachments/${stored.id}`, {
        'accept-encoding': 'gzip, br',
      });
      expect(download.status).toBe(200);
      expect(download.headers['content-encoding']).toBeUndefined();
      expect(download.headers['content-disposition']).toMatch(/^attachment; /);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(download.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
      expect(download.headers['cache-control']).toBe('no-store');
      expect(Number(download.headers['content-length'])).toBe(text.length);
      expect(download.body.equals(text)).toBe(true);
    });
  });

  describe('caching', () => {
    it('should link the stylesheet by its content hash and let that URL be cached for a year', async () => {
      const form = await intakeHttp().get(`/s/${tenant.site.slug}`).expect(200);
      expect(form.headers['cache-control']).toBe('no-store');
      const url = linkedUrl(form.text, '/assets/ui.css');
      const css = await intakeHttp().get(url).expect(200);
      expect(css.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
      expect(IMMUTABLE_CACHE_CONTROL).toBe('public, max-age=31536000, immutable');
      // The bare path or another build's version: today's file, kept only briefly.
      const bare = await intakeHttp().get('/assets/ui.css').expect(200);
      expect(bare.headers['cache-control']).toBe(UNVERSIONED_CACHE_CONTROL);
      expect(bare.text).toBe(css.text);
      const stale = await intakeHttp().get('/assets/ui.css?v=older-build-0000').expect(200);
      expect(stale.headers['cache-control']).toBe(UNVERSIONED_CACHE_CONTROL);
    });

    it('should link the desk’s stylesheets and script by content hash too', async () => {
      const login = await deskHttp().get('/login').expect(200);
      expect(login.headers['cache-control']).toBe('no-store');
      for (const path of ['/assets/ui.css', '/assets/console.css', '/assets/console.js']) {
        const response = await deskHttp().get(linkedUrl(login.text, path)).expect(200);
        expect([path, response.headers['cache-control']]).toEqual([path, IMMUTABLE_CACHE_CONTROL]);
      }
    });
  });

  describe('favicon', () => {
    it('should link and serve an SVG icon on both apps', async () => {
      const form = await intakeHttp().get(`/s/${tenant.site.slug}`).expect(200);
      const login = await deskHttp().get('/login').expect(200);
      for (const [app, page] of [
        [intake, form.text],
        [desk, login.text],
      ] as const) {
        expect(page).toMatch(
          /<link rel="icon" href="\/assets\/favicon\.svg\?v=[\w-]+" type="image\/svg\+xml"/,
        );
        const icon = await rawGet(app, linkedUrl(page, '/assets/favicon.svg'));
        expect(icon.status).toBe(200);
        expect(icon.headers['content-type']).toContain('image/svg+xml');
        expect(icon.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
        expect(icon.body.toString('utf8')).toMatch(/^<svg [^>]*viewBox="0 0 32 32"/);
      }
    });
  });
});

/** Each form carries its own one-time token (Back + 送信 makes no second ticket): not compared. */
function withoutFormToken(page: string): string {
  return page.replace(/name="form_token" value="[^"]*"/g, 'name="form_token" value=""');
}
