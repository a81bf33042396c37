import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, Not } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  DeskEventBus,
  DomainException,
  ErrorCode,
  isLockConflict,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { Site, assertStaffScope, type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { Attachment } from '../attachment/attachment.entity';
import { TicketChangedEvent } from '../events/ticket-changed.event';
import { Message } from '../message/message.entity';
import type { TicketCategory, TicketChannel, TicketStatus } from '../ticket/ticket.constant';
import { Ticket } from '../ticket/ticket.entity';
import { ticketAuditSubject } from '../ticket/ticket-audit-subject.util';
import type { TicketChangeResult } from '../ticket/ticket-view.type';
import {
  assertExpectedVersion,
  changeResultOf,
  findScopedTicket,
  staleVersion,
  writeTicketChange,
} from '../ticket/ticket-write.util';
import { sharedRequesterIndexes } from './requester-history';
import { TicketMergeParticipants } from './ticket-merge-participants';

const TICKET_NOT_FOUND = 'お問い合わせが見つかりません。';

/** Why a merge is refused (409), in the words the console and the API show. */
export const MERGE_REFUSALS = {
  mergedFinished: 'このお問い合わせは完了（または統合済み）のため、統合できません。',
  survivorFinished: '統合先のお問い合わせは完了（または統合済み）のため、統合できません。',
  unrelated:
    '2件のお問い合わせには共通のメールアドレス・電話番号がありません。別のお客様の可能性があるため、統合にはスーパーバイザーの確認が必要です。',
  same: '同じお問い合わせには統合できません。',
} as const;

export interface MergeInput {
  /** The surviving ticket's reference. */
  into: string;
  /** The merged ticket's version as the client read it. */
  expectedVersion?: number;
  /** The survivor's version as the client read it (the confirm step shows it). */
  intoExpectedVersion?: number;
  /** Merge although the tickets share no email or phone: honoured for a supervisor or admin only. */
  confirmUnrelated?: boolean;
}

/** One side of a merge, as the confirm step shows it: no personal data. */
export interface MergeSide {
  reference: string;
  status: TicketStatus;
  category: TicketCategory;
  channel: TicketChannel;
  siteName: string | null;
  createdAt: Date;
  messages: number;
  version: number;
}

export interface MergePreview {
  merged: MergeSide;
  survivor: MergeSide;
  /** The two share an email or phone blind index (else a supervisor must confirm). */
  related: boolean;
  /** Why the merge would be refused now (a finished ticket), or null. */
  refusal: string | null;
}

export interface MergeResult {
  merged: TicketChangeResult;
  survivor: TicketChangeResult;
  /** Rows moved to the survivor: messages, attachments, and each participant's (calls, determinations). */
  moved: Record<string, number>;
}

/**
 * Merging two tickets of one merchant (issue 15): the merged ticket's conversation (each message
 * keeps where it came from), files, calls and determination history move to the survivor; the
 * merged ticket closes with a pointer to it (read-only; its status link leads there). One
 * transaction with both tickets version-checked and an audit event on each. Another merchant's
 * ticket is a 404 like an unknown one; tickets without a shared email or phone blind index need
 * a supervisor's confirmation (409 otherwise).
 */
@Injectable()
export class TicketMergeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly events: DeskEventBus,
    private readonly clock: Clock,
    private readonly participants: TicketMergeParticipants,
  ) {}

  /** What the confirm step shows: both tickets (no personal data), whether they share a requester. */
  async preview(scope: TenantScope, reference: string, into: string): Promise<MergePreview> {
    const manager = this.dataSource.manager;
    const { merged, survivor } = await this.pair(manager, scope, reference, into);
    const [mergedSide, survivorSide] = await Promise.all([
      this.sideOf(manager, merged),
      this.sideOf(manager, survivor),
    ]);
    return {
      merged: mergedSide,
      survivor: survivorSide,
      related: sharedRequesterIndexes(merged, survivor).length > 0,
      refusal: refusalOf(merged, survivor),
    };
  }

  async merge(
    scope: TenantScope,
    reference: string,
    input: MergeInput,
    actor: TicketActor,
    options: { mayConfirmUnrelated: boolean },
  ): Promise<MergeResult> {
    const now = this.clock.now();
    const result = await runTransaction(this.dataSource, async (manager) => {
      const { merged, survivor } = await this.pair(manager, scope, reference, input.into);
      // Found first, refused second: another merchant's ticket stays a 404, never a 403.
      assertStaffScope(scope);
      assertExpectedVersion(merged, input.expectedVersion);
      assertExpectedVersion(survivor, input.intoExpectedVersion);
      const refusal = refusalOf(merged, survivor);
      if (refusal !== null) throw new DomainException(ErrorCode.MergeRefused, refusal);
      const shared = sharedRequesterIndexes(merged, survivor);
      const unrelatedConfirmed =
        shared.length === 0 && input.confirmUnrelated === true && options.mayConfirmUnrelated;
      if (shared.length === 0 && !unrelatedConfirmed) {
        throw new DomainException(ErrorCode.MergeRequesterMismatch, MERGE_REFUSALS.unrelated);
      }
      // The survivor takes the status link when it has none (a phone ticket): the shopper's
      // link keeps working and opens the survivor.
      const takeLink = survivor.statusTokenHash === null && merged.statusTokenHash !== null;
      const closed = await writeTicketChange(
        manager,
        merged,
        {
          status: 'closed',
          closedAt: now,
          mergedIntoId: survivor.id,
          mergedAt: now,
          ...(takeLink ? { statusTokenHash: null, statusToken: null } : {}),
        },
        now,
      );
      const kept = await writeTicketChange(
        manager,
        survivor,
        {
          ...(takeLink
            ? { statusTokenHash: merged.statusTokenHash, statusToken: merged.statusToken }
            : {}),
          // Its own probable original now lives in it.
          ...(survivor.probableDuplicateOfId === merged.id ? { probableDuplicateOfId: null } : {}),
        },
        now,
      );
      const moved = await this.moveRows(manager, merged, survivor, now);
      await this.systemMessage(manager, survivor, actor, mergeNotes.received(merged), now);
      await this.systemMessage(manager, merged, actor, mergeNotes.merged(survivor), now);
      const detail = { ...moved, ...(unrelatedConfirmed ? { unrelatedConfirmed: true } : {}) };
      const audit = this.audit.by(actor, manager, now);
      await audit.record(AUDIT_ACTIONS.ticketMerged, ticketAuditSubject(merged), {
        into: survivor.reference,
        ...detail,
      });
      await audit.record(AUDIT_ACTIONS.ticketMergeReceived, ticketAuditSubject(survivor), {
        from: merged.reference,
        ...detail,
      });
      return { closed, kept, moved };
    }).catch((error: unknown) => {
      throw isLockConflict(error) ? staleVersion() : error;
    });
    for (const ticket of [result.closed, result.kept]) {
      this.events.emit(
        'ticket.changed',
        new TicketChangedEvent(
          ticket.id,
          ticket.reference,
          ticket.merchantId,
          ticket.queueId,
          ticket.id === result.closed.id ? 'merged' : 'merge_received',
          ticket.version,
        ),
      );
    }
    return {
      merged: changeResultOf(result.closed),
      survivor: changeResultOf(result.kept),
      moved: result.moved,
    };
  }

  /**
   * Both tickets through the caller's scope; the survivor must be of the merged ticket's
   * merchant, else it is "not found" (nobody learns another merchant's ticket exists).
   */
  private async pair(
    manager: EntityManager,
    scope: TenantScope,
    reference: string,
    into: string,
  ): Promise<{ merged: Ticket; survivor: Ticket }> {
    const merged = await findScopedTicket(manager, scope, reference);
    if (typeof into !== 'string' || into.trim() === '') {
      throw new ValidationFailedException([
        { field: 'into', message: '統合先のお問い合わせ番号を入力してください。' },
      ]);
    }
    const survivor = await findScopedTicket(manager, scope, into);
    if (survivor.merchantId !== merged.merchantId) throw new NotFoundException(TICKET_NOT_FOUND);
    if (survivor.id === merged.id) {
      throw new ValidationFailedException([{ field: 'into', message: MERGE_REFUSALS.same }]);
    }
    return { merged, survivor };
  }

  private async sideOf(manager: EntityManager, ticket: Ticket): Promise<MergeSide> {
    const [site, messages] = await Promise.all([
      ticket.siteId === null
        ? Promise.resolve(null)
        : manager.getRepository(Site).findOneBy({ id: ticket.siteId }),
      manager.getRepository(Message).countBy({ ticketId: ticket.id }),
    ]);
    return {
      reference: ticket.reference,
      status: ticket.status,
      category: ticket.category,
      channel: ticket.channel,
      siteName: site?.displayName ?? null,
      createdAt: ticket.createdAt,
      messages,
      version: ticket.version,
    };
  }

  /** Messages (each keeps the ticket it came from), files, and every participant's rows. */
  private async moveRows(
    manager: EntityManager,
    merged: Ticket,
    survivor: Ticket,
    now: Date,
  ): Promise<Record<string, number>> {
    const messages = manager.getRepository(Message);
    // Messages an earlier merge brought keep their first origin.
    const own = await messages.update(
      { ticketId: merged.id, mergedFromTicketId: IsNull() },
      { ticketId: survivor.id, mergedFromTicketId: merged.id },
    );
    const carried = await messages.update(
      { ticketId: merged.id, mergedFromTicketId: Not(IsNull()) },
      { ticketId: survivor.id },
    );
    const files = await manager
      .getRepository(Attachment)
      .update({ ticketId: merged.id }, { ticketId: survivor.id });
    // Later tickets that pointed to the merged one as their probable original point to the survivor.
    await manager
      .createQueryBuilder()
      .update(Ticket)
      .set({ probableDuplicateOfId: survivor.id })
      .where('probableDuplicateOfId = :merged AND id <> :survivor', {
        merged: merged.id,
        survivor: survivor.id,
      })
      .execute();
    const moved: Record<string, number> = {
      messages: (own.affected ?? 0) + (carried.affected ?? 0),
      attachments: files.affected ?? 0,
    };
    for (const participant of this.participants.all()) {
      moved[participant.name] = await participant.moveOnMerge(manager, merged, survivor, now);
    }
    return moved;
  }

  private async systemMessage(
    manager: EntityManager,
    ticket: Ticket,
    actor: TicketActor,
    text: string,
    now: Date,
  ): Promise<void> {
    await manager.insert(Message, {
      ticketId: ticket.id,
      kind: 'system',
      authorUserId: actor.userId,
      body: this.cipher.encrypt(text),
      deliveryState: null,
      createdAt: now,
    });
  }
}

/** The system entries a merge leaves in each conversation (internal: not a public kind). */
export const mergeNotes = {
  received: (merged: Pick<Ticket, 'reference'>) =>
    `お問い合わせ ${merged.reference} を統合しました（会話・通話・添付ファイルをこちらへ移動）。`,
  merged: (survivor: Pick<Ticket, 'reference'>) =>
    `お問い合わせ ${survivor.reference} に統合しました。以降はそちらで対応します。`,
};

/** A closed, merged or erased ticket takes no part in a merge. */
function refusalOf(merged: Ticket, survivor: Ticket): string | null {
  const finished = (ticket: Ticket) =>
    ticket.status === 'closed' || ticket.mergedIntoId !== null || ticket.erasedAt !== null;
  if (finished(merged)) return MERGE_REFUSALS.mergedFinished;
  if (finished(survivor)) return MERGE_REFUSALS.survivorFinished;
  return null;
}
