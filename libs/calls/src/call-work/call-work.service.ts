import { Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { Brackets, DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
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
import {
  Merchant,
  assertStaffScope,
  scopedQueueQuery,
  type TicketActor,
  type TenantScope,
} from '@madoguchi/tenancy';
import {
  ACTIVE_TICKET_STATUSES,
  isTicketCategory,
  MESSAGE_BODY_MAX_LENGTH,
  type Page,
  type PageRequest,
  PhoneTicketService,
  scopedTicketQuery,
  Ticket,
} from '@madoguchi/tickets';
import { Call } from '../call/call.entity';
import { scopedCallQuery } from '../call-log/scoped-call-query';
import { callMessageText } from './call-message.template';
import type {
  CallbackItem,
  CallDetail,
  CallerTicket,
  WaitingCall,
  WrapUpInput,
  WrapUpResult,
} from './call-work.type';

const CALL_NOT_FOUND = '通話が見つかりません。';
/** Requester names are short; the ticket column is encrypted text. */
export const REQUESTER_NAME_MAX_LENGTH = 200;
/** Open tickets shown per caller. */
const CALLER_TICKETS_LIMIT = 5;

/** Outcomes that put a call on the callback to-do list (out_of_hours only with a recording). */
export const CALLBACK_OUTCOMES = ['abandoned', 'voicemail', 'callback_requested'] as const;

/**
 * The agent's side of calls: the waiting list, one call's page, the wrap-up (a summary that
 * becomes a `call` message on a new phone ticket or an existing ticket) and the callback to-do
 * list. Staff only: merchant scopes are refused (403) after the call is found in scope (404).
 */
@Injectable()
export class CallWorkService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly phoneTickets: PhoneTicketService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Calls waiting in the window's queue, first in first out. Positions count every waiting call
   * (Twilio's queue is one line), so an agent who sees only some of them still sees true positions.
   */
  async waiting(scope: TenantScope, now = this.clock.now()): Promise<WaitingCall[]> {
    assertStaffScope(scope);
    const manager = this.dataSource.manager;
    const line = await this.waitingQuery(manager.getRepository(Call).createQueryBuilder('call'))
      .select(['call.id'])
      .getMany();
    const positions = new Map(line.map((call, index) => [call.id, index + 1]));
    const visible = await this.waitingQuery(scopedCallQuery(manager, scope))
      .leftJoin('call.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .leftJoin('call.site', 'site')
      .addSelect(['site.id', 'site.displayName'])
      .getMany();
    const tickets = await this.openTicketsOf(manager, scope, visible);
    return visible.map((call) => {
      const enqueuedAt = call.enqueuedAt as Date;
      return {
        id: call.id,
        position: positions.get(call.id) ?? 0,
        enqueuedAt,
        waitSeconds: Math.max(0, Math.floor((now.getTime() - enqueuedAt.getTime()) / 1000)),
        merchantName: call.merchant?.name ?? null,
        siteName: call.site?.displayName ?? null,
        callerIdWithheld: call.callerIdWithheld,
        openTickets: (call.fromIndex && tickets.get(call.fromIndex)) || [],
      };
    });
  }

  /**
   * One call for its page. Decrypting the caller's number (for a callback) is an audited view,
   * recorded before answering, like a ticket's personal data.
   */
  async detail(scope: TenantScope, callId: number, actor: TicketActor): Promise<CallDetail> {
    const manager = this.dataSource.manager;
    const call = await this.findCall(manager, scope, callId, true);
    assertStaffScope(scope);
    const [tickets, merchants] = await Promise.all([
      this.openTicketsOf(manager, scope, [call]),
      this.merchantsFor(scope),
    ]);
    const callerNumber = this.cipher.decryptNullable(call.fromNumber);
    if (callerNumber !== null) {
      await runTransaction(this.dataSource, (audited) =>
        this.audit.record(audited, {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.callViewed,
          merchantId: call.merchantId,
          target: { type: 'call', id: String(call.id) },
          ip: actor.ip,
        }),
      );
    }
    return {
      ...callbackItemOf(call, tickets, this.cipher),
      status: call.status,
      withinHours: call.withinHours,
      enqueuedAt: call.enqueuedAt,
      answeredAt: call.answeredAt,
      endedAt: call.endedAt,
      talkSeconds: call.talkSeconds,
      siteId: call.siteId,
      agent: call.agent ? { id: call.agent.id, displayName: call.agent.displayName } : null,
      callbackDoneAt: call.callbackDoneAt,
      callerNumber,
      callerNumberDomestic: callerNumber === null ? null : domesticPhoneNumber(callerNumber),
      callbackNote: this.cipher.decryptNullable(call.callbackNote),
      isCallbackOpen: isCallbackCandidate(call) && call.callbackDoneAt === null,
      merchants,
    };
  }

  /**
   * The wrap-up: the summary becomes a `call` message on a new phone ticket (mode create) or on
   * an existing ticket of the chosen merchant (mode link), and the call is tied to that ticket
   * and merchant — all in one transaction with the audit events, so a refusal changes nothing.
   * A call already tied to a ticket may be relinked to another (audited with the previous
   * reference); creating a second ticket for it is refused (409), so a double submit cannot
   * make two tickets.
   */
  async wrapUp(
    scope: TenantScope,
    callId: number,
    input: WrapUpInput,
    actor: TicketActor,
  ): Promise<WrapUpResult> {
    const valid = validWrapUp(input);
    const now = this.clock.now();
    const { result, ticket } = await runTransaction(this.dataSource, async (manager) => {
      const call = await this.findCall(manager, scope, callId, false, true);
      assertStaffScope(scope);
      const previous =
        call.ticketId === null
          ? null
          : await manager.getRepository(Ticket).findOne({
              select: { id: true, reference: true },
              where: { id: call.ticketId },
            });
      const text = callMessageText(call, valid.summary, {
        recordingSid: this.cipher.decryptNullable(call.recordingSid),
        recordingUrl: this.cipher.decryptNullable(call.recordingUrl),
      });
      let written: Ticket;
      if (valid.mode === 'create') {
        if (call.ticketId !== null) {
          throw new DomainException(
            ErrorCode.InvalidStatusTransition,
            `この通話はすでにお問い合わせ ${previous?.reference ?? ''} に紐づいています。既存のお問い合わせへの紐づけを選んでください。`,
          );
        }
        written = await this.phoneTickets.createFromCall(
          manager,
          scope,
          {
            merchantId: valid.merchantId,
            siteId: call.siteId,
            category: valid.category,
            requesterName: valid.requesterName,
            requesterPhone:
              call.fromNumber === null
                ? null
                : { ciphertext: call.fromNumber, index: call.fromIndex },
            answered: call.answeredAt !== null,
            callMessage: text,
            callId: call.id,
          },
          actor,
          now,
        );
      } else {
        written = await this.phoneTickets.addCallMessage(
          manager,
          scope,
          valid.reference,
          { merchantId: valid.merchantId, callMessage: text, callId: call.id },
          actor,
          now,
        );
      }
      await manager
        .createQueryBuilder()
        .update(Call)
        .set({ ticketId: written.id, merchantId: written.merchantId, updatedAt: now })
        .where('id = :id', { id: call.id })
        .execute();
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.callLinked,
          merchantId: written.merchantId,
          target: { type: 'call', id: String(call.id) },
          ip: actor.ip,
          detail: {
            ticket: written.reference,
            created: valid.mode === 'create',
            ...(previous ? { previousTicket: previous.reference } : {}),
          },
        },
        now,
      );
      return {
        ticket: written,
        result: {
          callId: call.id,
          reference: written.reference,
          created: valid.mode === 'create',
          previousReference: previous?.reference ?? null,
        },
      };
    });
    this.phoneTickets.announce({ ticket, created: result.created });
    return result;
  }

  /** Missed calls and voicemails not yet called back, oldest first. */
  async callbacks(scope: TenantScope, page: PageRequest): Promise<Page<CallbackItem>> {
    assertStaffScope(scope);
    const manager = this.dataSource.manager;
    const [calls, total] = await this.callbackQuery(scopedCallQuery(manager, scope))
      .leftJoin('call.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .leftJoin('call.site', 'site')
      .addSelect(['site.id', 'site.displayName'])
      .leftJoin('call.ticket', 'ticket')
      .addSelect(['ticket.id', 'ticket.reference'])
      .leftJoin('call.callbackClaimedBy', 'claimer')
      .addSelect(['claimer.id', 'claimer.displayName'])
      .orderBy('call.startedAt', 'ASC')
      .addOrderBy('call.id', 'ASC')
      .skip((page.page - 1) * page.pageSize)
      .take(page.pageSize)
      .getManyAndCount();
    const tickets = await this.openTicketsOf(manager, scope, calls);
    return {
      items: calls.map((call) => callbackItemOf(call, tickets, this.cipher)),
      total,
      page: page.page,
      pageSize: page.pageSize,
    };
  }

  /** Marks a to-do entry called back (who and when, audited). Idempotent: done stays done. */
  async markCallbackDone(scope: TenantScope, callId: number, actor: TicketActor): Promise<void> {
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const call = await this.findCall(manager, scope, callId, false, true);
      assertStaffScope(scope);
      if (!isCallbackCandidate(call)) {
        throw new DomainException(
          ErrorCode.InvalidStatusTransition,
          'この通話は折り返しの対象ではありません。',
        );
      }
      if (call.callbackDoneAt !== null) return;
      await manager
        .createQueryBuilder()
        .update(Call)
        .set({ callbackDoneAt: now, callbackDoneByUserId: actor.userId, updatedAt: now })
        .where('id = :id AND callback_done_at IS NULL', { id: call.id })
        .execute();
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.callCallbackDone,
          merchantId: call.merchantId,
          target: { type: 'call', id: String(call.id) },
          ip: actor.ip,
          detail: { outcome: call.outcome },
        },
        now,
      );
    });
  }

  /** One call of the scope; unknown and out-of-scope ids are the same 404. */
  private async findCall(
    manager: EntityManager,
    scope: TenantScope,
    callId: number,
    withRelations: boolean,
    forUpdate = false,
  ): Promise<Call> {
    if (!Number.isSafeInteger(callId) || callId < 1) throw new NotFoundException(CALL_NOT_FOUND);
    const query = scopedCallQuery(manager, scope).andWhere('call.id = :callId', { callId });
    if (withRelations) {
      query
        .leftJoin('call.merchant', 'merchant')
        .addSelect(['merchant.id', 'merchant.name'])
        .leftJoin('call.site', 'site')
        .addSelect(['site.id', 'site.displayName'])
        .leftJoin('call.ticket', 'ticket')
        .addSelect(['ticket.id', 'ticket.reference'])
        .leftJoin('call.agent', 'agent')
        .addSelect(['agent.id', 'agent.displayName'])
        .leftJoin('call.callbackClaimedBy', 'claimer')
        .addSelect(['claimer.id', 'claimer.displayName']);
    }
    // Two agents wrapping up one call: the second waits for the first, then sees its ticket.
    // (SQLite runs our transactions one at a time and has no row locks.)
    if (forUpdate && manager.connection.options.type !== 'better-sqlite3')
      query.setLock('pessimistic_write');
    const call = await query.getOne();
    if (!call) throw new NotFoundException(CALL_NOT_FOUND);
    return call;
  }

  private waitingQuery(query: SelectQueryBuilder<Call>): SelectQueryBuilder<Call> {
    return query
      .andWhere('call.status = :waitingStatus', { waitingStatus: 'enqueued' })
      .andWhere('call.enqueuedAt IS NOT NULL')
      .andWhere('call.answeredAt IS NULL')
      .andWhere('call.endedAt IS NULL')
      .orderBy('call.enqueuedAt', 'ASC')
      .addOrderBy('call.id', 'ASC');
  }

  private callbackQuery(query: SelectQueryBuilder<Call>): SelectQueryBuilder<Call> {
    return query
      .andWhere('call.callbackDoneAt IS NULL')
      .andWhere("NOT (call.callerIdWithheld = :withheld AND call.outcome = 'abandoned')", {
        withheld: true,
      })
      .andWhere(
        new Brackets((inner) =>
          inner
            .where('call.outcome IN (:...callbackOutcomes)', {
              callbackOutcomes: [...CALLBACK_OUTCOMES],
            })
            .orWhere("(call.outcome = 'out_of_hours' AND call.recordingSid IS NOT NULL)"),
        ),
      );
  }

  /** The callers' active tickets in the scope, by the phone blind index (no decryption). */
  private async openTicketsOf(
    manager: EntityManager,
    scope: TenantScope,
    calls: readonly Call[],
  ): Promise<Map<string, CallerTicket[]>> {
    const indexes = [
      ...new Set(calls.map((call) => call.fromIndex).filter((index) => index !== null)),
    ];
    const byIndex = new Map<string, CallerTicket[]>();
    if (indexes.length === 0) return byIndex;
    const tickets = await scopedTicketQuery(manager, scope)
      .select([
        'ticket.id',
        'ticket.reference',
        'ticket.status',
        'ticket.category',
        'ticket.requesterPhoneIndex',
        'ticket.merchantId',
        'ticket.updatedAt',
      ])
      .leftJoin('ticket.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.name'])
      .andWhere('ticket.requesterPhoneIndex IN (:...phoneIndexes)', { phoneIndexes: indexes })
      .andWhere('ticket.status IN (:...activeStatuses)', {
        activeStatuses: [...ACTIVE_TICKET_STATUSES],
      })
      .orderBy('ticket.updatedAt', 'DESC')
      .addOrderBy('ticket.id', 'DESC')
      .take(indexes.length * CALLER_TICKETS_LIMIT)
      .getMany();
    for (const ticket of tickets) {
      const index = ticket.requesterPhoneIndex as string;
      const list = byIndex.get(index) ?? [];
      if (list.length < CALLER_TICKETS_LIMIT) {
        list.push({
          reference: ticket.reference,
          merchantId: ticket.merchantId,
          status: ticket.status,
          category: ticket.category,
          merchantName: ticket.merchant?.name ?? null,
        });
      }
      byIndex.set(index, list);
    }
    return byIndex;
  }

  /** Merchants whose queues the scope works (the wrap-up's and the filters' choices). */
  async merchantsFor(scope: TenantScope): Promise<{ id: number; name: string }[]> {
    const manager = this.dataSource.manager;
    const queues = await scopedQueueQuery(manager, scope).select(['queue.merchantId']).getMany();
    const ids = [...new Set(queues.map((queue) => queue.merchantId))];
    if (ids.length === 0) return [];
    const merchants = await manager
      .getRepository(Merchant)
      .createQueryBuilder('merchant')
      .select(['merchant.id', 'merchant.name'])
      .where('merchant.id IN (:...ids)', { ids })
      .orderBy('merchant.name', 'ASC')
      .getMany();
    return merchants.map((merchant) => ({ id: merchant.id, name: merchant.name }));
  }
}

export function isCallbackCandidate(
  call: Pick<Call, 'outcome' | 'recordingSid' | 'callerIdWithheld'>,
): boolean {
  // A withheld caller who only hung up left nothing to call back (a voicemail may name a number).
  if (call.callerIdWithheld && call.outcome === 'abandoned') return false;
  return (
    (CALLBACK_OUTCOMES as readonly (string | null)[]).includes(call.outcome) ||
    (call.outcome === 'out_of_hours' && call.recordingSid !== null)
  );
}

/** The recording's SID and URL are sealed at rest (ENCRYPTED_COLUMNS); opened only here. */
function callbackItemOf(
  call: Call,
  tickets: Map<string, CallerTicket[]>,
  cipher: FieldCipher,
): CallbackItem {
  return {
    id: call.id,
    outcome: call.outcome,
    startedAt: call.startedAt,
    waitSeconds: call.waitSeconds,
    merchantId: call.merchantId,
    merchantName: call.merchant?.name ?? null,
    siteName: call.site?.displayName ?? null,
    callerIdWithheld: call.callerIdWithheld,
    ticketReference: call.ticket?.reference ?? null,
    recordingSid: cipher.decryptNullable(call.recordingSid),
    recordingUrl: cipher.decryptNullable(call.recordingUrl),
    recordingSeconds: call.recordingSeconds,
    recordingStored: call.recordingStoredAt !== null,
    openTickets: (call.fromIndex && tickets.get(call.fromIndex)) || [],
    callbackRequested: call.callbackRequestedAt !== null,
    callbackClaimedBy: call.callbackClaimedBy
      ? { id: call.callbackClaimedBy.id, displayName: call.callbackClaimedBy.displayName }
      : null,
    callbackAttempts: call.callbackAttempts,
    callbackOutcome: call.callbackOutcome,
    callbackAttemptedAt: call.callbackAttemptedAt,
  };
}

/** +81312345678 → 03-1234-5678 (a foreign number keeps its international form). */
export function domesticPhoneNumber(e164: string): string {
  try {
    const parsed = parsePhoneNumberFromString(e164);
    if (!parsed) return e164;
    return parsed.country === 'JP' ? parsed.formatNational() : parsed.formatInternational();
  } catch {
    return e164;
  }
}

interface ValidWrapUp {
  mode: 'create' | 'link';
  summary: string;
  merchantId: number;
  category: WrapUpInput['category'];
  reference: string;
  requesterName: string | null;
}

/** Field checks before anything is read or written: 400 lists every problem at once. */
function validWrapUp(input: WrapUpInput): ValidWrapUp {
  const errors: FieldError[] = [];
  const summary = typeof input.summary === 'string' ? input.summary.trim() : '';
  if (summary === '') errors.push({ field: 'summary', message: '通話の要約を入力してください。' });
  else if (summary.length > MESSAGE_BODY_MAX_LENGTH)
    errors.push({
      field: 'summary',
      message: `要約は${MESSAGE_BODY_MAX_LENGTH.toLocaleString('ja-JP')}文字以内で入力してください。`,
    });
  if (input.mode !== 'create' && input.mode !== 'link')
    errors.push({ field: 'mode', message: '新規作成か既存への紐づけかを選んでください。' });
  if (!Number.isSafeInteger(input.merchantId) || input.merchantId < 1)
    errors.push({ field: 'merchantId', message: '加盟店を選んでください。' });
  if (!isTicketCategory(input.category))
    errors.push({ field: 'category', message: '種類を選んでください。' });
  const reference = typeof input.reference === 'string' ? input.reference.trim() : '';
  if (input.mode === 'link' && reference === '')
    errors.push({
      field: 'reference',
      message: '紐づけるお問い合わせの受付番号を入力してください。',
    });
  const name = typeof input.requesterName === 'string' ? input.requesterName.trim() : '';
  if (name.length > REQUESTER_NAME_MAX_LENGTH)
    errors.push({
      field: 'requesterName',
      message: `お名前は${REQUESTER_NAME_MAX_LENGTH}文字以内で入力してください。`,
    });
  if (errors.length > 0) throw new ValidationFailedException(errors);
  return {
    mode: input.mode,
    summary,
    merchantId: input.merchantId,
    category: input.category,
    reference,
    requesterName: name === '' ? null : name,
  };
}
