import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { STAFF_ROLES, User } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import { callsTotal, Clock, isUniqueViolation, runTransaction } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { BlindIndex, FieldCipher } from '@madoguchi/crypto';
import { Site } from '@madoguchi/tenancy';
import { Call } from '../call/call.entity';
import { parseCallerId } from './caller-id.util';
import {
  ENQUEUED_STATUS,
  isTerminalStatus,
  nextStatus,
  outcomeOfCall,
  outcomeOfQueueResult,
  statusAfterQueue,
  talkSecondsOf,
} from './call-state.util';
import type {
  AgentBridgedParams,
  CallParams,
  QueueResultParams,
  RecordingParams,
  StatusCallbackParams,
} from './call-webhook.params';

export interface IncomingCallResult {
  /** Decided once, at the first incoming request, on the Tokyo business calendar. */
  withinHours: boolean;
}

/** What the phone-code step does next: enqueue (tagged or not), ask once more, or voicemail. */
export type PhoneCodeResult =
  { kind: 'enqueue'; tagged: boolean } | { kind: 'retry' } | { kind: 'out_of_hours' };

/** The attempts at the phone code: a wrong code is asked once more, then the call goes on. */
export const PHONE_CODE_ATTEMPTS = 2;

type CallPatch = Partial<
  Pick<
    Call,
    | 'fromNumber'
    | 'fromIndex'
    | 'callerIdWithheld'
    | 'status'
    | 'lastSequence'
    | 'startedAt'
    | 'enqueuedAt'
    | 'answeredAt'
    | 'endedAt'
    | 'waitSeconds'
    | 'talkSeconds'
    | 'outcome'
    | 'withinHours'
    | 'agentId'
    | 'merchantId'
    | 'siteId'
    | 'queueResult'
    | 'recordingSid'
    | 'recordingUrl'
    | 'recordingSeconds'
  >
>;

// MariaDB/MySQL: deadlock, lock wait timeout, duplicate key (a concurrent first insert).
const RETRYABLE_ERRNOS = new Set([1213, 1205, 1062]);
/** The roles that take calls from the window's queue. */
const AGENT_ROLES = [...STAFF_ROLES];
const MAX_ATTEMPTS = 4;

/**
 * Writes the call log from Twilio's voice webhooks. Every CallSid has exactly one row: each
 * request inserts it if missing (a plain insert: a duplicate call_sid means it exists), locks it and
 * applies only what moves it forward. Callbacks may come twice, late or out of order: a
 * SequenceNumber at or below the last applied is ignored, a terminal status is never replaced by
 * an earlier one, and the outcome is derived from the whole row after every change
 * ({@link outcomeOfCall}), so it does not depend on the order the callbacks came in. No outbound
 * network call, and no caller number in any log line.
 */
@Injectable()
export class CallRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly blindIndex: BlindIndex,
    private readonly calendar: BusinessCalendar,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** `/twilio/voice/incoming`: the call starts; in or out of hours is decided here, once. */
  async incoming(params: CallParams, at: Date): Promise<IncomingCallResult> {
    return this.upsert(params, 'ringing', (call) => {
      const withinHours = call.withinHours ?? this.calendar.isOpenAt(at);
      const patch: CallPatch = {
        withinHours,
        startedAt: call.startedAt ?? at,
        status: nextStatus(call.status, 'ringing'),
      };
      return { patch, result: { withinHours } };
    });
  }

  /**
   * `/twilio/voice/phone-code`: a known site code tags the call with the site and its merchant,
   * then it is enqueued; a wrong code is asked again once; no code, or a second wrong one, goes on
   * untagged. A call that came in out of hours is never enqueued.
   */
  async phoneCode(
    params: CallParams,
    digits: string | null,
    attempt: number,
    at: Date,
  ): Promise<PhoneCodeResult> {
    const site =
      digits === null
        ? null
        : await this.dataSource.getRepository(Site).findOne({
            select: { id: true, merchantId: true },
            where: { phoneCode: digits },
          });
    return this.upsert(params, 'in-progress', (call) => {
      const withinHours = call.withinHours ?? this.calendar.isOpenAt(at);
      if (!withinHours) {
        return { patch: { withinHours }, result: { kind: 'out_of_hours' } as PhoneCodeResult };
      }
      if (site === null && digits !== null && attempt < PHONE_CODE_ATTEMPTS) {
        return { patch: { withinHours }, result: { kind: 'retry' } as PhoneCodeResult };
      }
      const patch: CallPatch = {
        withinHours,
        startedAt: call.startedAt ?? at,
        enqueuedAt: call.enqueuedAt ?? at,
        status: nextStatus(call.status, ENQUEUED_STATUS),
      };
      if (site !== null && call.siteId === null) {
        patch.siteId = site.id;
        patch.merchantId = site.merchantId;
      }
      return { patch, result: { kind: 'enqueue', tagged: site !== null } as PhoneCodeResult };
    });
  }

  /** `/twilio/voice/queue-result`, the <Enqueue> action: why and after how long it left the queue. */
  async queueResult(params: QueueResultParams, at: Date): Promise<void> {
    await this.upsert(params, 'in-progress', (call) => {
      const patch: CallPatch = {
        queueResult: params.queueResult,
        status: statusAfterQueue(call.status),
      };
      if (params.queueTime !== null) patch.waitSeconds = params.queueTime;
      if (outcomeOfQueueResult(params.queueResult) === 'answered' && call.answeredAt === null) {
        // The action arrives when the bridged call ends; the answer came QueueTime after enqueueing.
        patch.answeredAt = answerTimeOf(call, params.queueTime, at);
      }
      return { patch, result: undefined };
    });
  }

  /** `/twilio/voice/status`: Twilio's status callbacks, possibly repeated, late or reordered. */
  async status(params: StatusCallbackParams, at: Date): Promise<void> {
    // A row this callback creates starts live, so the terminal status below is applied in full.
    await this.upsert(params, 'ringing', (call) => {
      if (
        params.sequenceNumber !== null &&
        call.lastSequence !== null &&
        params.sequenceNumber <= call.lastSequence
      ) {
        return { patch: {}, result: undefined };
      }
      const patch: CallPatch = {};
      if (params.sequenceNumber !== null) patch.lastSequence = params.sequenceNumber;
      const wasTerminal = isTerminalStatus(call.status);
      patch.status = nextStatus(call.status, params.callStatus);
      if (!wasTerminal && isTerminalStatus(params.callStatus)) {
        const endedAt = call.endedAt ?? params.timestamp ?? at;
        patch.endedAt = endedAt;
        if (call.startedAt === null && params.callDuration !== null) {
          patch.startedAt = new Date(endedAt.getTime() - params.callDuration * 1000);
        }
      }
      return { patch, result: undefined };
    });
  }

  /** `/twilio/voice/voicemail` (Record action) and `/twilio/voice/recording` (its status callback). */
  async recording(params: RecordingParams, _at: Date): Promise<void> {
    if (params.recordingStatus !== null && params.recordingStatus !== 'completed') return;
    await this.upsert(params, 'in-progress', (call) => {
      const patch: CallPatch = {};
      // Sealed at rest (ENCRYPTED_COLUMNS): compare the opened SID, store fresh ciphertexts.
      if (
        call.recordingSid === null ||
        this.cipher.decrypt(call.recordingSid) === params.recordingSid
      ) {
        patch.recordingSid = this.cipher.encrypt(params.recordingSid);
        patch.recordingUrl = this.cipher.encrypt(params.recordingUrl);
        patch.recordingSeconds = params.recordingSeconds ?? call.recordingSeconds;
      }
      return { patch, result: undefined };
    });
  }

  /**
   * `/twilio/voice/agent-bridged`, the <Dial><Queue url>: an agent took this caller from the
   * queue. Records the agent (if {@link isActiveAgent}) and the answer time: enqueued_at +
   * QueueTime when both are known (the request itself may come late), never after the call ended.
   */
  async agentBridged(params: AgentBridgedParams, at: Date): Promise<void> {
    const agentAllowed = await this.isActiveAgent(params.agentId);
    await this.upsert(params, 'in-progress', (call) => {
      const patch: CallPatch = {
        answeredAt: call.answeredAt ?? answerTimeOf(call, params.queueTime, at),
        status: statusAfterQueue(call.status),
      };
      if (agentAllowed && call.agentId === null) patch.agentId = params.agentId;
      if (params.queueTime !== null && call.waitSeconds === null) {
        patch.waitSeconds = params.queueTime;
      }
      return { patch, result: undefined };
    });
  }

  /**
   * Whether a user may take calls from the window: exists, is not disabled, and has a staff role
   * (admin, supervisor, agent). One read by primary key.
   */
  async isActiveAgent(userId: number): Promise<boolean> {
    return this.dataSource.getRepository(User).exists({
      where: { id: userId, disabledAt: IsNull(), role: In(AGENT_ROLES) },
    });
  }

  /** Fills the caller's number (or the withheld flag) while the row does not have it yet. */
  private callerPatch(call: Call, from: string | null): CallPatch {
    if (from === null || call.fromNumber !== null || call.callerIdWithheld) return {};
    const callerId = parseCallerId(from);
    if (callerId.withheld) return { callerIdWithheld: true };
    return {
      fromNumber: this.cipher.encrypt(callerId.e164),
      fromIndex: this.blindIndex.phone(callerId.e164),
      callerIdWithheld: false,
    };
  }

  /**
   * Inserts the row if missing, locks it, and applies `decide`'s patch. On MySQL the insert runs
   * on its own (autocommit) before the transaction, so concurrent first requests never hold a
   * shared lock on the new row while waiting for its exclusive lock (a deadlock); on SQLite the
   * whole thing runs inside the serialised transaction.
   */
  private async upsert<T>(
    params: CallParams,
    initialStatus: string,
    decide: (call: Call) => { patch: CallPatch; result: T },
  ): Promise<T> {
    const sqlite = this.dataSource.options.type === 'better-sqlite3';
    for (let attempt = 1; ; attempt++) {
      try {
        if (!sqlite) await this.insertIfMissing(this.dataSource.manager, params, initialStatus);
        // The call's outcome, when this change is the one that first decided it (metrics).
        let decidedOutcome: string | null = null;
        const written = await runTransaction(this.dataSource, async (manager) => {
          if (sqlite) await this.insertIfMissing(manager, params, initialStatus);
          const query = manager
            .getRepository(Call)
            .createQueryBuilder('call')
            .where('call.callSid = :callSid', { callSid: params.callSid });
          if (!sqlite) query.setLock('pessimistic_write');
          const call = await query.getOneOrFail();
          const decided = decide(call);
          const result = decided.result;
          // The caller is filled here, never in the insert: a failed (duplicate) insert is logged
          // with its parameters, and those must not carry the caller's number, even encrypted.
          const patch: CallPatch = { ...this.callerPatch(call, params.from), ...decided.patch };
          const next = { ...call, ...patch } as Call;
          if (call.talkSeconds === null && next.answeredAt && next.endedAt) {
            patch.talkSeconds = talkSecondsOf(next.answeredAt, next.endedAt);
          }
          // Derived from the whole row, never from the callback alone: order does not matter.
          patch.outcome = outcomeOfCall(next) ?? call.outcome;
          decidedOutcome = call.outcome === null ? (patch.outcome ?? null) : null;
          const changes = changedFields(call, patch);
          if (Object.keys(changes).length > 0) {
            await manager.update(
              Call,
              { id: call.id },
              { ...changes, updatedAt: this.clock.now() },
            );
          }
          return result;
        });
        if (decidedOutcome !== null) callsTotal.inc({ outcome: decidedOutcome });
        return written;
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && isRetryable(error)) continue;
        throw error;
      }
    }
  }

  private async insertIfMissing(
    manager: EntityManager,
    params: CallParams,
    status: string,
  ): Promise<void> {
    const exists = await manager.getRepository(Call).exists({ where: { callSid: params.callSid } });
    if (exists) return;
    const now = this.clock.now();
    // A plain insert (no INSERT IGNORE, which on MySQL would also turn bad data into warnings): a
    // duplicate key only means a concurrent request created the row first.
    try {
      await manager.insert(Call, {
        callSid: params.callSid,
        fromNumber: null,
        fromIndex: null,
        // Filled by the caller patch under the lock; without a From the caller stays unknown.
        callerIdWithheld: false,
        toNumber: params.to ?? this.config.twilio.windowNumber,
        status,
        startedAt: null,
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}

function changedFields(call: Call, patch: CallPatch): CallPatch {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const current = (call as unknown as Record<string, unknown>)[key];
    const same =
      value instanceof Date && current instanceof Date
        ? value.getTime() === current.getTime()
        : value === current;
    if (!same) changes[key] = value;
  }
  return changes as CallPatch;
}

/**
 * When the answer came: enqueued_at + QueueTime if both are known (as Twilio reports them),
 * else the request's time; never after the call ended.
 */
function answerTimeOf(
  call: Pick<Call, 'enqueuedAt' | 'endedAt'>,
  queueTime: number | null,
  at: Date,
): Date {
  const answeredAt =
    call.enqueuedAt && queueTime !== null
      ? new Date(call.enqueuedAt.getTime() + queueTime * 1000)
      : at;
  return call.endedAt && call.endedAt < answeredAt ? call.endedAt : answeredAt;
}

function isRetryable(error: unknown): boolean {
  const errno =
    (error as { errno?: number; driverError?: { errno?: number } })?.driverError?.errno ??
    (error as { errno?: number })?.errno;
  return typeof errno === 'number' && RETRYABLE_ERRNOS.has(errno);
}
