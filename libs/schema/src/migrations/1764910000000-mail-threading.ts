import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { datetime, fk, id, index, int, text, varchar } from './schema-columns.util';

/**
 * Mail threading (issue 14, docs/email.md): each ticket's reply addresses (the token hashed for
 * lookup, sealed to repeat it), the Message-IDs of the mails sent about tickets (blind-indexed),
 * and the status token kept sealed beside its hash so every mail can repeat the status link.
 */
export class MailThreading1764910000000 implements MigrationInterface {
  name = 'MailThreading1764910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'reply_addresses',
        columns: [
          id(),
          varchar('token_hash', 64),
          text('token'),
          int('ticket_id'),
          int('merchant_id'),
          varchar('audience', 16),
          datetime('created_at'),
        ],
        indices: [
          index('uq_reply_addresses_token', ['token_hash'], true),
          index('uq_reply_addresses_ticket_audience', ['ticket_id', 'audience'], true),
        ],
        foreignKeys: [fk('fk_reply_addresses_ticket', 'ticket_id', 'tickets', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sent_mail_ids',
        columns: [
          id(),
          varchar('message_id_hash', 64),
          text('message_id_header'),
          int('ticket_id', true),
          int('message_id', true),
          int('outbox_job_id', true),
          varchar('audience', 16, true),
          datetime('created_at'),
        ],
        indices: [
          index('uq_sent_mail_ids_hash', ['message_id_hash'], true),
          index('ix_sent_mail_ids_ticket', ['ticket_id', 'id']),
        ],
        foreignKeys: [fk('fk_sent_mail_ids_ticket', 'ticket_id', 'tickets', 'CASCADE')],
      }),
    );
    await queryRunner.addColumn('tickets', new TableColumn(text('status_token', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('tickets', 'status_token');
    await queryRunner.dropTable('sent_mail_ids');
    await queryRunner.dropTable('reply_addresses');
  }
}
