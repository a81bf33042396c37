import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { datetime, fk, id, index, int, varchar } from './schema-columns.util';

/**
 * Issue 15, requester history and merge: a ticket's probable-duplicate pointer (same requester
 * and site within 24 hours), the merge pointer and time, the ticket a merged message came from,
 * and the branded form's one-time tokens (hashed, per site, with the ticket they made).
 */
export class DuplicatesMerge1764940000000 implements MigrationInterface {
  name = 'DuplicatesMerge1764940000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('tickets', [
      new TableColumn(int('probable_duplicate_of_id', true)),
      new TableColumn(int('merged_into_id', true)),
      new TableColumn(datetime('merged_at', true)),
    ]);
    await queryRunner.createIndex('tickets', index('ix_tickets_merged_into', ['merged_into_id']));
    await queryRunner.addColumn('messages', new TableColumn(int('merged_from_ticket_id', true)));
    await queryRunner.createTable(
      new Table({
        name: 'inquiry_form_tokens',
        columns: [
          id(),
          int('site_id'),
          varchar('token_hash', 64),
          int('ticket_id'),
          datetime('created_at'),
        ],
        indices: [index('uq_inquiry_form_tokens_site_token', ['site_id', 'token_hash'], true)],
        foreignKeys: [
          fk('fk_inquiry_form_tokens_site', 'site_id', 'sites', 'CASCADE'),
          fk('fk_inquiry_form_tokens_ticket', 'ticket_id', 'tickets', 'CASCADE'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('inquiry_form_tokens');
    await queryRunner.dropColumn('messages', 'merged_from_ticket_id');
    await queryRunner.dropIndex('tickets', 'ix_tickets_merged_into');
    await queryRunner.dropColumns('tickets', [
      'merged_at',
      'merged_into_id',
      'probable_duplicate_of_id',
    ]);
  }
}
