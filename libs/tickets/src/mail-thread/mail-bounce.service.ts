import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { describeDeliveryError, OutboxJob } from '@madoguchi/mail';
import { Message } from '../message/message.entity';
import { Ticket } from '../ticket/ticket.entity';
import { MAIL_THREAD_TEXTS } from './mail-thread.texts';
import { SentMailIdService } from './sent-mail-id.service';

export interface BouncedMail {
  /** Null when the bounced mail was about no ticket (or the ticket is gone). */
  ticketId: number | null;
  /** The ticket message the mail delivered (its delivery state is now `failed`). */
  messageId: number | null;
  outboxJobId: number | null;
  /** The system message written into the ticket, so the agent sees the bounce. */
  systemMessageId: number | null;
}

const T = MAIL_THREAD_TEXTS.bounce;

/**
 * A bounce (a DSN naming one of our Message-IDs) marks the mail failed: its outbox job dead
 * with the reason (the admins' outbox page lists it, and can retry it), the reply it delivered
 * `failed` (the console shows 送信失敗), and a system message in the ticket with the reason.
 */
@Injectable()
export class MailBounceService {
  constructor(
    private readonly sentMailIds: SentMailIdService,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
  ) {}

  /** In `manager`'s transaction; null when the Message-ID is not one of ours. */
  async markBounced(
    manager: EntityManager,
    originalMessageIdHeader: string,
    reason: string,
  ): Promise<BouncedMail | null> {
    const sent = await this.sentMailIds.find(manager, [originalMessageIdHeader]);
    if (!sent) return null;
    // Addresses and line breaks out, as for an SMTP server's answer; cut to the column's size.
    const why = describeDeliveryError(reason.trim() === '' ? 'bounce' : `bounce: ${reason}`);
    const now = this.clock.now();
    if (sent.outboxJobId !== null) {
      await manager.update(
        OutboxJob,
        { id: sent.outboxJobId },
        { status: 'dead', lastError: why, leaseOwner: null, leaseExpiresAt: null },
      );
    }
    if (sent.messageId !== null) {
      // Also over `sent`: the server accepted it, but it never arrived.
      await manager.update(Message, { id: sent.messageId }, { deliveryState: 'failed' });
    }
    let systemMessageId: number | null = null;
    if (sent.ticketId !== null) {
      const ticket = await manager.getRepository(Ticket).findOneBy({ id: sent.ticketId });
      if (ticket && ticket.erasedAt === null) {
        const lead =
          sent.messageId !== null
            ? T.reply
            : sent.audience === 'merchant'
              ? T.merchant
              : T.requester;
        const inserted = await manager.insert(Message, {
          ticketId: ticket.id,
          kind: 'system',
          authorUserId: null,
          body: this.cipher.encrypt([lead, `${T.reasonLabel}${why}`].join('\n')),
          deliveryState: null,
          createdAt: now,
        });
        systemMessageId = Number(inserted.identifiers[0]?.id);
      }
    }
    return {
      ticketId: sent.ticketId,
      messageId: sent.messageId,
      outboxJobId: sent.outboxJobId,
      systemMessageId,
    };
  }
}
