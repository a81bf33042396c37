import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { datetime, fk, id, index, int, text, varchar } from './schema-columns.util';

/**
 * Issue 15, the phone desk finished (docs/telephony.md): each staff user's availability for
 * the window (`users.call_availability`), the overflow offer and the callback request on calls,
 * callbacks claimed by one agent with attempts, outcome and a sealed note, and recordings kept
 * sealed in the desk (`call_recording_parts`, 32 KiB slices) once fetched from Twilio.
 */
export class PhoneDesk1764970000000 implements MigrationInterface {
  name = 'PhoneDesk1764970000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'users',
      new TableColumn({ ...varchar('call_availability', 16), default: "'available'" }),
    );
    await queryRunner.addColumns('calls', [
      new TableColumn(datetime('overflow_offered_at', true)),
      new TableColumn(datetime('callback_requested_at', true)),
      new TableColumn(int('callback_claimed_by_user_id', true)),
      new TableColumn(datetime('callback_claimed_at', true)),
      new TableColumn({ ...int('callback_attempts'), default: 0 }),
      new TableColumn(varchar('callback_outcome', 16, true)),
      new TableColumn(text('callback_note', true)),
      new TableColumn(datetime('callback_attempted_at', true)),
      new TableColumn(datetime('recording_stored_at', true)),
      new TableColumn(varchar('recording_content_type', 64, true)),
      new TableColumn(datetime('recording_remote_deleted_at', true)),
    ]);
    await queryRunner.createForeignKey(
      'calls',
      fk('fk_calls_callback_claimed_by', 'callback_claimed_by_user_id', 'users', 'SET NULL'),
    );
    await queryRunner.createTable(
      new Table({
        name: 'call_recording_parts',
        columns: [id(), int('call_id'), int('part_no'), text('content')],
        indices: [index('uq_call_recording_parts_call_part', ['call_id', 'part_no'], true)],
        foreignKeys: [fk('fk_call_recording_parts_call', 'call_id', 'calls', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('call_recording_parts');
    await queryRunner.dropForeignKey('calls', 'fk_calls_callback_claimed_by');
    for (const column of [
      'recording_remote_deleted_at',
      'recording_content_type',
      'recording_stored_at',
      'callback_attempted_at',
      'callback_note',
      'callback_outcome',
      'callback_attempts',
      'callback_claimed_at',
      'callback_claimed_by_user_id',
      'callback_requested_at',
      'overflow_offered_at',
    ]) {
      await queryRunner.dropColumn('calls', column);
    }
    await queryRunner.dropColumn('users', 'call_availability');
  }
}
