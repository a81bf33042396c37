import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  Clock,
  DomainException,
  ErrorCode,
  type FieldError,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { assertStaffScope, type TenantScope, type TicketActor } from '@madoguchi/tenancy';
import { PhoneTicketService, Ticket } from '@madoguchi/tickets';
import { Call } from '../call/call.entity';
import { scopedCallQuery } from '../call-log/scoped-call-query';
import { callbackAttemptText } from './call-message.template';
import { isCallbackCandidate } from './call-work.service';

const CALL_NOT_FOUND = '通話が見つかりません。';

/** How a callback attempt went. `reached` closes the callback (done). */
export const CALLBACK_OUTCOMES_OF_ATTEMPT = ['reached', 'no_answer', 'message_left'] as const;
export type CallbackAttemptOutcome = (typeof CALLBACK_OUTCOMES_OF_ATTEMPT)[number];
/** A note is short: a few lines about the attempt. */
export const CALLBACK_NOTE_MAX_LENGTH = 2000;

export interface CallbackAttemptInput {
  outcome: CallbackAttemptOutcome;
  note?: string;
}

export interface CallbackAttemptResult {
  callId: number;
  attempts: number;
  outcome: CallbackAttemptOutcome;
  done: boolean;
  /** The ticket the attempt was also written to (a `call` message), if the call is linked. */
  ticketReference: string | null;
}

/**
 * Callbacks taken by one agent at a time. Claiming is one conditional UPDATE (free, or already
 * mine), so two agents claiming at once cannot both win: the second gets 409 naming the first.
 * An attempt records its outcome and a sealed note, counts up `callback_attempts`, closes the
 * callback when the caller was reached, and is written to the call's ticket as a `call` message
 * when the call is linked. Withheld callers are never callbacks (no number to call).
 */
@Injectable()
export class CallbackService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly phoneTickets: PhoneTicketService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Takes a callback for the actor; 409 naming the agent who holds it already. */
  async claim(scope: TenantScope, callId: number, actor: TicketActor): Promise<void> {
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const call = await this.findCallback(manager, scope, callId);
      if (call.callbackClaimedByUserId === actor.userId) return;
      const result = await manager
        .createQueryBuilder()
        .update(Call)
        .set({ callbackClaimedByUserId: actor.userId, callbackClaimedAt: now, updatedAt: now })
        .where('id = :id AND callback_claimed_by_user_id IS NULL AND callback_done_at IS NULL', {
          id: call.id,
        })
        .execute();
      if (result.affected !== 1) await this.refuseClaimed(manager, call.id);
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.callCallbackClaimed,
          merchantId: call.merchantId,
          target: { type: 'call', id: String(call.id) },
          ip: actor.ip,
        },
        now,
      );
    });
  }

  /**
   * One attempt at calling back: the callback must be free (it is then claimed) or the actor's.
   * Counted atomically; `reached` marks the callback done.
   */
  async attempt(
    scope: TenantScope,
    callId: number,
    input: CallbackAttemptInput,
    actor: TicketActor,
  ): Promise<CallbackAttemptResult> {
    const valid = validAttempt(input);
    const now = this.clock.now();
    const { result, ticket } = await runTransaction(this.dataSource, async (manager) => {
      const call = await this.findCallback(manager, scope, callId);
      const done = valid.outcome === 'reached';
      const update = await manager
        .createQueryBuilder()
        .update(Call)
        .set({
          callbackClaimedByUserId: actor.userId,
          callbackClaimedAt: call.callbackClaimedAt ?? now,
          callbackAttempts: () => 'callback_attempts + 1',
          callbackOutcome: valid.outcome,
          callbackNote: valid.note === null ? null : this.cipher.encrypt(valid.note),
          callbackAttemptedAt: now,
          ...(done ? { callbackDoneAt: now, callbackDoneByUserId: actor.userId } : {}),
          updatedAt: now,
        })
        .where(
          'id = :id AND callback_done_at IS NULL AND (callback_claimed_by_user_id IS NULL OR callback_claimed_by_user_id = :me)',
          { id: call.id, me: actor.userId },
        )
        .execute();
      if (update.affected !== 1) await this.refuseClaimed(manager, call.id);
      const attempts = call.callbackAttempts + 1;
      let written: Ticket | null = null;
      if (call.ticketId !== null) {
        const linked = await manager.getRepository(Ticket).findOne({
          select: { id: true, reference: true, merchantId: true },
          where: { id: call.ticketId },
        });
        if (linked) {
          written = await this.noteOnTicket(() => this.phoneTickets.addCallMessage(
            manager,
            scope,
            linked.reference,
            {
              merchantId: linked.merchantId,
              callId: call.id,
              callMessage: callbackAttemptText(call, {
                number: attempts,
                outcome: valid.outcome,
                note: valid.note,
                at: now,
              }),
            },
            actor,
            now,
          ));
        }
      }
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.callCallbackAttempted,
          merchantId: call.merchantId,
          target: { type: 'call', id: String(call.id) },
          ip: actor.ip,
          detail: { outcome: valid.outcome, attempts, ...(written ? { ticket: written.reference } : {}) },
        },
        now,
      );
      return {
        ticket: written,
        result: {
          callId: call.id,
          attempts,
          outcome: valid.outcome,
          done,
          ticketReference: written?.reference ?? null,
        },
      };
    });
    if (ticket) this.phoneTickets.announce({ ticket, created: false });
    return result;
  }

  /** A finished ticket takes no call message: the attempt is still recorded on the call. */
  private async noteOnTicket(write: () => Promise<Ticket>): Promise<Ticket | null> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DomainException && error.code === ErrorCode.InvalidStatusTransition) {
        return null;
      }
      throw error;
    }
  }

  /** A callback in the scope that is still open and has a number; else 404 / 409. */
  private async findCallback(
    manager: EntityManager,
    scope: TenantScope,
    callId: number,
  ): Promise<Call> {
    if (!Number.isSafeInteger(callId) || callId < 1) throw new NotFoundException(CALL_NOT_FOUND);
    const query = scopedCallQuery(manager, scope).andWhere('call.id = :callId', { callId });
    if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
    const call = await query.getOne();
    if (!call) throw new NotFoundException(CALL_NOT_FOUND);
    assertStaffScope(scope);
    if (!isCallbackCandidate(call)) {
      throw new DomainException(
        ErrorCode.InvalidStatusTransition,
        'この通話は折り返しの対象ではありません。',
      );
    }
    if (call.callerIdWithheld || call.fromNumber === null) {
      throw new DomainException(
        ErrorCode.InvalidStatusTransition,
        '番号非通知の通話には折り返しできません。',
      );
    }
    if (call.callbackDoneAt !== null) {
      throw new DomainException(ErrorCode.InvalidStatusTransition, 'この折り返しは完了しています。');
    }
    return call;
  }

  /** 409 naming who holds the callback now (or saying it was completed meanwhile). */
  private async refuseClaimed(manager: EntityManager, callId: number): Promise<never> {
    const call = await manager.getRepository(Call).findOne({
      select: { id: true, callbackClaimedByUserId: true, callbackDoneAt: true },
      where: { id: callId },
    });
    if (call?.callbackDoneAt) {
      throw new DomainException(ErrorCode.InvalidStatusTransition, 'この折り返しは完了しています。');
    }
    const holder =
      call?.callbackClaimedByUserId == null
        ? null
        : await manager.getRepository(User).findOne({
            select: { id: true, displayName: true },
            where: { id: call.callbackClaimedByUserId },
          });
    throw new DomainException(
      ErrorCode.CallbackAlreadyClaimed,
      `この折り返しは ${holder?.displayName ?? '別の担当者'} さんが担当しています。`,
    );
  }
}

function validAttempt(input: CallbackAttemptInput): {
  outcome: CallbackAttemptOutcome;
  note: string | null;
} {
  const errors: FieldError[] = [];
  if (!(CALLBACK_OUTCOMES_OF_ATTEMPT as readonly string[]).includes(input.outcome))
    errors.push({ field: 'outcome', message: '折り返しの結果を選んでください。' });
  const note = typeof input.note === 'string' ? input.note.replace(/\r\n?/g, '\n').trim() : '';
  if (note.length > CALLBACK_NOTE_MAX_LENGTH)
    errors.push({
      field: 'note',
      message: `メモは${CALLBACK_NOTE_MAX_LENGTH.toLocaleString('ja-JP')}文字以内で入力してください。`,
    });
  if (errors.length > 0) throw new ValidationFailedException(errors);
  return { outcome: input.outcome, note: note === '' ? null : note };
}
