import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AuditEvent } from '@madoguchi/audit';
import { CannedResponse } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant } from '../support/test-tenant';

/**
 * The desk's web kit under Fastify: handlers return htmlPage()/seeOtherTo()/submitForm() and the
 * web-response interceptor writes status and headers (checked here on the canned-response and
 * search screens, which use it).
 */
describe(`desk web kit (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let session: LoggedIn;
  let supervisorId: number;

  const get = (path: string) =>
    request(desk.getHttpServer())
      .get(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html');
  const postForm = (path: string, fields: Record<string, string>) =>
    request(desk.getHttpServer())
      .post(path)
      .set('Cookie', session.cookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });

  const expectPage = (response: request.Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toMatch(/^<!doctype html>/i);
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv);
    const tenant = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    const supervisor = await createTestUser(testEnv.dataSource, {
      role: 'supervisor',
      queueIds: [tenant.queue.id],
    });
    supervisorId = supervisor.id;
    session = await loginAs(desk, supervisor.email);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should send a returned page with 200, HTML type and no-store', async () => {
    expectPage(await get('/canned-responses'), 200);
    expectPage(await get('/search'), 200);
  });

  it('should answer a POST that succeeds with a bodiless 303 (not 201), no-store', async () => {
    const response = await postForm('/canned-responses', {
      title: '件名',
      body: '本文',
      merchantId: '',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/canned-responses?done=saved');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.text).toBe('');
  });

  it('should re-render refused input with 400, the field error and the drafts', async () => {
    const response = await postForm('/canned-responses', {
      title: '',
      body: '下書き<b>',
      merchantId: '',
    });
    expectPage(response, 400);
    expect(response.text).toContain('id="f-title-error"');
    expect(response.text).toContain('下書き&lt;b&gt;</textarea>');
    const search = await get('/search?q=');
    expectPage(search, 400);
    expect(search.text).toContain('id="f-q-error"');
  });

  it('should refuse a merchant the user does not work with 400 on the merchant field', async () => {
    const response = await postForm('/canned-responses', {
      title: 't',
      body: 'b',
      merchantId: '999999',
    });
    expectPage(response, 400);
    expect(response.text).toContain('id="f-merchantId-error"');
  });

  it('should record the acting user and IP through @CurrentActor()', async () => {
    const item = await testEnv.dataSource.manager.findOneByOrFail(CannedResponse, {
      title: '件名',
    });
    const deleted = await postForm(`/canned-responses/${item.id}/delete`, {});
    expect(deleted.status).toBe(303);
    expect(deleted.headers.location).toBe('/canned-responses?done=deleted');
    const event = await testEnv.dataSource.manager.findOneByOrFail(AuditEvent, {
      action: 'canned_response.deleted',
    });
    expect(event.actorId).toBe(supervisorId);
    expect(event.ip).toBeTruthy();
  });

  it('should leave errors to the error filter (404 page, no-store)', async () => {
    const response = await get('/canned-responses/999999/edit');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('text/html');
  });
});
