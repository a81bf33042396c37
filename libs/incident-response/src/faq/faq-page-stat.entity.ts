import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The public incident page's counters, one row per site and Tokyo day: how often the page was
 * shown and how many inquiries were then sent from the form reached through the page's link.
 * Counts only: no IP, no cookie, nothing about a visitor. Each view is one atomic upsert. No
 * foreign key, like the audit trail: statistics outlive nothing and block nothing.
 */
@Entity('faq_page_stats')
@Index('ix_faq_page_stats_merchant_day', ['merchantId', 'day'])
export class FaqPageStat {
  @PrimaryColumn({ type: 'int' })
  siteId: number;

  /** Tokyo calendar date `YYYY-MM-DD`. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: 'int' })
  merchantId: number;

  /** Times the incident page was shown with at least one answer. */
  @Column({ type: 'int' })
  views: number;

  /** Inquiries sent from the form that carried `from_faq=1` (the page's link). */
  @Column({ type: 'int' })
  inquiries: number;
}
