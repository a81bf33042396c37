import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { datetime, index, int } from './schema-columns.util';

/**
 * Security: the once-an-hour claim of the bulk-view alert per user, and an index to count one
 * user's distinct ticket views of the last hour from the audit trail.
 */
export class BulkViewAlerts1764700000000 implements MigrationInterface {
  name = 'BulkViewAlerts1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'bulk_view_alerts',
        columns: [
          { ...int('user_id'), isPrimary: true },
          datetime('alerted_at'),
          int('distinct_tickets'),
        ],
      }),
    );
    await queryRunner.createIndex(
      'audit_events',
      index('ix_audit_events_actor_action_time', ['actor_id', 'action', 'created_at']),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('audit_events', 'ix_audit_events_actor_action_time');
    await queryRunner.dropTable('bulk_view_alerts');
  }
}
