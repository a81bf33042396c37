import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { FieldCipher } from '@madoguchi/crypto';
import { OUTBOX_MAIL_JOB } from '../mail.constant';
import { newMessageIdHeader } from '../message-id-header.util';
import type { OutgoingMail } from '../outgoing-mail.type';
import { OutboxJob } from './outbox-job.entity';

export class OutboxPayloadError extends Error {}

/**
 * The transactional outbox: a mail is written in the caller's transaction, so it exists
 * exactly when the change that caused it is committed, and a worker sends it afterwards.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Adds a pending mail job in `manager`'s transaction; returns the job id. `ticketId` (else the
   * ticket of `mail.messageId`) ties the job to the ticket whose requester it is written to, so
   * retention erases the mail with the ticket's personal data.
   */
  async enqueueMail(
    manager: EntityManager,
    mail: OutgoingMail,
    at = this.clock.now(),
    options: { ticketId?: number | null } = {},
  ): Promise<number> {
    // Outside a transaction the mail would exist even if the caller's change rolled back.
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('enqueueMail must run inside the caller’s transaction');
    }
    if (mail.to.trim() === '') throw new Error('an outgoing mail needs a recipient');
    const payload: OutgoingMail = {
      to: mail.to,
      fromName: mail.fromName,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      replyTo: mail.replyTo,
      messageId: mail.messageId,
      messageIdHeader: mail.messageIdHeader ?? newMessageIdHeader(this.config.inboundMail.domain),
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      attachmentIds: mail.attachmentIds?.length ? mail.attachmentIds : undefined,
      headers: mail.headers,
    };
    const ticketId = options.ticketId ?? (await ticketOfMessage(manager, mail.messageId));
    const result = await manager.insert(OutboxJob, {
      type: OUTBOX_MAIL_JOB,
      // Addresses and bodies are personal data: the whole payload is sealed (AES-GCM).
      payload: this.cipher.encrypt(JSON.stringify(payload)),
      status: 'pending',
      attempts: 0,
      // Whole seconds: MySQL rounds a fractional `datetime` up, which would push the job
      // past a drain started in the same second.
      nextAttemptAt: new Date(Math.floor(at.getTime() / 1000) * 1000),
      leaseOwner: null,
      leaseExpiresAt: null,
      lastError: null,
      createdAt: at,
      sentAt: null,
      ticketId,
    });
    return Number(result.identifiers[0]?.id);
  }

  /** Opens a mail job's payload; throws {@link OutboxPayloadError} if it is not a mail. */
  readMail(job: Pick<OutboxJob, 'payload'>): OutgoingMail {
    const value: unknown = JSON.parse(this.cipher.decrypt(job.payload));
    const mail = value as Partial<Record<keyof OutgoingMail, unknown>> | null;
    const isString = (field: unknown): field is string => typeof field === 'string';
    const isOptional = (field: unknown, check: (v: unknown) => boolean) =>
      field === undefined || check(field);
    if (
      !mail ||
      !isString(mail.to) ||
      !isString(mail.fromName) ||
      !isString(mail.subject) ||
      !isString(mail.text) ||
      !isOptional(mail.html, isString) ||
      !isOptional(mail.replyTo, isString) ||
      !isOptional(mail.messageId, Number.isInteger) ||
      !isOptional(mail.messageIdHeader, isString) ||
      !isOptional(mail.inReplyTo, isString) ||
      !isOptional(mail.references, isString) ||
      !isOptional(
        mail.attachmentIds,
        (ids) => Array.isArray(ids) && ids.every((id) => Number.isInteger(id)),
      ) ||
      !isOptional(
        mail.headers,
        (headers) =>
          typeof headers === 'object' &&
          headers !== null &&
          Object.values(headers).every((value) => typeof value === 'string'),
      )
    ) {
      throw new OutboxPayloadError('outbox payload is not a mail');
    }
    return value as OutgoingMail;
  }
}

/** By table name: libs/tickets imports this lib, so its Message entity cannot be imported here. */
async function ticketOfMessage(
  manager: EntityManager,
  messageId: number | undefined,
): Promise<number | null> {
  if (messageId === undefined) return null;
  const row = await manager
    .createQueryBuilder()
    .select('message.ticket_id', 'ticketId')
    .from('messages', 'message')
    .where('message.id = :messageId', { messageId })
    .getRawOne<{ ticketId: number | string | null }>();
  return row?.ticketId === undefined || row.ticketId === null ? null : Number(row.ticketId);
}
