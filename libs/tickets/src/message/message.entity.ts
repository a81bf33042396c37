import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { AnswerTemplateVersion } from '@madoguchi/incidents';
import { Ticket } from '../ticket/ticket.entity';

/**
 * `merchant_query`: an agent's question to the merchant; `merchant_answer`: the merchant's
 * answer in the portal. Both are between the desk and the merchant: never shown or mailed to
 * the end user (not public kinds). The answers stored before the question kind existed (kind
 * `merchant`) were renamed to `merchant_answer` by migration 1764820000000.
 */
export const MESSAGE_KINDS = [
  'customer',
  'reply',
  'note',
  'system',
  'call',
  'merchant_query',
  'merchant_answer',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The desk–merchant exchange: merchant users see it in the portal, end users never. */
export const MERCHANT_EXCHANGE_KINDS: readonly MessageKind[] = [
  'merchant_query',
  'merchant_answer',
];

/** Kinds the end user sees on the status page; notes, system and call entries stay internal. */
export const PUBLIC_MESSAGE_KINDS: readonly MessageKind[] = ['customer', 'reply'];

export type DeliveryState = 'queued' | 'sent' | 'failed';

/** How a reply used an approved incident answer (issue 13). */
export const ANSWER_PROVENANCES = ['verbatim', 'edited'] as const;
export type AnswerProvenance = (typeof ANSWER_PROVENANCES)[number];

@Entity('messages')
@Index('ix_messages_ticket', ['ticketId', 'id'])
@Index('ix_messages_answer_version', ['answerVersionId'])
export class Message {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_messages_ticket' })
  ticket?: Ticket;

  @Column({ type: 'varchar', length: 16 })
  kind: MessageKind;

  @Column({ type: 'int', nullable: true })
  authorUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_user_id', foreignKeyConstraintName: 'fk_messages_author' })
  author?: User;

  /** Encrypted body; null once retention erased it. */
  @Column({ type: 'text', nullable: true })
  body: string | null;

  /** For replies mailed to the end user. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  deliveryState: DeliveryState | null;

  /** A reply that used an approved incident answer: the version it used. */
  @Column({ type: 'int', nullable: true })
  answerVersionId: number | null;

  @ManyToOne(() => AnswerTemplateVersion, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'answer_version_id',
    foreignKeyConstraintName: 'fk_messages_answer_version',
  })
  answerVersion?: AnswerTemplateVersion;

  /**
   * With `answerVersionId`: `verbatim` when the text sent equals the approved text filled in
   * for the ticket (whitespace-normalised), else `edited` ("based on version N, edited").
   */
  @Column({ type: 'varchar', length: 16, nullable: true })
  answerProvenance: AnswerProvenance | null;

  /**
   * An edited approved answer: the edit from the filled approved text to the text sent, as a
   * `CompactDiff` (@madoguchi/common) in JSON, encrypted like the body (it can hold personal data); null
   * otherwise and once retention erased the body.
   */
  @Column({ type: 'text', nullable: true })
  answerDiff: string | null;

  /** A correction (a newer approved version sent to a receiver of an older one): the reply it corrects. */
  @Column({ type: 'int', nullable: true })
  correctsMessageId: number | null;

  /** Issue 15: the message came with a merge from this (now closed) ticket, or null. */
  @Column({ type: 'int', nullable: true })
  mergedFromTicketId: number | null;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
