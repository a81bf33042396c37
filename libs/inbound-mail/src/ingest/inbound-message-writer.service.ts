import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, DomainException, ErrorCode } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import {
  ATTACHMENT_LIMITS,
  ATTACHMENT_TEXTS,
  AttachmentInspector,
  AttachmentRefusedError,
  AttachmentService,
  type CleanFile,
  InquiryService,
  maskCardNumbers,
  MESSAGE_BODY_MAX_LENGTH,
  Message,
  StatusPageService,
  statusChangeEffects,
  type Ticket,
  writeTicketChange,
} from '@madoguchi/tickets';
import type { SiteWithMerchant } from '@madoguchi/tenancy';
import type { InboundPart } from '../parse/inbound-mail-parser';
import { INBOUND_MAIL_TEXTS } from './inbound-mail.texts';

/** Parts inspected of one mail at most: beyond the file limit the rest are refused unread. */
const MAX_PARTS_INSPECTED = ATTACHMENT_LIMITS.maxFiles + 5;

/** Who wrote through the mail, for the audit events: the system's mail channel. */
export interface MailOrigin {
  transport: 'smtp' | 'imap';
  ip: string | null;
}

/** The files of a mail after the inspector: what is stored, and why the others were not. */
export interface InspectedParts {
  files: CleanFile[];
  refusals: string[];
}

/** Ticket statuses that take no more messages from outside. */
const FINISHED: readonly Ticket['status'][] = ['closed', 'handed_back'];

/** The ticket takes no more mail (closed, handed back): the mail is refused, nothing written. */
export class TicketClosedForMail extends Error {}

/**
 * Writes what a mail brings into a ticket, in the caller's transaction: the customer's reply
 * (through the status page's own write, so it reopens the ticket exactly as a reply there does),
 * the merchant's answer, or a new ticket (through the inquiry's own path, with its
 * confirmation mail and its cap); then the accepted attachments and a system note listing the
 * refused ones, so a refused file never loses the text.
 */
@Injectable()
export class InboundMessageWriter {
  constructor(
    private readonly statusPages: StatusPageService,
    private readonly inquiries: InquiryService,
    private readonly attachments: AttachmentService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The attachments as the inspector sees them, each on its own so one bad file refuses only itself. */
  async inspect(parts: readonly InboundPart[]): Promise<InspectedParts> {
    // Files the sender attached before images embedded in the body (a signature's logo).
    const ordered = [
      ...parts.filter((part) => !part.related),
      ...parts.filter((part) => part.related),
    ];
    const files: CleanFile[] = [];
    const refusals: string[] = [];
    let total = 0;
    let tooMany = false;
    for (const [index, part] of ordered.entries()) {
      if (files.length >= ATTACHMENT_LIMITS.maxFiles || index >= MAX_PARTS_INSPECTED) {
        tooMany = true;
        continue;
      }
      try {
        const [file] = await AttachmentInspector.inspect([
          { filename: part.filename, bytes: part.bytes },
        ]);
        if (!file) continue;
        if (total + file.bytes.length > ATTACHMENT_LIMITS.maxTotalBytes) {
          refusals.push(ATTACHMENT_TEXTS.totalTooLarge);
          continue;
        }
        total += file.bytes.length;
        files.push(file);
      } catch (error) {
        if (!(error instanceof AttachmentRefusedError)) throw error;
        refusals.push(...error.fieldErrors.map((fieldError) => fieldError.message));
      }
    }
    if (tooMany) refusals.push(ATTACHMENT_TEXTS.tooMany);
    return { files, refusals: [...new Set(refusals)] };
  }

  /** The requester's reply: a `customer` message, reopening the ticket as a status-page reply does. */
  async customerReply(
    manager: EntityManager,
    ticket: Ticket,
    text: string,
    parts: InspectedParts,
    origin: MailOrigin,
  ): Promise<{ messageId: number }> {
    if (FINISHED.includes(ticket.status)) throw new TicketClosedForMail();
    try {
      const { messageId } = await this.statusPages.writeCustomerReply(
        manager,
        ticket,
        bounded(text),
        {
          actor: { type: 'system' },
          ip: origin.ip,
          detail: { via: 'mail', transport: origin.transport, attachments: parts.files.length },
        },
      );
      await this.storeParts(manager, ticket, messageId, parts);
      return { messageId };
    } catch (error) {
      // The status page's own refusal of a finished ticket, should its rule be wider than ours.
      if (error instanceof DomainException && error.code === ErrorCode.TicketFinished) {
        throw new TicketClosedForMail();
      }
      throw error;
    }
  }

  /**
   * The merchant's answer from one of its notification addresses: a `merchant_answer` message
   * (never shown to the end user); a ticket waiting on the merchant goes back to the queue as
   * `open`, as an answer in the portal does. An answer to a ticket no longer waiting is kept too.
   */
  async merchantAnswer(
    manager: EntityManager,
    ticket: Ticket,
    text: string,
    parts: InspectedParts,
    origin: MailOrigin,
  ): Promise<{ messageId: number }> {
    if (FINISHED.includes(ticket.status)) throw new TicketClosedForMail();
    const now = this.clock.now();
    const masked = maskCardNumbers(bounded(text));
    const changes =
      ticket.status === 'pending_merchant' ? statusChangeEffects(ticket, 'open', now) : {};
    // Also without a status change: updatedAt moves, so the consoles' live feed shows the answer.
    const updated = await writeTicketChange(manager, ticket, changes, now);
    const inserted = await manager.insert(Message, {
      ticketId: ticket.id,
      kind: 'merchant_answer',
      authorUserId: null,
      body: this.cipher.encrypt(masked.text),
      deliveryState: null,
      createdAt: now,
    });
    const messageId = Number(inserted.identifiers[0]?.id);
    await this.audit.record(
      manager,
      {
        actor: { type: 'system' },
        action: AUDIT_ACTIONS.ticketMerchantAnswered,
        merchantId: ticket.merchantId,
        target: { type: 'ticket', id: ticket.reference },
        ip: origin.ip,
        detail: {
          via: 'mail',
          transport: origin.transport,
          messageId,
          ...(updated.status === ticket.status ? {} : { from: ticket.status, to: updated.status }),
          cardNumbersMasked: masked.masked,
          attachments: parts.files.length,
        },
      },
      now,
    );
    await this.storeParts(manager, ticket, messageId, parts);
    return { messageId };
  }

  /** A new ticket in the `email` channel, exactly as the form opens one (confirmation mail included). */
  async newTicket(
    manager: EntityManager,
    target: SiteWithMerchant,
    requester: { name: string; email: string },
    text: string,
    parts: InspectedParts,
    origin: MailOrigin,
  ): Promise<{ ticket: Ticket; messageId: number }> {
    const opened = await this.inquiries.submitWithin(
      manager,
      target,
      {
        name: requester.name,
        email: requester.email,
        phone: null,
        orderNumber: null,
        category: 'other',
        message: bounded(text),
      },
      {
        ip: origin.ip,
        channel: 'email',
        auditActor: { type: 'system' },
        auditDetail: { via: 'mail', transport: origin.transport, attachments: parts.files.length },
      },
    );
    await this.storeParts(manager, opened.ticket, opened.firstMessageId, parts);
    return { ticket: opened.ticket, messageId: opened.firstMessageId };
  }

  private async storeParts(
    manager: EntityManager,
    ticket: Ticket,
    messageId: number,
    parts: InspectedParts,
  ): Promise<void> {
    if (parts.files.length > 0) {
      await this.attachments.store(
        manager,
        { ticketId: ticket.id, messageId, merchantId: ticket.merchantId },
        parts.files,
      );
    }
    if (parts.refusals.length > 0) {
      await manager.insert(Message, {
        ticketId: ticket.id,
        kind: 'system',
        authorUserId: null,
        body: this.cipher.encrypt(INBOUND_MAIL_TEXTS.refusedAttachments(parts.refusals)),
        deliveryState: null,
        createdAt: this.clock.now(),
      });
    }
  }
}

/** A body cut to the longest message the desk stores, marked where it was cut. */
function bounded(text: string): string {
  if (text.length <= MESSAGE_BODY_MAX_LENGTH) return text;
  const marker = `\n${INBOUND_MAIL_TEXTS.truncated}`;
  return text.slice(0, MESSAGE_BODY_MAX_LENGTH - marker.length) + marker;
}
