import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { STAFF_ROLES, User } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import { callsTotal, Clock, isUniqueViolation, runTransaction } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { BlindIndex, FieldCipher } from '@madoguchi/crypto';
import { Site } from '@madoguchi/tenancy';
import { ACTIVE_TICKET_STATUSES, Ticket } from '@madoguchi/tickets';
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
  | { kind: 'enqueue'; tagged: boolean }
  | { kind: 'offer'; tagged: boolean; callbackAllowed: boolean }
  | { kind: 'retry' }
  | { kind: 'out_of_hours' };

/** What the overflow offer's key press does: voicemail, the callback request, or ask again. */
export type OverflowChoiceResult =
  | { kind: 'voicemail' }
  | { kind: 'callback' }
  | { kind: 'retry'; callbackAllowed: boolean }
  | { kind: 'give_up' };

/** The overflow offer's keys (TwiML <Gather numDigits="1">). */
export const OVERFLOW_KEYS = { voicemail: '1', callback: '2' } as const;

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
    | 'overflowOfferedAt'
    | 'callbackRequestedAt'
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
    const agentFree = await this.hasAvailableAgent();
    return this.upsert(params, 'in-progress', (call) => {
      const withinHours = call.withinHours ?? this.calendar.isOpenAt(at);
      if (!withinHours) {
        return { patch: { withinHours }, result: { kind: 'out_of_hours' } as PhoneCodeResult };
      }
      if (site === null && digits !== null && attempt < PHONE_CODE_ATTEMPTS) {
        return { patch: { withinHours }, result: { kind: 'retry' } as PhoneCodeResult };
      }
      const tag: CallPatch =
        site !== null && call.siteId === null
          ? { siteId: site.id, merchantId: site.merchantId }
          : {};
      // Nobody is free (and the caller is not already waiting): offer at once, never enqueue.
      if (!agentFree && call.enqueuedAt === null) {
        const patch: CallPatch = {
          withinHours,
          startedAt: call.startedAt ?? at,
          overflowOfferedAt: call.overflowOfferedAt ?? at,
          ...tag,
        };
        return {
          patch,
          result: {
            kind: 'offer',
            tagged: site !== null,
            callbackAllowed: callbackAllowed(call, params.from),
          } as PhoneCodeResult,
        };
      }
      const patch: CallPatch = {
        withinHours,
        startedAt: call.startedAt ?? at,
        enqueuedAt: call.enqueuedAt ?? at,
        status: nextStatus(call.status, ENQUEUED_STATUS),
        ...tag,
      };
      return { patch, result: { kind: 'enqueue', tagged: site !== null } as PhoneCodeResult };
    });
  }

  /** `/twilio/voice/queue-result`, the <Enqueue> action: why and after how long it left the queue. */
  async queueResult(
    params: QueueResultParams,
    at: Date,
  ): Promise<{ offer: boolean; callbackAllowed: boolean }> {
    return this.upsert(params, 'in-progress', (call) => {
      const patch: CallPatch = {
        queueResult: params.queueResult,
        status: statusAfterQueue(call.status),
      };
      // `leave`: our wait URL took the caller out of the queue (overflow): offer the choice.
      const offer = params.queueResult === 'leave' && call.callbackRequestedAt === null;
      if (offer) patch.overflowOfferedAt = call.overflowOfferedAt ?? at;
      if (params.queueTime !== null) patch.waitSeconds = params.queueTime;
      if (outcomeOfQueueResult(params.queueResult) === 'answered' && call.answeredAt === null) {
        // The action arrives when the bridged call ends; the answer came QueueTime after enqueueing.
        patch.answeredAt = answerTimeOf(call, params.queueTime, at);
      }
      return { patch, result: { offer, callbackAllowed: callbackAllowed(call, params.from) } };
    });
  }

  /**
   * The waitUrl, asked again after every hold message: whether the caller leaves the queue for
   * the overflow offer — after TELEPHONY_OVERFLOW_MINUTES in the queue (Twilio's `QueueTime`),
   * or at once when no agent is available. Reads no call row.
   */
  async shouldOverflow(queueTimeSeconds: number | null): Promise<boolean> {
    if (
      queueTimeSeconds !== null &&
      queueTimeSeconds >= this.config.telephony.overflowMinutes * 60
    ) {
      return true;
    }
    return !(await this.hasAvailableAgent());
  }

  /**
   * `/twilio/voice/overflow-choice`: the key pressed on the overflow offer. 1 records a voicemail
   * (the TwiML does), 2 puts the call on the callback list (outcome callback_requested) unless
   * the caller withheld their number; anything else is asked once more, then the call ends.
   */
  async overflowChoice(
    params: CallParams,
    digits: string | null,
    attempt: number,
    at: Date,
  ): Promise<OverflowChoiceResult> {
    return this.upsert(params, 'in-progress', (call) => {
      const allowed = callbackAllowed(call, params.from);
      if (digits === OVERFLOW_KEYS.voicemail) {
        return { patch: {}, result: { kind: 'voicemail' } as OverflowChoiceResult };
      }
      if (digits === OVERFLOW_KEYS.callback && allowed) {
        return {
          patch: { callbackRequestedAt: call.callbackRequestedAt ?? at },
          result: { kind: 'callback' } as OverflowChoiceResult,
        };
      }
      return {
        patch: {},
        result: (attempt < 2
          ? { kind: 'retry', callbackAllowed: allowed }
          : { kind: 'give_up' }) as OverflowChoiceResult,
      };
    });
  }

  /**
   * Click-to-call: the number of a callback the agent has taken and not finished, decrypted for
   * the <Dial>; null for anything else (not theirs, done, withheld). Never logged.
   */
  async callbackNumber(callId: number, agentId: number): Promise<string | null> {
    const call = await this.dataSource.getRepository(Call).findOne({
      select: { id: true, fromNumber: true, callbackClaimedByUserId: true, callbackDoneAt: true },
      where: { id: callId, callbackClaimedByUserId: agentId, callbackDoneAt: IsNull() },
    });
    return call?.fromNumber ? this.cipher.decrypt(call.fromNumber) : null;
  }

  /** Whether any enabled staff user has said they are available for the window's calls. */
  async hasAvailableAgent(): Promise<boolean> {
    return this.dataSource.getRepository(User).exists({
      where: { disabledAt: IsNull(), role: In(AGENT_ROLES), callAvailability: 'available' },
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
    const merchantOfCaller = await this.soleMerchantOfCaller(params);
    await this.upsert(params, 'in-progress', (call) => {
      const patch: CallPatch = {};
      // A voicemail of an untagged caller whose number has active tickets of exactly one
      // merchant is tagged with it (the wrap-up preselects it and offers those tickets).
      if (call.merchantId === null && merchantOfCaller !== null) {
        patch.merchantId = merchantOfCaller;
      }
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

  /**
   * The one merchant whose active tickets carry this phone blind index, or null when there are
   * none or tickets of two merchants or more (then the agent decides).
   */
  private async soleMerchantOfCaller(params: CallParams): Promise<number | null> {
    const caller = parseCallerId(params.from);
    let phoneIndex = caller.withheld ? null : this.blindIndex.phone(caller.e164);
    if (phoneIndex === null) {
      const row = await this.dataSource.getRepository(Call).findOne({
        select: { id: true, fromIndex: true },
        where: { callSid: params.callSid },
      });
      phoneIndex = row?.fromIndex ?? null;
    }
    return phoneIndex === null ? null : this.soleMerchantOf(phoneIndex);
  }

  private async soleMerchantOf(phoneIndex: string): Promise<number | null> {
    const rows = await this.dataSource
      .getRepository(Ticket)
      .createQueryBuilder('ticket')
      .select('DISTINCT ticket.merchantId', 'merchantId')
      .where('ticket.requesterPhoneIndex = :phoneIndex', { phoneIndex })
      .andWhere('ticket.status IN (:...activeStatuses)', {
        activeStatuses: [...ACTIVE_TICKET_STATUSES],
      })
      .limit(2)
      .getRawMany<{ merchantId: number }>();
    return rows.length === 1 ? Number(rows[0].merchantId) : null;
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

/** A callback needs a number: never for a withheld (anonymous) caller. */
function callbackAllowed(call: Call, from: string | null): boolean {
  if (call.fromIndex !== null) return true;
  if (call.callerIdWithheld) return false;
  return !parseCallerId(from).withheld;
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
