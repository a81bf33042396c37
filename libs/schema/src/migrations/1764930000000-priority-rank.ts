import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { index, int } from './schema-columns.util';

/** TICKET_PRIORITY_RANK at the time of this migration (urgent highest). */
const RANKS: ReadonlyArray<[string, number]> = [
  ['low', 0],
  ['normal', 1],
  ['high', 2],
  ['urgent', 3],
];

/**
 * Issue 15 (triage): queues order by priority, then SLA due. The priority as a number that sorts
 * (`priority_rank`, urgent highest), backfilled from `priority`, and the index the queue's first
 * page and take-next read: `(queue_id, priority_rank, sla_due_at)`.
 */
export class PriorityRank1764930000000 implements MigrationInterface {
  name = 'PriorityRank1764930000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'tickets',
      new TableColumn({ ...int('priority_rank'), default: 1 }),
    );
    for (const [priority, rank] of RANKS) {
      // Plain SQL both databases read alike (`?` placeholders), independent of the entity.
      await queryRunner.query('UPDATE tickets SET priority_rank = ? WHERE priority = ?', [
        rank,
        priority,
      ]);
    }
    // `priority_rank DESC` in the index itself on MariaDB/MySQL: the queue orders by
    // `priority_rank DESC, sla_due_at ASC, id ASC`, mixed directions that an all-ascending index
    // cannot give, so MariaDB sorted every active ticket of the queue (filesort) for each page.
    // With the rank descending in the index it reads the first 25 in order and stops
    // (docs/benchmarks.md). TypeORM's schema API has no per-column direction, and on SQLite it
    // rebuilds the table (and its indexes, ascending) whenever a later migration adds a column,
    // so SQLite keeps the schema API's index; the entity's @Index names the same columns.
    if (queryRunner.connection.driver.options.type === 'better-sqlite3') {
      await queryRunner.createIndex(
        'tickets',
        index('ix_tickets_queue_priority_sla', ['queue_id', 'priority_rank', 'sla_due_at']),
      );
    } else {
      await queryRunner.query(
        'CREATE INDEX ix_tickets_queue_priority_sla ON tickets (queue_id, priority_rank DESC, sla_due_at)',
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('tickets', 'ix_tickets_queue_priority_sla');
    await queryRunner.dropColumn('tickets', 'priority_rank');
  }
}
