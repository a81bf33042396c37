import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { datetime, fk, id, index, int, varchar } from './schema-columns.util';

/** Incident mode: bulk sends of an approved answer and their per-ticket items. */
export class BulkSends1764450000000 implements MigrationInterface {
  name = 'BulkSends1764450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'bulk_sends',
        columns: [
          id(),
          int('merchant_id'),
          int('incident_id'),
          int('version_id'),
          varchar('selection', 32),
          varchar('state', 16),
          int('total'),
          int('created_by_user_id'),
          datetime('created_at'),
          datetime('finished_at', true),
        ],
        foreignKeys: [
          fk('fk_bulk_sends_merchant', 'merchant_id', 'merchants', 'CASCADE'),
          fk('fk_bulk_sends_incident', 'incident_id', 'incidents', 'CASCADE'),
          fk('fk_bulk_sends_version', 'version_id', 'answer_template_versions', 'RESTRICT'),
          fk('fk_bulk_sends_user', 'created_by_user_id', 'users', 'RESTRICT'),
        ],
        indices: [
          index('ix_bulk_sends_state', ['state', 'id']),
          index('ix_bulk_sends_merchant', ['merchant_id', 'id']),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'bulk_send_items',
        columns: [
          id(),
          int('bulk_send_id'),
          int('ticket_id'),
          varchar('state', 16),
          varchar('skip_reason', 32, true),
          int('message_id', true),
          datetime('processed_at', true),
        ],
        foreignKeys: [
          fk('fk_bulk_send_items_run', 'bulk_send_id', 'bulk_sends', 'CASCADE'),
          fk('fk_bulk_send_items_ticket', 'ticket_id', 'tickets', 'CASCADE'),
        ],
        indices: [
          index('uq_bulk_send_items_ticket', ['bulk_send_id', 'ticket_id'], true),
          index('ix_bulk_send_items_state', ['bulk_send_id', 'state', 'id']),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('bulk_send_items');
    await queryRunner.dropTable('bulk_sends');
  }
}
