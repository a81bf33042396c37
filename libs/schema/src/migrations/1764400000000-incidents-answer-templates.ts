import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { bool, datetime, fk, id, index, int, text, varchar } from './schema-columns.util';

/**
 * Incident mode: incidents and the merchants they affect, answer templates with immutable
 * versions and each merchant's approval, the incident a ticket is about, and the approved
 * version a reply used.
 */
export class IncidentsAnswerTemplates1764400000000 implements MigrationInterface {
  name = 'IncidentsAnswerTemplates1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'incidents',
        columns: [
          id(),
          varchar('title', 200),
          text('description'),
          text('leaked_items'),
          datetime('occurred_from', true),
          datetime('occurred_to', true),
          int('created_by_user_id', true),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        foreignKeys: [fk('fk_incidents_created_by', 'created_by_user_id', 'users', 'SET NULL')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'incident_merchants',
        columns: [
          id(),
          int('incident_id'),
          int('merchant_id'),
          bool('affected'),
          varchar('notice_date', 10, true),
        ],
        indices: [
          index('uq_incident_merchants', ['incident_id', 'merchant_id'], true),
          index('ix_incident_merchants_merchant', ['merchant_id', 'affected']),
        ],
        foreignKeys: [
          fk('fk_incident_merchants_incident', 'incident_id', 'incidents', 'CASCADE'),
          fk('fk_incident_merchants_merchant', 'merchant_id', 'merchants', 'CASCADE'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'answer_templates',
        columns: [
          id(),
          int('incident_id'),
          varchar('title', 200),
          varchar('purpose', 32),
          datetime('created_at'),
        ],
        indices: [index('ix_answer_templates_incident', ['incident_id', 'purpose'])],
        foreignKeys: [fk('fk_answer_templates_incident', 'incident_id', 'incidents', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'answer_template_versions',
        columns: [
          id(),
          int('template_id'),
          int('version'),
          text('body'),
          int('created_by_user_id', true),
          datetime('created_at'),
        ],
        indices: [index('uq_answer_template_versions', ['template_id', 'version'], true)],
        foreignKeys: [
          fk('fk_answer_template_versions_template', 'template_id', 'answer_templates', 'CASCADE'),
          fk('fk_answer_template_versions_created_by', 'created_by_user_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'answer_approvals',
        columns: [
          id(),
          int('version_id'),
          int('merchant_id'),
          varchar('decision', 24),
          text('comment', true),
          int('decided_by_user_id'),
          datetime('decided_at'),
        ],
        indices: [
          index('uq_answer_approvals', ['version_id', 'merchant_id'], true),
          index('ix_answer_approvals_merchant', ['merchant_id', 'decision']),
        ],
        foreignKeys: [
          fk('fk_answer_approvals_version', 'version_id', 'answer_template_versions', 'CASCADE'),
          fk('fk_answer_approvals_merchant', 'merchant_id', 'merchants', 'CASCADE'),
          fk('fk_answer_approvals_user', 'decided_by_user_id', 'users', 'RESTRICT'),
        ],
      }),
    );
    await queryRunner.addColumn('tickets', new TableColumn(int('incident_id', true)));
    await queryRunner.createIndex(
      'tickets',
      index('ix_tickets_incident', ['incident_id', 'merchant_id', 'status']),
    );
    await queryRunner.createForeignKey(
      'tickets',
      fk('fk_tickets_incident', 'incident_id', 'incidents', 'SET NULL'),
    );
    await queryRunner.addColumn('messages', new TableColumn(int('answer_version_id', true)));
    await queryRunner.createIndex(
      'messages',
      index('ix_messages_answer_version', ['answer_version_id']),
    );
    await queryRunner.createForeignKey(
      'messages',
      fk('fk_messages_answer_version', 'answer_version_id', 'answer_template_versions', 'RESTRICT'),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropForeignKey('messages', 'fk_messages_answer_version');
    await queryRunner.dropIndex('messages', 'ix_messages_answer_version');
    await queryRunner.dropColumn('messages', 'answer_version_id');
    await queryRunner.dropForeignKey('tickets', 'fk_tickets_incident');
    await queryRunner.dropIndex('tickets', 'ix_tickets_incident');
    await queryRunner.dropColumn('tickets', 'incident_id');
    await queryRunner.dropTable('answer_approvals');
    await queryRunner.dropTable('answer_template_versions');
    await queryRunner.dropTable('answer_templates');
    await queryRunner.dropTable('incident_merchants');
    await queryRunner.dropTable('incidents');
  }
}
