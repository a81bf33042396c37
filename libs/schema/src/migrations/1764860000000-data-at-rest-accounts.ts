import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';
import { loadConfig } from '@madoguchi/config';
import { FieldCipher, resolveCryptoKeys } from '@madoguchi/crypto';
import { datetime, index, int, text, varchar } from './schema-columns.util';

const SEALED = /^enc1:/;

type RecordingRow = {
  id: number | string;
  recording_sid: string | null;
  recording_url: string | null;
};

/**
 * Issue 18, data at rest and accounts:
 * - `calls.recording_sid` and `recording_url` become FieldCipher values (text columns, in
 *   ENCRYPTED_COLUMNS). `up` seals the plaintext rows already there and `down` opens them again,
 *   with the keys of the environment (FIELD_ENCRYPTION_KEYS, as for the apps); a database with no
 *   recording needs no key.
 * - `users.password_reset_token_hash` / `password_reset_expires_at`: the forgotten-password
 *   link's one-time token, stored as SHA-256 like invitations.
 * - `merchants.require_totp`: a merchant admin requires a second factor of its users.
 * - `outbox_jobs.ticket_id`: the ticket a mail is about, so retention erases its mails with it;
 *   an index on (status, sent_at) for the purge of sent mail.
 */
export class DataAtRestAccounts1764860000000 implements MigrationInterface {
  name = 'DataAtRestAccounts1764860000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await retypeRecordings(queryRunner, [text('recording_sid', true), text('recording_url', true)]);
    await rewriteRecordings(queryRunner, (cipher, value) =>
      SEALED.test(value) ? value : cipher.encrypt(value),
    );
    await queryRunner.addColumns('users', [
      new TableColumn(varchar('password_reset_token_hash', 64, true)),
      new TableColumn(datetime('password_reset_expires_at', true)),
    ]);
    await queryRunner.createIndex(
      'users',
      index('uq_users_password_reset_token', ['password_reset_token_hash'], true),
    );
    await queryRunner.addColumn(
      'merchants',
      new TableColumn({ name: 'require_totp', type: 'boolean', isNullable: false, default: 0 }),
    );
    await queryRunner.addColumn('outbox_jobs', new TableColumn(int('ticket_id', true)));
    await queryRunner.createIndex('outbox_jobs', index('ix_outbox_jobs_ticket', ['ticket_id']));
    await queryRunner.createIndex(
      'outbox_jobs',
      index('ix_outbox_jobs_status_sent', ['status', 'sent_at']),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox_jobs', 'ix_outbox_jobs_status_sent');
    await queryRunner.dropIndex('outbox_jobs', 'ix_outbox_jobs_ticket');
    await queryRunner.dropColumn('outbox_jobs', 'ticket_id');
    await queryRunner.dropColumn('merchants', 'require_totp');
    await queryRunner.dropIndex('users', 'uq_users_password_reset_token');
    await queryRunner.dropColumn('users', 'password_reset_expires_at');
    await queryRunner.dropColumn('users', 'password_reset_token_hash');
    await rewriteRecordings(queryRunner, (cipher, value) =>
      SEALED.test(value) ? cipher.decrypt(value) : value,
    );
    await retypeRecordings(queryRunner, [
      varchar('recording_sid', 64, true),
      varchar('recording_url', 500, true),
    ]);
  }
}

/**
 * Changes the recording columns' type keeping their values. TypeORM's `changeColumn` on MySQL
 * drops and re-adds a column whose type changes (the values would be lost), so MySQL/MariaDB get
 * one `ALTER TABLE … MODIFY`; SQLite's `changeColumn` rebuilds the table with its rows.
 */
async function retypeRecordings(
  queryRunner: QueryRunner,
  columns: TableColumnOptions[],
): Promise<void> {
  const type = queryRunner.connection.options.type;
  if (type === 'mysql' || type === 'mariadb') {
    const sql = (column: TableColumnOptions) =>
      `MODIFY \`${column.name}\` ${column.type}${column.length ? `(${column.length})` : ''} NULL`;
    await queryRunner.query(`ALTER TABLE \`calls\` ${columns.map(sql).join(', ')}`);
    return;
  }
  for (const column of columns) {
    await queryRunner.changeColumn('calls', column.name, new TableColumn(column));
  }
}

/** Rewrites every stored recording value; the keys are read only when there is a row to rewrite. */
async function rewriteRecordings(
  queryRunner: QueryRunner,
  rewrite: (cipher: FieldCipher, value: string) => string,
): Promise<void> {
  const rows = (await queryRunner.query(
    'SELECT id, recording_sid, recording_url FROM calls ' +
      'WHERE recording_sid IS NOT NULL OR recording_url IS NOT NULL',
  )) as RecordingRow[];
  if (rows.length === 0) return;
  const cipher = new FieldCipher(resolveCryptoKeys(loadConfig()));
  for (const row of rows) {
    await queryRunner.query('UPDATE calls SET recording_sid = ?, recording_url = ? WHERE id = ?', [
      row.recording_sid === null ? null : rewrite(cipher, row.recording_sid),
      row.recording_url === null ? null : rewrite(cipher, row.recording_url),
      row.id,
    ]);
  }
}
