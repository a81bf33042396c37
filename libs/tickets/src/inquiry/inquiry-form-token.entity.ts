import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Site } from '@madoguchi/tenancy';
import { Ticket } from '../ticket/ticket.entity';

/**
 * A one-time token of the branded form (issue 15), consumed by the submit that made the ticket:
 * stored only as its SHA-256, per site, with the ticket it made. The same token sent again (Back
 * and 送信 on a page the browser kept) shows that ticket's thank-you page again; nothing new is
 * stored or mailed.
 */
@Entity('inquiry_form_tokens')
@Index('uq_inquiry_form_tokens_site_token', ['siteId', 'tokenHash'], { unique: true })
export class InquiryFormToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  siteId: number;

  @ManyToOne(() => Site, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'fk_inquiry_form_tokens_site' })
  site?: Site;

  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'int' })
  ticketId: number;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id', foreignKeyConstraintName: 'fk_inquiry_form_tokens_ticket' })
  ticket?: Ticket;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
