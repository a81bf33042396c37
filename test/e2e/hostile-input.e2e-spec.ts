import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import request from 'supertest';
import { FixedClock } from '@madoguchi/common';
import { escapeHtml } from '@madoguchi/ui';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { dumpDatabase, startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { propertyRuns, tableCounts } from '../support/security-test';
import {
  callParams,
  newCallSid,
  startTelephonyApp,
  TEST_TWILIO_AUTH_TOKEN,
  twilioPost,
} from '../support/telephony-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issue 6: property-based tests (fast-check) over every public input: the intake's JSON API and
 * form, the status page's reply form, and the parameters of each Twilio webhook (signed with the
 * test auth token, so they pass the signature check and reach validation). For any input: no
 * 5xx; a refused request stores nothing (every table's row count unchanged); and no injected
 * markup comes back unescaped in any page: the intake's pages, the end user's status page, the
 * agent's ticket page and the merchant's case page.
 *
 * Runs are few (each is real HTTP on a real database); FC_SEED=<seed> replays a failing run, whose
 * seed fast-check prints.
 */

/** Markup that would run or break out of an attribute if a page echoed it unescaped. */
const PAYLOADS = [
  '<script>alert("xss-1")</script>',
  '"><img src=x onerror=alert("xss-2")>',
  "'><svg onload=alert('xss-3')>",
  '</textarea><script>alert("xss-4")</script>',
  '" autofocus onfocus="alert(5)" x="',
  "' onmouseover='alert(6)' x='",
  '<a href="javascript:alert(7)">xss-7</a>',
  '<iframe srcdoc="<script>alert(8)</script>"></iframe>',
  '`}; alert(9); //<!--',
  ']]></Say><Dial>+15005550006</Dial><Say><![CDATA[',
] as const;

/** Text with or without a payload, framed by anything, as an attacker would send it. */
const hostileText = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 8 }))
    .map(([before, payload, after]) => `${before}${payload}${after}`),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '𠮷野家', 'ｶﾀｶﾅ', 'a'.repeat(5000)),
);

/** Free text that carries a payload: valid for a name, message or order number. */
const payloadText = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc
    .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 6 }))
    .map(([before, payload, after]) => `${before}${payload}${after}`),
);

/** Any JSON value a client could put in a field. */
const hostileValue = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileText, { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), hostileText, { maxKeys: 2 }),
);

const INQUIRY_FIELDS = ['name', 'email', 'phone', 'orderNumber', 'category', 'message', 'consent'];

/** Every payload that occurs in the text of a value, at any depth. */
function payloadsIn(value: unknown): string[] {
  const text = JSON.stringify(value) ?? '';
  return PAYLOADS.filter((payload) => text.includes(JSON.stringify(payload).slice(1, -1)));
}

/** Fails, naming the payload, if a page holds one of them unescaped. */
function expectNoRawPayload(html: string, where: string): void {
  const reflected = PAYLOADS.filter((payload) => html.includes(payload));
  expect({ where, reflected }).toEqual({ where, reflected: [] });
}

describe(`hostile input on every public input (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let telephony: NestFastifyApplication;
  let tenant: TestTenant;
  let agent: LoggedIn;
  let viewer: LoggedIn;

  const counts = (): Promise<Record<string, number>> => tableCounts(testEnv.dataSource);

  /** The pages that show a stored inquiry: the end user's, the agent's and the merchant's. */
  const expectStoredInquiryEscaped = async (
    reference: string,
    statusPath: string,
    sentPayloads: string[],
  ): Promise<void> => {
    const status = await request(intake.getHttpServer()).get(statusPath).expect(200);
    expectNoRawPayload(status.text, statusPath);
    const ticket = await request(desk.getHttpServer())
      .get(`/tickets/${reference}`)
      .set('Cookie', agent.cookie)
      .set('Accept', 'text/html')
      .expect(200);
    expectNoRawPayload(ticket.text, `desk /tickets/${reference}`);
    const portal = await request(desk.getHttpServer())
      .get(`/portal/cases/${reference}`)
      .set('Cookie', viewer.cookie)
      .set('Accept', 'text/html')
      .expect(200);
    expectNoRawPayload(portal.text, `portal /portal/cases/${reference}`);
    // Not vacuous: what was sent is on the page, escaped.
    for (const payload of sentPayloads) {
      expect(ticket.text + portal.text).toContain(escapeHtml(payload));
    }
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenant = await createTestTenant(testEnv.dataSource);
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    telephony = await startTelephonyApp(testEnv, new FixedClock('2026-11-26T11:00:00+09:00'));
    const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    agent = await loginAs(desk, admin.email);
    const merchantUser = await createTestUser(testEnv.dataSource, {
      role: 'merchant_viewer',
      merchantId: tenant.merchant.id,
    });
    viewer = await loginAs(desk, merchantUser.email);
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await telephony?.close();
    await testEnv?.cleanup();
  });

  it('intake JSON API: no 5xx, nothing stored when refused, nothing reflected unescaped', async () => {
    // Half the runs keep the inquiry valid with payloads in its free-text fields (stored, then
    // shown on every page); the other half send anything at all.
    const acceptable = fc
      .record(
        { name: payloadText, orderNumber: payloadText, message: payloadText },
        { requiredKeys: ['message'] },
      )
      .map((fields) => ({ ...VALID_INQUIRY, ...fields }) as Record<string, unknown>);
    const anything = fc
      .tuple(
        fc.record(Object.fromEntries(INQUIRY_FIELDS.map((field) => [field, hostileValue])), {
          requiredKeys: [],
        }),
        fc.subarray(INQUIRY_FIELDS, { maxLength: 2 }),
        fc.option(
          fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), hostileValue, { maxKeys: 1 }),
        ),
      )
      .map(([overrides, dropped, extra]) => {
        const inquiry: Record<string, unknown> = { ...VALID_INQUIRY, ...overrides, ...extra };
        for (const field of dropped) delete inquiry[field];
        return inquiry;
      });
    const body = fc.oneof(acceptable, anything);
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(body, async (inquiry) => {
        const before = await counts();
        const response = await request(intake.getHttpServer())
          .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
          .send(inquiry);
        expect(response.status).toBeLessThan(500);
        expectNoRawPayload(response.text, 'JSON answer');
        if (response.status !== 201) {
          expect(await counts()).toEqual(before);
          outcomes.refused++;
          return;
        }
        outcomes.accepted++;
        const { reference, statusUrl } = response.body as { reference: string; statusUrl: string };
        const shown = typeof inquiry.message === 'string' ? payloadsIn(inquiry.message) : [];
        await expectStoredInquiryEscaped(reference, new URL(statusUrl).pathname, shown);
      }),
      propertyRuns(40),
    );
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('intake form: no 5xx, nothing stored when refused, the re-rendered form escapes every value', async () => {
    const acceptable = fc
      .record(
        { name: payloadText, orderNumber: payloadText, message: payloadText },
        { requiredKeys: ['message'] },
      )
      .map((fields): Record<string, string> => ({
        name: VALID_INQUIRY.name,
        email: VALID_INQUIRY.email,
        category: VALID_INQUIRY.category,
        consent: 'on',
        ...fields,
      }));
    const anything = fc
      .tuple(
        fc.record(
          Object.fromEntries(
            ['name', 'email', 'phone', 'orderNumber', 'category', 'message'].map((field) => [
              field,
              hostileText,
            ]),
          ),
          { requiredKeys: [] },
        ),
        fc.option(fc.constantFrom('on', 'yes', '', '<script>alert("xss-1")</script>')),
        fc.option(
          fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), hostileText, { maxKeys: 1 }),
        ),
      )
      .map(([overrides, consent, extra]) => {
        const values: Record<string, string> = {
          name: VALID_INQUIRY.name,
          email: VALID_INQUIRY.email,
          category: VALID_INQUIRY.category,
          message: VALID_INQUIRY.message,
          ...overrides,
          ...extra,
        };
        if (consent !== null) values.consent = consent;
        return values;
      });
    const form = fc.oneof(acceptable, anything);
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(form, async (values) => {
        const before = await counts();
        const response = await request(intake.getHttpServer())
          .post(`/s/${tenant.site.slug}`)
          .type('form')
          .send(values);
        expect(response.status).toBeLessThan(500);
        expectNoRawPayload(response.text, `POST /s/:site → ${response.status}`);
        if (response.status !== 303) {
          expect(await counts()).toEqual(before);
          outcomes.refused++;
          return;
        }
        outcomes.accepted++;
        const thanks = await request(intake.getHttpServer())
          .get(String(response.headers.location))
          .expect(200);
        expectNoRawPayload(thanks.text, 'thank-you page');
      }),
      propertyRuns(40),
    );
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('status-page reply: no 5xx, nothing stored when refused, the page escapes every value', async () => {
    const created = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);
    const { reference, statusUrl } = created.body as { reference: string; statusUrl: string };
    const statusPath = new URL(statusUrl).pathname;
    const outcomes = { accepted: 0, refused: 0 };
    const reply = fc.record(
      {
        message: hostileText,
        extra: fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), hostileText)),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(reply, async ({ message, extra }) => {
        const values: Record<string, string> = {};
        if (message !== undefined) values.message = message;
        if (extra) values[extra[0]] = extra[1];
        const before = await counts();
        const response = await request(intake.getHttpServer())
          .post(`${statusPath}/replies`)
          .type('form')
          .send(values);
        expect(response.status).toBeLessThan(500);
        expectNoRawPayload(response.text, `POST replies → ${response.status}`);
        if (response.status !== 303) {
          // Re-rendering the page is a view of it, audited like any; nothing else is written.
          const { audit_events: auditAfter, ...after } = await counts();
          const { audit_events: auditBefore, ...unchanged } = before;
          expect(after).toEqual(unchanged);
          expect(
            await testEnv.dataSource.query(
              'SELECT action FROM audit_events WHERE id > (SELECT MAX(id) - ? FROM audit_events)',
              [auditAfter - auditBefore],
            ),
          ).toEqual(
            Array.from({ length: auditAfter - auditBefore }, () => ({
              action: 'ticket.status_page_viewed',
            })),
          );
          outcomes.refused++;
          return;
        }
        outcomes.accepted++;
        await expectStoredInquiryEscaped(reference, statusPath, payloadsIn(message ?? ''));
      }),
      propertyRuns(40),
    );
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('Twilio webhooks (signed): no 5xx, nothing stored when refused, no markup injected into TwiML', async () => {
    const PATHS = [
      '/twilio/voice/incoming',
      '/twilio/voice/phone-code?attempt=1',
      '/twilio/voice/wait',
      '/twilio/voice/queue-result',
      '/twilio/voice/status',
      '/twilio/voice/voicemail',
      '/twilio/voice/recording',
      '/twilio/voice/agent-dial',
      '/twilio/voice/agent-bridged?agentId=1',
    ];
    const KEYS = [
      'CallSid',
      'From',
      'To',
      'Caller',
      'Called',
      'CallStatus',
      'Direction',
      'Digits',
      'SequenceNumber',
      'CallDuration',
      'Timestamp',
      'QueueResult',
      'QueueTime',
      'QueuePosition',
      'AvgQueueTime',
      'RecordingSid',
      'RecordingUrl',
      'RecordingDuration',
      'RecordingStatus',
    ];
    const webhook = fc.record({
      path: fc.constantFrom(...PATHS),
      overrides: fc.dictionary(fc.constantFrom(...KEYS), hostileText, { maxKeys: 4 }),
      dropped: fc.subarray(['CallSid', 'CallStatus', 'From'], { maxLength: 1 }),
      extra: fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), hostileText)),
      query: fc.option(hostileText),
    });
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(webhook, async ({ path, overrides, dropped, extra, query }) => {
        const params: Record<string, string> = { ...callParams(newCallSid()), ...overrides };
        for (const key of dropped) delete params[key];
        if (extra) params[extra[0]] = extra[1];
        const target =
          query === null ? path : `${path.split('?')[0]}?attempt=${encodeURIComponent(query)}`;
        const before = await counts();
        const response = await twilioPost(telephony, target, params);
        expect(response.status).toBeLessThan(500);
        expectNoRawPayload(response.text, `${target} → ${response.status}`);
        if (response.status >= 400) {
          expect(await counts()).toEqual(before);
          outcomes.refused++;
        } else outcomes.accepted++;
      }),
      propertyRuns(60),
    );
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('should hold no key or secret of the configuration in a dump of the database after the runs', async () => {
    const dump = await dumpDatabase(testEnv);
    expect(dump.length).toBeGreaterThan(10_000);
    const secrets: Record<string, string> = {
      TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN,
      BLIND_INDEX_KEY: testEnv.env.BLIND_INDEX_KEY,
    };
    for (const entry of testEnv.env.FIELD_ENCRYPTION_KEYS.split(',')) {
      const [id, key] = entry.split(':');
      secrets[`FIELD_ENCRYPTION_KEYS ${id}`] = key;
    }
    const found: string[] = [];
    for (const [name, value] of Object.entries(secrets)) {
      const raw = Buffer.from(value, 'base64');
      const forms = [value, raw.toString('hex'), raw.toString('base64url')];
      if (forms.some((form) => form.length > 0 && dump.includes(form))) found.push(name);
    }
    expect(found).toEqual([]);
  });
});
