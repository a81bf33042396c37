import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, NotFoundException } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import { Message, PUBLIC_MESSAGE_KINDS } from '../message/message.entity';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import { tokenHashOf } from '../status-page/status-token.util';
import { Ticket } from '../ticket/ticket.entity';
import { ATTACHMENT_PART_BYTES } from './attachment.constant';
import { Attachment, AttachmentPart } from './attachment.entity';
import { ATTACHMENT_TEXTS } from './attachment.texts';
import type {
  AttachmentFile,
  AttachmentInfo,
  AttachmentOwner,
  CleanFile,
  MailAttachment,
} from './attachment.type';

/** Part rows per INSERT: ~60 KB each, so one statement stays near 2 MB, far below max_allowed_packet. */
const PARTS_PER_INSERT = 32;

/**
 * Stores checked files encrypted in the database and hands them out again, only within a
 * ticket's scope (desk, audited), by the ticket's status token (public messages only), or to
 * the outbox worker for a mail. Callers inspect files first (AttachmentInspector) and pass the
 * manager of the transaction that writes the message, so a message never exists half-stored.
 */
@Injectable()
export class AttachmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async store(
    manager: EntityManager,
    owner: AttachmentOwner,
    files: readonly CleanFile[],
  ): Promise<AttachmentInfo[]> {
    const stored: AttachmentInfo[] = [];
    const now = this.clock.now();
    for (const file of files) {
      const result = await manager.insert(Attachment, {
        ticketId: owner.ticketId,
        messageId: owner.messageId,
        merchantId: owner.merchantId,
        filename: this.cipher.encrypt(file.filename),
        contentType: file.contentType,
        size: file.bytes.length,
        createdAt: now,
      });
      const id = Number((result.identifiers[0] as { id: number }).id);
      await this.insertParts(manager, id, file.bytes);
      stored.push({
        id,
        messageId: owner.messageId,
        filename: file.filename,
        contentType: file.contentType,
        size: file.bytes.length,
      });
    }
    return stored;
  }

  /** Each message's attachments (names decrypted, no bytes), in the order they were stored. */
  async listForMessages(
    manager: EntityManager,
    messageIds: readonly number[],
  ): Promise<Map<number, AttachmentInfo[]>> {
    const byMessage = new Map<number, AttachmentInfo[]>();
    if (messageIds.length === 0) return byMessage;
    const rows = await manager.getRepository(Attachment).find({
      select: { id: true, messageId: true, filename: true, contentType: true, size: true },
      where: { messageId: In([...new Set(messageIds)]) },
      order: { messageId: 'ASC', id: 'ASC' },
    });
    for (const row of rows) {
      const list = byMessage.get(row.messageId) ?? [];
      list.push(this.infoOf(row));
      byMessage.set(row.messageId, list);
    }
    return byMessage;
  }

  /**
   * One attachment for a desk user: found only through the ticket scope (another merchant's,
   * another queue's or an unknown id are all 404; merchant users never reach files on internal
   * notes, as they never see the notes), and the download is audited before the bytes go out.
   */
  async openInScope(scope: TenantScope, id: number, actor: TicketActor): Promise<AttachmentFile> {
    if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundException(ATTACHMENT_TEXTS.notFound);
    const manager = this.dataSource.manager;
    const found = await scopedTicketQuery(manager, scope)
      .innerJoin(Attachment, 'attachment', 'attachment.ticketId = ticket.id')
      .innerJoin(Message, 'message', 'message.id = attachment.messageId')
      .select(['ticket.reference AS reference', 'ticket.merchantId AS merchantId'])
      .addSelect(['attachment.id AS attachmentId', 'message.kind AS kind'])
      .where('attachment.id = :id', { id })
      .andWhere('ticket.erasedAt IS NULL')
      .getRawOne<{ reference: string; merchantId: number; attachmentId: number; kind: string }>();
    if (!found || (scope.kind === 'merchant' && found.kind === 'note')) {
      throw new NotFoundException(ATTACHMENT_TEXTS.notFound);
    }
    const file = await this.readFile(manager, id);
    await this.audit
      .by(actor, manager)
      .record(
        AUDIT_ACTIONS.attachmentViewed,
        { merchantId: Number(found.merchantId), target: { type: 'attachment', id } },
        { ticket: found.reference, messageId: file.messageId, contentType: file.contentType },
      );
    return file;
  }

  /**
   * One attachment for the end user on the status page: only of a public message (their own
   * or an agent's reply) of the ticket that token opens; anything else is 404.
   */
  async openForStatusToken(statusToken: string, id: number): Promise<AttachmentFile> {
    if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundException(ATTACHMENT_TEXTS.notFound);
    const manager = this.dataSource.manager;
    const ticket = await manager
      .getRepository(Ticket)
      .findOneBy({ statusTokenHash: tokenHashOf(statusToken) });
    if (!ticket || ticket.erasedAt !== null) throw new NotFoundException(ATTACHMENT_TEXTS.notFound);
    const visible = await manager
      .getRepository(Attachment)
      .createQueryBuilder('attachment')
      .innerJoin(Message, 'message', 'message.id = attachment.messageId')
      .where('attachment.id = :id', { id })
      .andWhere('attachment.ticketId = :ticketId', { ticketId: ticket.id })
      .andWhere('message.kind IN (:...kinds)', { kinds: [...PUBLIC_MESSAGE_KINDS] })
      .getExists();
    if (!visible) throw new NotFoundException(ATTACHMENT_TEXTS.notFound);
    return this.readFile(manager, id);
  }

  /** The files of an outgoing mail, in the order of `ids` (the outbox worker's system path). */
  async loadForMail(manager: EntityManager, ids: readonly number[]): Promise<MailAttachment[]> {
    const files: MailAttachment[] = [];
    for (const id of ids) {
      const file = await this.readFile(manager, id).catch((error: unknown) => {
        // Erased meanwhile (retention): the mail goes without it rather than never.
        if (error instanceof NotFoundException) return null;
        throw error;
      });
      if (file) {
        files.push({
          filename: file.filename,
          contentType: file.contentType,
          content: file.content,
        });
      }
    }
    return files;
  }

  /** Retention: see {@link eraseAttachmentsOfTickets}. */
  eraseForTickets(manager: EntityManager, ticketIds: readonly number[]): Promise<number> {
    return eraseAttachmentsOfTickets(manager, ticketIds);
  }

  private async insertParts(manager: EntityManager, attachmentId: number, bytes: Buffer) {
    const parts: Partial<AttachmentPart>[] = [];
    for (let offset = 0, partNo = 0; offset < bytes.length || partNo === 0; partNo += 1) {
      const slice = bytes.subarray(offset, offset + ATTACHMENT_PART_BYTES);
      parts.push({ attachmentId, partNo, content: this.cipher.encrypt(slice.toString('base64')) });
      offset += ATTACHMENT_PART_BYTES;
    }
    for (let start = 0; start < parts.length; start += PARTS_PER_INSERT) {
      await manager.insert(AttachmentPart, parts.slice(start, start + PARTS_PER_INSERT));
    }
  }

  private async readFile(manager: EntityManager, id: number): Promise<AttachmentFile> {
    const attachment = await manager.getRepository(Attachment).findOneBy({ id });
    if (!attachment) throw new NotFoundException(ATTACHMENT_TEXTS.notFound);
    const parts = await manager.getRepository(AttachmentPart).find({
      select: { partNo: true, content: true },
      where: { attachmentId: id },
      order: { partNo: 'ASC' },
    });
    const content = Buffer.concat(
      parts.map((part) => Buffer.from(this.cipher.decrypt(part.content), 'base64')),
    );
    // A missing or extra part would hand out a corrupt file: refuse instead.
    if (content.length !== attachment.size) {
      throw new Error(`attachment ${id}: stored parts do not add up to its size`);
    }
    return { ...this.infoOf(attachment), content };
  }

  private infoOf(row: Attachment): AttachmentInfo {
    return {
      id: row.id,
      messageId: row.messageId,
      filename: this.cipher.decrypt(row.filename),
      contentType: row.contentType,
      size: row.size,
    };
  }
}

/**
 * Retention: the files of these tickets are deleted, names and bytes, in the caller's
 * transaction; how many files. A function as well as a service method, so the retention job
 * erases them without the intake's providers.
 */
export async function eraseAttachmentsOfTickets(
  manager: EntityManager,
  ticketIds: readonly number[],
): Promise<number> {
  if (ticketIds.length === 0) return 0;
  const attachments = await manager.getRepository(Attachment).find({
    select: { id: true },
    where: { ticketId: In([...ticketIds]) },
  });
  if (attachments.length === 0) return 0;
  const ids = attachments.map((attachment) => attachment.id);
  // Parts first, explicitly, rather than trusting every database's cascade.
  await manager.delete(AttachmentPart, { attachmentId: In(ids) });
  await manager.delete(Attachment, { id: In(ids) });
  return ids.length;
}
