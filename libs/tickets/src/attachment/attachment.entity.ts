import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Merchant } from '@madoguchi/tenancy';
import { Message } from '../message/message.entity';
import { Ticket } from '../ticket/ticket.entity';

/**
 * A file a shopper, an agent or a mail attached to one message. Only checked files get here
 * (AttachmentInspector): the type read from the bytes, metadata stripped, the name sanitised.
 * The name is FieldCipher ciphertext; the bytes live in {@link AttachmentPart} rows, never in a
 * file whose path anyone chose. Retention deletes the rows with the ticket's personal data.
 */
@Entity('attachments')
@Index('ix_attachments_message', ['messageId', 'id'])
@Index('ix_attachments_ticket', ['ticketId'])
export class Attachment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_attachments_ticket' })
  ticket?: Ticket;

  @Column({ type: 'int' })
  messageId: number;

  @ManyToOne(() => Message, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'fk_attachments_message' })
  message?: Message;

  /** The ticket's merchant, kept on the row so a scope check needs no second lookup. */
  @Column({ type: 'int' })
  merchantId: number;

  @ManyToOne(() => Merchant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merchant_id', foreignKeyConstraintName: 'fk_attachments_merchant' })
  merchant?: Merchant;

  /** Encrypted sanitised file name (its extension matches the type). */
  @Column({ type: 'text' })
  filename: string;

  /** Decided from the bytes, one of ATTACHMENT_CONTENT_TYPES. */
  @Column({ type: 'varchar', length: 100 })
  contentType: string;

  /** Bytes, after metadata stripping. */
  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'datetime' })
  createdAt: Date;
}

/**
 * One slice of an attachment's bytes: base64 of up to ATTACHMENT_PART_BYTES, sealed by
 * FieldCipher. Slices keep every value under MySQL's TEXT limit (64 KiB) on both databases
 * (SQLite has no LONGTEXT type an entity could share with MariaDB), keep each statement far
 * below max_allowed_packet, and let the key rotation page through a 5 MiB file 200 small rows
 * at a time instead of holding hundreds of whole files in memory.
 */
@Entity('attachment_parts')
@Index('uq_attachment_parts_attachment_part', ['attachmentId', 'partNo'], { unique: true })
export class AttachmentPart {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  attachmentId: number;

  @ManyToOne(() => Attachment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'attachment_id', foreignKeyConstraintName: 'fk_attachment_parts_attachment' })
  attachment?: Attachment;

  /** 0, 1, 2, … in the order of the bytes. */
  @Column({ type: 'int' })
  partNo: number;

  /** Encrypted base64 of this slice of the bytes. */
  @Column({ type: 'text' })
  content: string;
}
