import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { datetime, fk, id, index, int, text, varchar } from './schema-columns.util';

/**
 * Issue 15, presence and the reply box. `ticket_presence`: who has a ticket open, viewing or
 * writing, as each desk page's heartbeat last said (one row per ticket and user, read across
 * every desk instance, stale after 30 s; no personal data). `user_signatures`: the name and the
 * signature an agent sets on their account page, appended to their replies.
 */
export class PresenceSignature1764960000000 implements MigrationInterface {
  name = 'PresenceSignature1764960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'ticket_presence',
        columns: [
          id(),
          int('ticket_id'),
          int('user_id'),
          varchar('state', 16),
          datetime('last_seen_at'),
        ],
        indices: [
          index('uq_ticket_presence_ticket_user', ['ticket_id', 'user_id'], true),
          index('ix_ticket_presence_seen', ['last_seen_at']),
          index('ix_ticket_presence_user', ['user_id']),
        ],
        foreignKeys: [
          fk('fk_ticket_presence_ticket', 'ticket_id', 'tickets', 'CASCADE'),
          fk('fk_ticket_presence_user', 'user_id', 'users', 'CASCADE'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user_signatures',
        columns: [
          id(),
          int('user_id'),
          varchar('signature_name', 100),
          text('signature_text', true),
          datetime('updated_at'),
        ],
        indices: [index('uq_user_signatures_user', ['user_id'], true)],
        foreignKeys: [fk('fk_user_signatures_user', 'user_id', 'users', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user_signatures');
    await queryRunner.dropTable('ticket_presence');
  }
}
