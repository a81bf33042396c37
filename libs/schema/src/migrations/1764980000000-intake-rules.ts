import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { bool, datetime, fk, id, index, int, text, varchar } from './schema-columns.util';

/**
 * Issue 15, rules: `rules` (intake triggers and the pending-customer automation, edited by
 * admins) and, on tickets, when the ticket last entered `pending_customer` and when the
 * automation's one reminder for that wait went out. Tickets already waiting count from their
 * last change.
 */
export class IntakeRules1764980000000 implements MigrationInterface {
  name = 'IntakeRules1764980000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rules',
        columns: [
          id(),
          varchar('kind', 16),
          varchar('name', 100),
          int('merchant_id', true),
          int('position'),
          bool('enabled'),
          bool('stop_processing'),
          text('conditions'),
          text('actions'),
          int('updated_by_user_id', true),
          datetime('created_at'),
          datetime('updated_at'),
          int('version'),
        ],
        indices: [index('ix_rules_kind_position', ['kind', 'position'])],
        foreignKeys: [
          fk('fk_rules_merchant', 'merchant_id', 'merchants', 'CASCADE'),
          fk('fk_rules_updated_by', 'updated_by_user_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await queryRunner.addColumns('tickets', [
      new TableColumn(datetime('pending_customer_since', true)),
      new TableColumn(datetime('pending_reminded_at', true)),
    ]);
    await queryRunner.createIndex(
      'tickets',
      index('ix_tickets_pending_customer', ['status', 'pending_customer_since']),
    );
    await queryRunner.manager
      .createQueryBuilder()
      .update('tickets')
      .set({ pendingCustomerSince: () => 'updated_at' })
      .where('status = :status', { status: 'pending_customer' })
      .execute();
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('tickets', 'ix_tickets_pending_customer');
    await queryRunner.dropColumn('tickets', 'pending_reminded_at');
    await queryRunner.dropColumn('tickets', 'pending_customer_since');
    await queryRunner.dropTable('rules');
  }
}
