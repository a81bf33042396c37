import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { datetime, fk, id, index, int, varchar } from './schema-columns.util';

/**
 * Issue 14, mail that arrives: `inbound_mails`, one row per mail received (idempotency by the
 * Message-ID's blind index, the per-sender rate limit, what became of it; no personal data),
 * and a site's own inbound address besides `<slug>@` the inbound domain (`sites.inbound_alias`).
 */
export class InboundMail1764920000000 implements MigrationInterface {
  name = 'InboundMail1764920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'inbound_mails',
        columns: [
          id(),
          varchar('message_id_hash', 64),
          varchar('transport', 8),
          varchar('outcome', 16),
          varchar('reason', 32, true),
          int('ticket_id', true),
          int('merchant_id', true),
          varchar('sender_index', 64, true),
          datetime('received_at'),
        ],
        indices: [
          index('uq_inbound_mails_message_id', ['message_id_hash'], true),
          index('ix_inbound_mails_sender_received', ['sender_index', 'received_at']),
          index('ix_inbound_mails_received', ['received_at']),
        ],
        foreignKeys: [fk('fk_inbound_mails_ticket', 'ticket_id', 'tickets', 'SET NULL')],
      }),
    );
    await queryRunner.addColumn('sites', new TableColumn(varchar('inbound_alias', 254, true)));
    await queryRunner.createIndex(
      'sites',
      index('uq_sites_inbound_alias', ['inbound_alias'], true),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('sites', 'uq_sites_inbound_alias');
    await queryRunner.dropColumn('sites', 'inbound_alias');
    await queryRunner.dropTable('inbound_mails');
  }
}
