import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { datetime, fk, id, index, int, varchar } from './schema-columns.util';

/** Issue 15: bulk actions on the ticket lists (a stored run and one item per ticket). */
export class BulkActions1764951000000 implements MigrationInterface {
  name = 'BulkActions1764951000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'bulk_runs',
        columns: [
          id(),
          varchar('action', 16),
          varchar('params', 255),
          varchar('state', 16),
          varchar('return_to', 255),
          int('total'),
          int('done_count'),
          int('skipped_count'),
          int('created_by_user_id'),
          datetime('created_at'),
          datetime('started_at', true),
          datetime('finished_at', true),
        ],
        foreignKeys: [fk('fk_bulk_runs_user', 'created_by_user_id', 'users', 'CASCADE')],
        indices: [index('ix_bulk_runs_user', ['created_by_user_id', 'id'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'bulk_run_items',
        columns: [
          id(),
          int('bulk_run_id'),
          int('ticket_id'),
          int('expected_version'),
          varchar('state', 16),
          varchar('skip_reason', 32, true),
          varchar('skip_detail', 255, true),
          int('message_id', true),
          datetime('processed_at', true),
        ],
        foreignKeys: [
          fk('fk_bulk_run_items_run', 'bulk_run_id', 'bulk_runs', 'CASCADE'),
          fk('fk_bulk_run_items_ticket', 'ticket_id', 'tickets', 'CASCADE'),
        ],
        indices: [index('uq_bulk_run_items_ticket', ['bulk_run_id', 'ticket_id'], true)],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('bulk_run_items');
    await queryRunner.dropTable('bulk_runs');
  }
}
