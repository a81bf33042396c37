import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import twilio from 'twilio';
import { Call } from '@madoguchi/calls';
import type { Clock } from '@madoguchi/common';
import { loadConfig } from '@madoguchi/config';
import { createTelephonyApp } from '../../apps/telephony/src/telephony-app.factory';
import type { TestEnvironment } from './test-database';

export const TEST_TWILIO_AUTH_TOKEN = 'test-twilio-auth-token-0123456789';
export const TEST_TELEPHONY_PUBLIC_URL = 'https://telephony.madoguchi.test';
export const TEST_ACCOUNT_SID = `AC${'0'.repeat(32)}`;

/** The real telephony app on the test environment's database, with an injected clock. */
export async function startTelephonyApp(
  testEnv: TestEnvironment,
  clock: Clock,
  extraEnv: Record<string, string> = {},
): Promise<NestFastifyApplication> {
  const config = loadConfig({
    ...testEnv.env,
    TWILIO_AUTH_TOKEN: TEST_TWILIO_AUTH_TOKEN,
    TELEPHONY_PUBLIC_URL: TEST_TELEPHONY_PUBLIC_URL,
    ...extraEnv,
  });
  const app = await createTelephonyApp(config, { clock });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

export function newCallSid(): string {
  return `CA${randomBytes(16).toString('hex')}`;
}

export function newRecordingSid(): string {
  return `RE${randomBytes(16).toString('hex')}`;
}

/** The standard parameters Twilio sends with every voice request of an inbound call. */
export function callParams(callSid: string, from = '+819012345678'): Record<string, string> {
  return {
    AccountSid: TEST_ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: 'ringing',
    Direction: 'inbound',
    From: from,
    To: '+81367447492',
    Called: '+81367447492',
    Caller: from,
  };
}

export interface SignOptions {
  token?: string;
  /** The URL the signature covers; defaults to the public URL + path. */
  signedUrl?: string;
  signature?: string | null;
}

/** POSTs a form to the app as Twilio would, signed over the public URL and every parameter. */
export function twilioPost(
  app: NestFastifyApplication,
  pathAndQuery: string,
  params: Record<string, string>,
  options: SignOptions = {},
): request.Test {
  const signedUrl = options.signedUrl ?? `${TEST_TELEPHONY_PUBLIC_URL}${pathAndQuery}`;
  const signature =
    options.signature === undefined
      ? twilio.getExpectedTwilioSignature(
          options.token ?? TEST_TWILIO_AUTH_TOKEN,
          signedUrl,
          params,
        )
      : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  return request(app.getHttpServer())
    .post(pathAndQuery)
    .set(headers)
    .send(new URLSearchParams(params).toString());
}

export async function callRows(testEnv: TestEnvironment, callSid: string): Promise<Call[]> {
  return testEnv.dataSource.getRepository(Call).find({ where: { callSid } });
}

export async function callRow(testEnv: TestEnvironment, callSid: string): Promise<Call> {
  const rows = await callRows(testEnv, callSid);
  if (rows.length !== 1) throw new Error(`expected one row for the call, found ${rows.length}`);
  return rows[0];
}
