import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { datetime, fk, id, index, int, varchar } from './schema-columns.util';

/**
 * Telephony: the site a caller's phone code tagged, Twilio's queue result, the callback to-do
 * state of missed calls and voicemails, and the admin closure dates of the business calendar.
 */
export class TelephonyCallWork1764200000000 implements MigrationInterface {
  name = 'TelephonyCallWork1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('calls', [
      new TableColumn(int('site_id', true)),
      new TableColumn(varchar('queue_result', 32, true)),
      new TableColumn(datetime('callback_done_at', true)),
      new TableColumn(int('callback_done_by_user_id', true)),
    ]);
    await queryRunner.createForeignKeys('calls', [
      fk('fk_calls_site', 'site_id', 'sites', 'SET NULL'),
      fk('fk_calls_callback_done_by', 'callback_done_by_user_id', 'users', 'SET NULL'),
    ]);
    await queryRunner.createIndex(
      'calls',
      index('ix_calls_status_enqueued', ['status', 'enqueued_at']),
    );
    await queryRunner.createIndex(
      'calls',
      index('ix_calls_outcome_callback', ['outcome', 'callback_done_at']),
    );
    await queryRunner.createIndex('calls', index('ix_calls_started', ['started_at']));
    await queryRunner.createTable(
      new Table({
        name: 'calendar_closures',
        columns: [
          id(),
          varchar('date', 10),
          varchar('reason', 200),
          int('created_by_user_id', true),
          datetime('created_at'),
        ],
        indices: [index('uq_calendar_closures_date', ['date'], true)],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('calendar_closures');
    await queryRunner.dropIndex('calls', 'ix_calls_started');
    await queryRunner.dropIndex('calls', 'ix_calls_outcome_callback');
    await queryRunner.dropIndex('calls', 'ix_calls_status_enqueued');
    await queryRunner.dropForeignKey('calls', 'fk_calls_callback_done_by');
    await queryRunner.dropForeignKey('calls', 'fk_calls_site');
    await queryRunner.dropColumn('calls', 'callback_done_by_user_id');
    await queryRunner.dropColumn('calls', 'callback_done_at');
    await queryRunner.dropColumn('calls', 'queue_result');
    await queryRunner.dropColumn('calls', 'site_id');
  }
}
