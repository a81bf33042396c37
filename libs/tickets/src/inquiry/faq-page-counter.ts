import type { EntityManager } from 'typeorm';
import { tokyoDateOf } from '@madoguchi/common';
import type { SiteWithMerchant } from '@madoguchi/tenancy';

/*
 * The daily counters of the public incident (FAQ) page, by raw SQL on faq_page_stats: the
 * intake counts inquiries here, in the core; the page's views and statistics live with
 * incident response, above this lib.
 */

/**
 * One inquiry sent after reading the incident page (the form carried `from_faq=1`), counted in
 * the inquiry's own transaction so the counter and the ticket commit together.
 */
export async function countFaqInquiry(
  manager: EntityManager,
  target: SiteWithMerchant,
  now: Date,
): Promise<void> {
  await upsertFaqPageCounter(manager, target, 'inquiries', now);
}

/** `INSERT … ON DUPLICATE KEY UPDATE` (MariaDB) / `ON CONFLICT DO UPDATE` (SQLite): one statement. */
export async function upsertFaqPageCounter(
  manager: EntityManager,
  { site, merchant }: SiteWithMerchant,
  column: 'views' | 'inquiries',
  now: Date,
): Promise<void> {
  const type = manager.connection.options.type;
  const mysql = type === 'mysql' || type === 'mariadb';
  const views = column === 'views' ? 1 : 0;
  const inquiries = column === 'inquiries' ? 1 : 0;
  const insert =
    'INSERT INTO faq_page_stats (site_id, day, merchant_id, views, inquiries) VALUES (?, ?, ?, ?, ?) ';
  const update = mysql
    ? `ON DUPLICATE KEY UPDATE ${column} = ${column} + 1`
    : `ON CONFLICT (site_id, day) DO UPDATE SET ${column} = ${column} + 1`;
  await manager.query(insert + update, [site.id, tokyoDateOf(now), merchant.id, views, inquiries]);
}
