import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { datetime, fk, id, index, int, text, varchar } from './schema-columns.util';

/**
 * Ticketing core: server-side sessions, canned responses, and one SLA due column on tickets so
 * a queue sorted by urgency reads one index.
 */
export class SessionsCannedResponsesSla1764100000000 implements MigrationInterface {
  name = 'SessionsCannedResponsesSla1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          id(),
          varchar('token_hash', 64),
          int('user_id'),
          varchar('csrf_token', 64),
          text('pending_totp_secret', true),
          varchar('ip', 45, true),
          varchar('user_agent', 255, true),
          datetime('created_at'),
          datetime('last_seen_at'),
          datetime('expires_at'),
          datetime('revoked_at', true),
        ],
        indices: [
          index('uq_sessions_token_hash', ['token_hash'], true),
          index('ix_sessions_user', ['user_id']),
        ],
        foreignKeys: [fk('fk_sessions_user', 'user_id', 'users', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'canned_responses',
        columns: [
          id(),
          int('merchant_id', true),
          varchar('title', 200),
          text('body'),
          int('updated_by_user_id', true),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [index('ix_canned_responses_merchant', ['merchant_id'])],
        foreignKeys: [
          fk('fk_canned_responses_merchant', 'merchant_id', 'merchants', 'CASCADE'),
          fk('fk_canned_responses_updated_by', 'updated_by_user_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await queryRunner.addColumn('tickets', new TableColumn(datetime('sla_due_at', true)));
    await queryRunner.createIndex(
      'tickets',
      index('ix_tickets_queue_sla_due', ['queue_id', 'sla_due_at']),
    );
    await queryRunner.createIndex('tickets', index('ix_tickets_updated_at', ['updated_at']));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('tickets', 'ix_tickets_updated_at');
    await queryRunner.dropIndex('tickets', 'ix_tickets_queue_sla_due');
    await queryRunner.dropColumn('tickets', 'sla_due_at');
    await queryRunner.dropTable('canned_responses');
    await queryRunner.dropTable('sessions');
  }
}
