import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { datetime, fk, id, index, int, text, varchar } from './schema-columns.util';

/**
 * Determinations (issue 13.1): whether a ticket's requester was on the leaked data, with its
 * evidence, the list upload it was made against, and a review flag. History is kept: a newer
 * row supersedes the current one; `current_ticket_id` (unique) allows one current row a ticket.
 */
export class TicketDeterminations1764800000000 implements MigrationInterface {
  name = 'TicketDeterminations1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'ticket_determinations',
        columns: [
          id(),
          int('ticket_id'),
          int('merchant_id'),
          int('incident_id'),
          varchar('outcome', 16),
          varchar('evidence', 32),
          text('reason', true),
          int('list_upload_id', true),
          varchar('actor_type', 16),
          int('decided_by_user_id', true),
          datetime('created_at'),
          int('current_ticket_id', true),
          datetime('superseded_at', true),
          datetime('review_flagged_at', true),
          varchar('review_reason', 32, true),
          int('review_upload_id', true),
        ],
        indices: [
          index('uq_ticket_determinations_current', ['current_ticket_id'], true),
          index('ix_ticket_determinations_ticket', ['ticket_id']),
          index('ix_ticket_determinations_scope', ['merchant_id', 'incident_id']),
        ],
        foreignKeys: [
          fk('fk_ticket_determinations_ticket', 'ticket_id', 'tickets', 'CASCADE'),
          fk('fk_ticket_determinations_merchant', 'merchant_id', 'merchants', 'CASCADE'),
          fk('fk_ticket_determinations_incident', 'incident_id', 'incidents', 'CASCADE'),
          fk(
            'fk_ticket_determinations_upload',
            'list_upload_id',
            'affected_list_uploads',
            'SET NULL',
          ),
          fk('fk_ticket_determinations_user', 'decided_by_user_id', 'users', 'SET NULL'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ticket_determinations');
  }
}
