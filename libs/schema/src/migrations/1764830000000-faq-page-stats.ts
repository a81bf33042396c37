import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { index, int, varchar } from './schema-columns.util';

/**
 * Issue 13.6: the public incident page's per-site, per-day counters (views, and inquiries sent
 * after reading it). Counts only, no personal data; no foreign keys, like the audit trail.
 */
export class FaqPageStats1764830000000 implements MigrationInterface {
  name = 'FaqPageStats1764830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'faq_page_stats',
        columns: [
          { ...int('site_id'), isPrimary: true },
          { ...varchar('day', 10), isPrimary: true },
          int('merchant_id'),
          int('views'),
          int('inquiries'),
        ],
        indices: [index('ix_faq_page_stats_merchant_day', ['merchant_id', 'day'])],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('faq_page_stats');
  }
}
