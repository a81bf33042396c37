import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { datetime, fk, id, index, int, text, varchar } from './schema-columns.util';

/**
 * Attachments (issue 14): files on messages, checked (type from the bytes, metadata stripped,
 * name sanitised) and stored encrypted in the database, so every instance and every backup has
 * them and no file path exists. `attachments` holds the encrypted name and the facts shown in
 * lists; `attachment_parts` the bytes, as sealed base64 slices of 32 KiB (each value well under
 * MySQL's TEXT limit and max_allowed_packet, and small pages for the key rotation).
 */
export class Attachments1764900000000 implements MigrationInterface {
  name = 'Attachments1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'attachments',
        columns: [
          id(),
          int('ticket_id'),
          int('message_id'),
          int('merchant_id'),
          text('filename'),
          varchar('content_type', 100),
          int('size'),
          datetime('created_at'),
        ],
        indices: [
          index('ix_attachments_message', ['message_id', 'id']),
          index('ix_attachments_ticket', ['ticket_id']),
        ],
        foreignKeys: [
          fk('fk_attachments_ticket', 'ticket_id', 'tickets', 'CASCADE'),
          fk('fk_attachments_message', 'message_id', 'messages', 'CASCADE'),
          fk('fk_attachments_merchant', 'merchant_id', 'merchants', 'RESTRICT'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'attachment_parts',
        columns: [id(), int('attachment_id'), int('part_no'), text('content')],
        indices: [index('uq_attachment_parts_attachment_part', ['attachment_id', 'part_no'], true)],
        foreignKeys: [
          fk('fk_attachment_parts_attachment', 'attachment_id', 'attachments', 'CASCADE'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('attachment_parts');
    await queryRunner.dropTable('attachments');
  }
}
