import { readFileSync, existsSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { totpCodeAt, type User } from '@madoguchi/auth';
import { FixedClock } from '@madoguchi/common';
import {
  buildCryptoKeys,
  FieldCipher,
  hashSecretToken,
  normaliseOrderNumber,
} from '@madoguchi/crypto';
import { ENCRYPTED_COLUMNS } from '@madoguchi/schema';
import { CallRecordingService, SIMULATOR_ACCOUNT_SID, simulatorSampleWav } from '@madoguchi/calls';
import { AnswerTemplateService, IncidentService } from '@madoguchi/incidents';
import { OutboxJob, OutboxService } from '@madoguchi/mail';
import { AttachmentService, Message, Ticket } from '@madoguchi/tickets';
import { dumpEveryTable, type DumpedValue } from '../support/database-dump';
import {
  createTestUser,
  type LoggedIn,
  loginAs,
  startDeskApp,
  TEST_PASSWORD,
} from '../support/desk-test-app';
import { startIntakeApp } from '../support/intake-test-app';
import {
  callParams,
  callRow,
  newCallSid,
  newRecordingSid,
  startTelephonyApp,
  twilioPost,
} from '../support/telephony-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';
import { testMerchantScope } from '../support/test-scope';

const IN_HOURS = '2026-11-26T11:00:00+09:00'; // a Thursday
const OUT_OF_HOURS = '2026-11-26T20:00:00+09:00';

/** The personal values the run sends; each is distinctive, so finding it anywhere is a leak. */
const JSON_INQUIRY = {
  name: '漏洩検査 一郎',
  email: 'Leak.Probe.Json@Example.JP',
  phone: '090-3141-5926',
  orderNumber: 'ord-probe-27182818',
  category: 'leak_check',
  message: 'JSON本文マーカー_QWERTY カード 4111 1111 1111 1111 の件です。',
  consent: true,
};
const FORM_INQUIRY = {
  name: '書式 花子',
  email: 'form.probe.seven@example.jp',
  phone: '０８０－２７１８－２８１８',
  orderNumber: 'FORM-ORDER-55501',
  category: 'payment',
  message: 'フォーム本文マーカー_ASDFGH 5500-0000-0000-0004 で払いました。',
  consent: 'on',
  website: '',
};
const STATUS_REPLY = '状況ページ返信マーカー_ZXCVB';
const AGENT_REPLY = '担当者返信マーカー_POIUY';
const AGENT_NOTE = '内部メモマーカー_LKJHG';
const EDITED_ANSWER = '承認回答編集マーカー_TREWQ';
const MERCHANT_ANSWER = '加盟店回答マーカー_TREWQ';
const DETERMINATION_REASON = '判定理由マーカー_YHNUJ 電話で本人確認';
const CALLER = '+819055501234';
const CALLER_NATIONAL = '090-5550-1234';
const CALL_NAME = '電話 三郎';
const CALL_SUMMARY = '通話要約マーカー_MNBVC';
const VOICEMAIL_CALLER = '+817011223344';
const CALLBACK_NOTE = '折り返しメモマーカー_QAZWS';
const VOICEMAIL_CALLER_NATIONAL = '070-1122-3344';
const INVITE_PASSWORD = 'invited probe passphrase 31337';
const ATTACHMENT_TEXT = '添付ファイル本文マーカー_WSXED 利用明細 3,980円';
const ATTACHMENT_NAME = '添付名マーカー_RFVTG.txt';

interface Probe {
  label: string;
  /** Every form the value could be stored in; none may appear in the dump. */
  forms: string[];
  /**
   * How the value is stored, decrypted or hashed — it must be found there, so the run really
   * put it into the database and the absence above means something. null: never stored.
   */
  stored: { in: 'decrypted' | 'dump'; text: string } | null;
}

const caseForms = (value: string): string[] => [
  value,
  value.toLowerCase(),
  value.toUpperCase(),
  value.normalize('NFKC'),
  value.normalize('NFKC').toLowerCase(),
];
const digitsOf = (value: string): string => value.normalize('NFKC').replace(/\D/g, '');
const phoneForms = (e164: string, national: string): string[] => [
  e164,
  e164.slice(1),
  national,
  digitsOf(national),
  national.replace(/-/g, ' '),
  national.normalize('NFKC'),
];
const nameForms = (name: string): string[] => [name, name.replace(/\s/g, '')];
const cardForms = (digits: string): string[] => [
  digits,
  digits.replace(/(\d{4})(?=\d)/g, '$1 '),
  digits.replace(/(\d{4})(?=\d)/g, '$1-'),
];
const markerOf = (text: string): string => /[^\s]*マーカー_[A-Z]+/.exec(text)?.[0] ?? text;

describe(`nothing in plaintext at rest, full run (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let tenant: TestTenant;
  let intake: NestFastifyApplication;
  let desk: NestFastifyApplication;
  let telephony: NestFastifyApplication;
  let cipher: FieldCipher;
  const clock = new FixedClock(IN_HOURS);
  const probes: Probe[] = [];
  let dump: DumpedValue[];

  const deskPost = (path: string, session: LoggedIn) =>
    request(desk.getHttpServer())
      .post(path)
      .set('cookie', session.cookie)
      .set('x-csrf-token', session.csrfToken);
  const formPost = (path: string, session: LoggedIn, fields: Record<string, string>) =>
    request(desk.getHttpServer())
      .post(path)
      .set('cookie', session.cookie)
      .type('form')
      .send({ _csrf: session.csrfToken, ...fields });
  const ticketOf = (reference: string) =>
    testEnv.dataSource.getRepository(Ticket).findOneByOrFail({ reference });
  const mailsTo = async (address: string) => {
    const outbox = desk.get(OutboxService);
    const jobs = await testEnv.dataSource.getRepository(OutboxJob).find();
    return jobs.map((job) => outbox.readMail(job)).filter((mail) => mail.to === address);
  };
  const tokenOfCookie = (session: LoggedIn) => session.cookie.split('=')[1];

  beforeAll(async () => {
    testEnv = await createTestEnvironment({
      INTAKE_RATE_LIMIT_PER_MINUTE: '0',
      // Issue 15: voicemails kept in the desk (the simulator's play from the bundled sample; no
      // other recording is fetched: nothing is under this base URL).
      TELEPHONY_STORE_RECORDINGS: 'true',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
    });
    cipher = new FieldCipher(
      buildCryptoKeys(testEnv.env.FIELD_ENCRYPTION_KEYS, testEnv.env.BLIND_INDEX_KEY),
    );
    tenant = await createTestTenant(testEnv.dataSource);
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    telephony = await startTelephonyApp(testEnv, clock);
    const server = () => intake.getHttpServer();

    const agent = await createTestUser(testEnv.dataSource, {
      role: 'agent',
      queueIds: [tenant.queue.id],
    });
    const admin = await createTestUser(testEnv.dataSource, { role: 'admin' });
    const merchantAdmin: User = await createTestUser(testEnv.dataSource, {
      role: 'merchant_admin',
      merchantId: tenant.merchant.id,
    });
    const agentSession = await loginAs(desk, agent.email);
    const adminSession = await loginAs(desk, admin.email);
    const merchantSession = await loginAs(desk, merchantAdmin.email);

    // 1. An inquiry through the JSON API (with an idempotency key: its stored response too).
    const submitted = await request(server())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .set('Idempotency-Key', 'plaintext-probe-1')
      .send(JSON_INQUIRY)
      .expect(201);
    const jsonReference = submitted.body.reference as string;
    const jsonToken = (submitted.body.statusUrl as string).split('/').pop() as string;

    // 2. An inquiry through the form; its status link comes in the confirmation mail.
    await request(server())
      .post(`/s/${tenant.site.slug}`)
      .type('form')
      .send(FORM_INQUIRY)
      .expect(303);
    const [confirmation] = await mailsTo(FORM_INQUIRY.email);
    const formToken = /\/status\/([A-Za-z0-9_-]{43})/.exec(confirmation.text)?.[1] as string;
    expect(formToken).toBeDefined();

    // 3. The end user replies on the status page.
    await request(server())
      .post(`/status/${formToken}/replies`)
      .type('form')
      .send({ message: STATUS_REPLY })
      .expect(303);

    // 4. The agent replies (asking the merchant) and adds a note.
    await deskPost(`/api/v1/tickets/${jsonReference}/notes`, agentSession)
      .send({ body: AGENT_NOTE })
      .expect(201);
    await deskPost(`/api/v1/tickets/${jsonReference}/replies`, agentSession)
      .send({ body: AGENT_REPLY, nextStatus: 'pending_merchant' })
      .expect(201);

    // 5. The merchant answers in the portal.
    await formPost(`/portal/cases/${jsonReference}/answer`, merchantSession, {
      version: String((await ticketOf(jsonReference)).version),
      body: MERCHANT_ANSWER,
    }).expect(303);

    // 6. A call with the caller's number (signed webhooks), then a phone ticket from it.
    const callSid = newCallSid();
    await twilioPost(telephony, '/twilio/voice/incoming', callParams(callSid, CALLER)).expect(200);
    await twilioPost(telephony, '/twilio/voice/phone-code?attempt=1', {
      ...callParams(callSid, CALLER),
      CallStatus: 'in-progress',
      Digits: `${tenant.site.phoneCode}#`,
    }).expect(200);
    await twilioPost(telephony, '/twilio/voice/status', {
      ...callParams(callSid, CALLER),
      CallStatus: 'completed',
      SequenceNumber: '3',
      CallDuration: '60',
    }).expect(200);
    const call = await callRow(testEnv, callSid);
    await deskPost(`/api/v1/calls/${call.id}/wrap-up`, adminSession)
      .send({
        mode: 'create',
        summary: CALL_SUMMARY,
        merchantId: tenant.merchant.id,
        category: 'other',
        requesterName: CALL_NAME,
      })
      .expect(201);

    // 7. A voicemail out of hours: the Record action and the recording callback.
    clock.set(OUT_OF_HOURS);
    const voicemailSid = newCallSid();
    const recordingSid = newRecordingSid();
    const recording = {
      ...callParams(voicemailSid, VOICEMAIL_CALLER),
      RecordingSid: recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/${recordingSid}`,
      RecordingDuration: '12',
    };
    await twilioPost(
      telephony,
      '/twilio/voice/incoming',
      callParams(voicemailSid, VOICEMAIL_CALLER),
    ).expect(200);
    await twilioPost(telephony, '/twilio/voice/voicemail', recording).expect(200);
    await twilioPost(telephony, '/twilio/voice/recording', {
      ...recording,
      RecordingStatus: 'completed',
    }).expect(200);
    // The recording's SID and URL are sealed too (ENCRYPTED_COLUMNS: calls.recording_*).
    const voicemailRow = await callRow(testEnv, voicemailSid);
    expect(cipher.decrypt(voicemailRow.recordingSid as string)).toBe(recordingSid);
    expect(cipher.decrypt(voicemailRow.recordingUrl as string)).toBe(recording.RecordingUrl);

    // 7b. The callback (issue 15): claimed, one attempt with a note (calls.callback_note).
    await deskPost(`/api/v1/calls/${voicemailRow.id}/claim`, agentSession).expect(204);
    await deskPost(`/api/v1/calls/${voicemailRow.id}/callback-attempts`, agentSession)
      .send({ outcome: 'no_answer', note: CALLBACK_NOTE })
      .expect(201);
    // 7c. A simulator voicemail kept in the desk by the recording job (call_recording_parts).
    const simulatedSid = newRecordingSid();
    await twilioPost(telephony, '/twilio/voice/recording', {
      ...callParams(newCallSid(), 'anonymous'),
      RecordingSid: simulatedSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${SIMULATOR_ACCOUNT_SID}/Recordings/${simulatedSid}`,
      RecordingDuration: '3',
      RecordingStatus: 'completed',
    }).expect(200);
    expect(await desk.get(CallRecordingService).storeDue()).toBe(1);
    const sampleBase64 = simulatorSampleWav().toString('base64');

    // 8. An invitation accepted with a new password.
    const inviteeEmail = 'invitee.probe@staff.test';
    await formPost('/admin/users', adminSession, {
      email: inviteeEmail,
      displayName: '招待 検査',
      role: 'agent',
      merchantId: '',
    }).expect(303);
    const [inviteMail] = await mailsTo(inviteeEmail);
    const inviteToken = /\/invite\/([A-Za-z0-9_-]{43})/.exec(inviteMail.text)?.[1] as string;
    expect(inviteToken).toBeDefined();
    await request(desk.getHttpServer())
      .post(`/invite/${inviteToken}`)
      .type('form')
      .send({ password: INVITE_PASSWORD, confirmation: INVITE_PASSWORD })
      .expect(200);
    const inviteeSession = await loginAs(desk, inviteeEmail, INVITE_PASSWORD);

    // 9. A second factor enrolled through the pages.
    const enrolment = await request(desk.getHttpServer())
      .get('/account/totp')
      .set('cookie', merchantSession.cookie)
      .expect(200);
    const totpSecret = (
      /<code class="totp-secret__key"[^>]*>([A-Z2-7 ]+)<\/code\s*>/.exec(enrolment.text)?.[1] ?? ''
    ).replace(/ /g, '');
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    await formPost('/account/totp', merchantSession, {
      code: totpCodeAt(totpSecret, new Date()),
    }).expect(303);
    // …and one offered but not yet confirmed (waits encrypted in the session).
    const pendingEnrolment = await request(desk.getHttpServer())
      .get('/account/totp')
      .set('cookie', agentSession.cookie)
      .expect(200);
    const pendingSecret = (
      /<code class="totp-secret__key"[^>]*>([A-Z2-7 ]+)<\/code\s*>/.exec(
        pendingEnrolment.text,
      )?.[1] ?? ''
    ).replace(/ /g, '');
    expect(pendingSecret).toMatch(/^[A-Z2-7]{32}$/);

    // An approved incident answer sent edited (issue 13.2): its diff (messages.answer_diff)
    // holds the filled-in text, requester's name included, so it is sealed like the body.
    const incident = await desk.get(IncidentService).create(
      {
        title: '平文検査インシデント',
        description: '検査',
        leakedItems: '氏名',
        occurredFrom: null,
        occurredTo: null,
        merchants: [{ merchantId: tenant.merchant.id, affected: true, noticeDate: null }],
      },
      { userId: admin.id, ip: null },
    );
    const answer = await desk
      .get(AnswerTemplateService)
      .create(
        incident.id,
        { title: '検査の回答', purpose: 'answer', body: '{{name}} 様 承認済みの本文です。' },
        { userId: admin.id, ip: null },
      );
    await desk
      .get(AnswerTemplateService)
      .decide(
        testMerchantScope(tenant.merchant.id),
        answer.versions[0].id,
        { decision: 'approved' },
        { userId: merchantAdmin.id, ip: null },
      );
    const linked = await request(server())
      .post(`/api/v1/sites/${tenant.site.slug}/inquiries`)
      .send({ ...JSON_INQUIRY, message: 'インシデントの件です。' })
      .expect(201);
    await deskPost(`/api/v1/tickets/${linked.body.reference as string}/replies`, agentSession)
      .send({ body: EDITED_ANSWER, answerVersionId: answer.versions[0].id })
      .expect(201);
    // An agent's determination with its reason (issue 13.1): the reason is sealed at rest.
    await deskPost(
      `/api/v1/tickets/${linked.body.reference as string}/determinations`,
      agentSession,
    )
      .send({ outcome: 'included', reason: DETERMINATION_REASON })
      .expect(201);

    // 10. An attachment (issue 14) on the JSON inquiry: its name and its bytes are sealed.
    const attachedTo = await ticketOf(jsonReference);
    const firstMessage = await testEnv.dataSource
      .getRepository(Message)
      .findOneOrFail({ where: { ticketId: attachedTo.id }, order: { id: 'ASC' } });
    await testEnv.dataSource.transaction((manager) =>
      desk.get(AttachmentService).store(
        manager,
        {
          ticketId: attachedTo.id,
          messageId: firstMessage.id,
          merchantId: attachedTo.merchantId,
        },
        [
          {
            filename: ATTACHMENT_NAME,
            contentType: 'text/plain',
            bytes: Buffer.from(ATTACHMENT_TEXT),
          },
        ],
      ),
    );

    const decryptedOnly = (text: string) => ({ in: 'decrypted' as const, text });
    const hashed = (token: string) => ({ in: 'dump' as const, text: hashSecretToken(token) });
    probes.push(
      ...[JSON_INQUIRY, FORM_INQUIRY].flatMap((inquiry): Probe[] => [
        {
          label: `name ${inquiry.name}`,
          forms: nameForms(inquiry.name),
          stored: decryptedOnly(inquiry.name),
        },
        {
          label: `email ${inquiry.email}`,
          forms: caseForms(inquiry.email),
          stored: decryptedOnly(inquiry.email),
        },
        {
          label: `order number ${inquiry.orderNumber}`,
          forms: [...caseForms(inquiry.orderNumber), normaliseOrderNumber(inquiry.orderNumber)],
          stored: decryptedOnly(inquiry.orderNumber),
        },
        {
          label: `message ${markerOf(inquiry.message)}`,
          forms: [markerOf(inquiry.message), ...caseForms(markerOf(inquiry.message))],
          stored: decryptedOnly(markerOf(inquiry.message)),
        },
      ]),
      {
        label: 'phone of the JSON inquiry',
        forms: phoneForms('+819031415926', JSON_INQUIRY.phone),
        stored: decryptedOnly(JSON_INQUIRY.phone),
      },
      {
        label: 'phone of the form inquiry',
        forms: phoneForms('+818027182818', '080-2718-2818').concat(FORM_INQUIRY.phone),
        stored: decryptedOnly(FORM_INQUIRY.phone),
      },
      // Card numbers are masked before storage: not even the decrypted text holds them.
      { label: 'card number (Visa)', forms: cardForms('4111111111111111'), stored: null },
      { label: 'card number (Mastercard)', forms: cardForms('5500000000000004'), stored: null },
      {
        label: 'determination reason',
        forms: caseForms(DETERMINATION_REASON),
        stored: decryptedOnly(DETERMINATION_REASON),
      },
      {
        label: 'status reply',
        forms: caseForms(STATUS_REPLY),
        stored: decryptedOnly(STATUS_REPLY),
      },
      { label: 'agent reply', forms: caseForms(AGENT_REPLY), stored: decryptedOnly(AGENT_REPLY) },
      { label: 'agent note', forms: caseForms(AGENT_NOTE), stored: decryptedOnly(AGENT_NOTE) },
      {
        label: 'edited approved answer',
        forms: caseForms(EDITED_ANSWER),
        stored: decryptedOnly(EDITED_ANSWER),
      },
      {
        label: 'merchant answer',
        forms: caseForms(MERCHANT_ANSWER),
        stored: decryptedOnly(MERCHANT_ANSWER),
      },
      {
        label: 'caller',
        forms: phoneForms(CALLER, CALLER_NATIONAL),
        stored: decryptedOnly(CALLER),
      },
      {
        label: 'voicemail caller',
        forms: phoneForms(VOICEMAIL_CALLER, VOICEMAIL_CALLER_NATIONAL),
        stored: decryptedOnly(VOICEMAIL_CALLER),
      },
      {
        label: 'recording SID',
        forms: caseForms(recordingSid),
        stored: decryptedOnly(recordingSid),
      },
      {
        label: 'recording URL',
        forms: [recording.RecordingUrl, recording.RecordingUrl.replace(/^https:\/\//, '')],
        stored: decryptedOnly(recording.RecordingUrl),
      },
      {
        label: 'callback note',
        forms: caseForms(CALLBACK_NOTE),
        stored: decryptedOnly(CALLBACK_NOTE),
      },
      {
        // A kept recording: sealed base64 slices; the bytes' base64 never shows in the dump.
        label: 'stored recording',
        forms: [sampleBase64.slice(0, 4096)],
        stored: decryptedOnly(sampleBase64.slice(0, 4096)),
      },
      {
        label: 'phone requester name',
        forms: nameForms(CALL_NAME),
        stored: decryptedOnly(CALL_NAME),
      },
      {
        label: 'call summary',
        forms: caseForms(CALL_SUMMARY),
        stored: decryptedOnly(CALL_SUMMARY),
      },
      { label: 'status token (API)', forms: [jsonToken], stored: hashed(jsonToken) },
      { label: 'status token (form)', forms: [formToken], stored: hashed(formToken) },
      ...[agentSession, adminSession, merchantSession, inviteeSession].map(
        (session, index): Probe => ({
          label: `session token ${index}`,
          forms: [tokenOfCookie(session)],
          stored: hashed(tokenOfCookie(session)),
        }),
      ),
      { label: 'invite token', forms: [inviteToken], stored: null },
      {
        label: 'TOTP secret',
        forms: caseForms(totpSecret),
        stored: decryptedOnly(totpSecret),
      },
      {
        label: 'pending TOTP secret',
        forms: caseForms(pendingSecret),
        stored: decryptedOnly(pendingSecret),
      },
      {
        // Stored as sealed base64 of the bytes: neither the text nor its base64 may show.
        label: 'attachment content',
        forms: [
          ...caseForms(markerOf(ATTACHMENT_TEXT)),
          Buffer.from(ATTACHMENT_TEXT).toString('base64'),
        ],
        stored: decryptedOnly(Buffer.from(ATTACHMENT_TEXT).toString('base64')),
      },
      {
        label: 'attachment name',
        forms: caseForms(ATTACHMENT_NAME),
        stored: decryptedOnly(ATTACHMENT_NAME),
      },
      { label: 'password', forms: [TEST_PASSWORD], stored: null },
      { label: 'invited password', forms: [INVITE_PASSWORD], stored: null },
    );
    dump = await dumpEveryTable(testEnv.dataSource);
  }, 120_000);

  afterAll(async () => {
    await telephony?.close();
    await desk?.close();
    await intake?.close();
    await testEnv?.cleanup();
  });

  /** The dump's text with every registered encrypted column opened: the plaintext the keys guard. */
  const decryptedText = () =>
    dump
      .filter((value) =>
        ENCRYPTED_COLUMNS.some(
          (spec) => spec.table === value.table && spec.columns.includes(value.column),
        ),
      )
      .map((value) => cipher.decrypt(value.text))
      .join('\n');

  it('should have stored every personal value sent, encrypted or hashed (so the search below can fail)', () => {
    const dumpText = dump.map((value) => value.text).join('\n');
    const decrypted = decryptedText();
    const missing = probes
      .filter((probe) => probe.stored !== null)
      .filter((probe) =>
        probe.stored?.in === 'decrypted'
          ? !decrypted.includes(probe.stored.text)
          : !dumpText.includes(probe.stored?.text ?? ''),
      )
      .map((probe) => probe.label);
    expect(missing).toEqual([]);
  });

  it('should show none of the personal values in any form in a dump of every table', () => {
    expect(dump.length).toBeGreaterThan(100);
    const leaks = probes.flatMap((probe) =>
      probe.forms.flatMap((form) =>
        dump
          .filter((value) => value.text.includes(form))
          .map(
            (value) => `${probe.label} (${form}) in ${value.table}.${value.column} #${value.id}`,
          ),
      ),
    );
    expect(leaks).toEqual([]);
  });

  (TEST_DB === 'sqlite' ? it : it.skip)(
    'should show none of them in the database files on disk either (SQLite file and WAL)',
    () => {
      const path = testEnv.env.SQLITE_PATH;
      const bytes = [path, `${path}-wal`]
        .filter((file) => existsSync(file))
        .map((file) => readFileSync(file).toString('utf8'))
        .join('\n');
      expect(bytes.length).toBeGreaterThan(0);
      const leaks = probes.flatMap((probe) =>
        probe.forms
          .filter((form) => bytes.includes(form))
          .map((form) => `${probe.label} (${form})`),
      );
      expect(leaks).toEqual([]);
    },
  );

  it('should seal every outbox payload, the mails to the end users among them', async () => {
    const jobs = await testEnv.dataSource.getRepository(OutboxJob).find();
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    for (const job of jobs) expect(job.payload).toMatch(/^enc1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    const recipients = jobs.map((job) => desk.get(OutboxService).readMail(job).to);
    expect(recipients).toEqual(expect.arrayContaining([JSON_INQUIRY.email, FORM_INQUIRY.email]));
  });

  it('should hold sealed values only in the columns of the encrypted-column registry, which all exist', () => {
    const sealed = dump.filter((value) => /^enc1:[A-Za-z0-9_-]+:/.test(value.text));
    const unregistered = sealed
      .filter(
        (value) =>
          !ENCRYPTED_COLUMNS.some(
            (spec) => spec.table === value.table && spec.columns.includes(value.column),
          ),
      )
      .map((value) => `${value.table}.${value.column}`);
    expect([...new Set(unregistered)]).toEqual([]);
    const columnsWithValues = new Set(sealed.map((value) => `${value.table}.${value.column}`));
    for (const spec of ENCRYPTED_COLUMNS) {
      const metadata = testEnv.dataSource.entityMetadatas.find((m) => m.tableName === spec.table);
      expect(metadata).toBeDefined();
      for (const column of spec.columns) {
        expect(metadata?.findColumnWithDatabaseName(column)).toBeDefined();
        // The run wrote each registered column at least once, so the registry is exercised.
        expect(columnsWithValues).toContain(`${spec.table}.${column}`);
      }
    }
  });
});
