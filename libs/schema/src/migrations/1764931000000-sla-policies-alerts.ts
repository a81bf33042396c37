import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { datetime, fk, id, index, int, varchar } from './schema-columns.util';

/**
 * Issue 15 (SLA policies and alerts): the merchants' SLA policies (merchant × priority × optional
 * category, '' for every category → first-response and resolution minutes of business time), the
 * alerts of due-soon and breached deadlines (once per ticket × kind × deadline), each supervisor's
 * read state, the mail opt-in, and the worker's first-run mark.
 */
export class SlaPoliciesAlerts1764931000000 implements MigrationInterface {
  name = 'SlaPoliciesAlerts1764931000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sla_policies',
        columns: [
          id(),
          int('merchant_id'),
          varchar('priority', 16),
          varchar('category', 32),
          int('first_response_minutes'),
          int('resolution_minutes'),
          int('updated_by_user_id', true),
          datetime('updated_at'),
        ],
        indices: [
          index(
            'uq_sla_policies_merchant_priority_category',
            ['merchant_id', 'priority', 'category'],
            true,
          ),
        ],
        foreignKeys: [fk('fk_sla_policies_merchant', 'merchant_id', 'merchants', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sla_alerts',
        columns: [
          id(),
          int('ticket_id'),
          int('merchant_id'),
          int('queue_id'),
          varchar('kind', 16),
          datetime('deadline'),
          datetime('created_at'),
        ],
        indices: [
          index('uq_sla_alerts_ticket_kind_deadline', ['ticket_id', 'kind', 'deadline'], true),
          index('ix_sla_alerts_queue_created', ['queue_id', 'created_at']),
        ],
        foreignKeys: [fk('fk_sla_alerts_ticket', 'ticket_id', 'tickets', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sla_alert_recipients',
        columns: [
          { ...int('alert_id'), isPrimary: true },
          { ...int('user_id'), isPrimary: true },
          datetime('read_at', true),
        ],
        indices: [index('ix_sla_alert_recipients_user_read', ['user_id', 'read_at'])],
        foreignKeys: [
          fk('fk_sla_alert_recipients_alert', 'alert_id', 'sla_alerts', 'CASCADE'),
          fk('fk_sla_alert_recipients_user', 'user_id', 'users', 'CASCADE'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sla_alert_mail_opt_ins',
        columns: [{ ...int('user_id'), isPrimary: true }, datetime('created_at')],
        foreignKeys: [fk('fk_sla_alert_mail_opt_ins_user', 'user_id', 'users', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sla_alert_marks',
        columns: [{ ...varchar('name', 32), isPrimary: true }, datetime('at')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'sla_alert_marks',
      'sla_alert_mail_opt_ins',
      'sla_alert_recipients',
      'sla_alerts',
      'sla_policies',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
