import type { MigrationInterface, QueryRunner } from 'typeorm';
import { index } from './schema-columns.util';

/**
 * Benchmarks (docs/benchmarks.md): with a million tickets, counting a queue's active tickets
 * read every active row, since `sla_due_at` and `assignee_id` were not in the index on
 * (queue_id, status, first_response_due_at) — thousands of random row reads per queue page and
 * per queue summary. The replacement carries both, so the page's count and the queue summaries
 * (by status, by SLA state, unassigned) read the index alone. No query orders by
 * first_response_due_at any more; the page itself keeps (queue_id, sla_due_at).
 */
export class QueueStatusSlaIndex1764600000000 implements MigrationInterface {
  name = 'QueueStatusSlaIndex1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'tickets',
      index('ix_tickets_queue_status_sla', ['queue_id', 'status', 'sla_due_at', 'assignee_id']),
    );
    await queryRunner.dropIndex('tickets', 'ix_tickets_queue_due');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'tickets',
      index('ix_tickets_queue_due', ['queue_id', 'status', 'first_response_due_at']),
    );
    await queryRunner.dropIndex('tickets', 'ix_tickets_queue_status_sla');
  }
}
