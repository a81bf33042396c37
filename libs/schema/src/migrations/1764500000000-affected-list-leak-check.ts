import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { datetime, fk, id, index, int, varchar } from './schema-columns.util';

/**
 * Incident mode, affected-customer lists and the end user's verified check: the list holds
 * only blind indexes (no values), uploads only counts, codes only keyed hashes.
 */
export class AffectedListLeakCheck1764500000000 implements MigrationInterface {
  name = 'AffectedListLeakCheck1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'affected_list_uploads',
        columns: [
          id(),
          int('incident_id'),
          int('merchant_id'),
          int('uploaded_by_user_id', true),
          varchar('mode', 8),
          varchar('encoding', 16),
          int('rows_read'),
          int('rows_added'),
          int('duplicate_rows'),
          int('rows_rejected'),
          int('list_size'),
          datetime('created_at'),
        ],
        indices: [
          index('ix_affected_list_uploads_scope', ['merchant_id', 'incident_id', 'created_at']),
        ],
        foreignKeys: [
          fk('fk_affected_list_uploads_incident', 'incident_id', 'incidents', 'CASCADE'),
          fk('fk_affected_list_uploads_merchant', 'merchant_id', 'merchants', 'CASCADE'),
          fk('fk_affected_list_uploads_user', 'uploaded_by_user_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'affected_list_entries',
        columns: [
          id(),
          int('incident_id'),
          int('merchant_id'),
          varchar('kind', 8),
          varchar('value_index', 64),
          datetime('created_at'),
        ],
        indices: [
          index(
            'uq_affected_list_entries_value',
            ['incident_id', 'merchant_id', 'value_index'],
            true,
          ),
          index('ix_affected_list_entries_merchant', ['merchant_id']),
        ],
        foreignKeys: [
          fk('fk_affected_list_entries_incident', 'incident_id', 'incidents', 'CASCADE'),
          fk('fk_affected_list_entries_merchant', 'merchant_id', 'merchants', 'CASCADE'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'leak_check_codes',
        columns: [
          id(),
          int('ticket_id'),
          varchar('code_hash', 64),
          int('attempts'),
          datetime('created_at'),
          datetime('expires_at'),
          datetime('used_at', true),
          varchar('result', 16, true),
        ],
        indices: [index('ix_leak_check_codes_ticket', ['ticket_id', 'created_at'])],
        foreignKeys: [fk('fk_leak_check_codes_ticket', 'ticket_id', 'tickets', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('leak_check_codes');
    await queryRunner.dropTable('affected_list_entries');
    await queryRunner.dropTable('affected_list_uploads');
  }
}
