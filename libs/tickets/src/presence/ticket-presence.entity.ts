import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Ticket } from '../ticket/ticket.entity';

/** What a colleague is doing on a ticket page: reading it, or typing a reply or a note. */
export const PRESENCE_STATES = ['viewing', 'writing'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/**
 * One user's presence on one ticket, as the ticket page's heartbeat last said (issue 15). Kept
 * in the database so every desk instance sees every other's agents; a row not refreshed within
 * PRESENCE_TTL_MS is ignored, and removed by the next heartbeat of anyone. No personal data.
 */
@Entity('ticket_presence')
@Index('uq_ticket_presence_ticket_user', ['ticketId', 'userId'], { unique: true })
@Index('ix_ticket_presence_seen', ['lastSeenAt'])
@Index('ix_ticket_presence_user', ['userId'])
export class TicketPresence {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_ticket_presence_ticket' })
  ticket?: Ticket;

  @Column({ type: 'int' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_ticket_presence_user' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  state: PresenceState;

  @Column({ type: 'datetime' })
  lastSeenAt: Date;
}
