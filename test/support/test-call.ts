import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Call } from '@madoguchi/calls';

/**
 * A call-log row as the webhooks would leave it after a completed call, for tests that work on
 * calls without playing Twilio's callbacks: a fresh CallSid, no caller number, nothing linked.
 * Pass what the test is about in `fields`.
 */
export async function insertTestCall(
  dataSource: DataSource,
  fields: Partial<Call> = {},
): Promise<Call> {
  const now = new Date();
  return dataSource.getRepository(Call).save({
    callSid: `CA${randomBytes(16).toString('hex')}`,
    fromNumber: null,
    fromIndex: null,
    callerIdWithheld: true,
    toNumber: '+81367447492',
    status: 'completed',
    lastSequence: null,
    startedAt: now,
    enqueuedAt: null,
    answeredAt: null,
    endedAt: null,
    waitSeconds: null,
    talkSeconds: null,
    outcome: null,
    withinHours: true,
    agentId: null,
    merchantId: null,
    siteId: null,
    queueResult: null,
    callbackDoneAt: null,
    callbackDoneByUserId: null,
    ticketId: null,
    recordingSid: null,
    recordingUrl: null,
    recordingSeconds: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
  });
}
