import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { AnswerTemplateVersion } from '@madoguchi/incidents';
import { Ticket } from '../ticket/ticket.entity';

/** `merchant`: the merchant's answer to an agent's question (internal, never to the end user). */
export const MESSAGE_KINDS = ['customer', 'reply', 'note', 'system', 'call', 'merchant'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Kinds the end user sees on the status page; notes, system and call entries stay internal. */
export const PUBLIC_MESSAGE_KINDS: readonly MessageKind[] = ['customer', 'reply'];

export type DeliveryState = 'queued' | 'sent' | 'failed';

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

  @Column({ type: 'datetime' })
  createdAt: Date;
}
