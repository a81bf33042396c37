import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { bool, datetime, fk, id, index, int, text, varchar } from './schema-columns.util';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'merchants',
        columns: [
          id(),
          varchar('code', 32),
          varchar('name', 200),
          datetime('support_ends_at', true),
          text('notification_emails'),
          text('allowed_ip_ranges'),
          int('retention_days'),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [index('uq_merchants_code', ['code'], true)],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sites',
        columns: [
          id(),
          int('merchant_id'),
          varchar('slug', 64),
          varchar('display_name', 200),
          varchar('logo_url', 500, true),
          varchar('brand_color', 7),
          varchar('contact_url', 500, true),
          varchar('contact_text', 500, true),
          varchar('sender_name', 200),
          bool('intake_open'),
          varchar('phone_code', 8, true),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [
          index('uq_sites_slug', ['slug'], true),
          index('uq_sites_phone_code', ['phone_code'], true),
          index('ix_sites_merchant', ['merchant_id']),
        ],
        foreignKeys: [fk('fk_sites_merchant', 'merchant_id', 'merchants', 'RESTRICT')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          varchar('email', 254),
          varchar('display_name', 200),
          varchar('role', 32),
          int('merchant_id', true),
          varchar('password_hash', 255),
          text('totp_secret', true),
          int('totp_last_step', true),
          int('failed_login_count'),
          datetime('locked_until', true),
          datetime('disabled_at', true),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [
          index('uq_users_email', ['email'], true),
          index('ix_users_merchant', ['merchant_id']),
        ],
        foreignKeys: [fk('fk_users_merchant', 'merchant_id', 'merchants', 'RESTRICT')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'queues',
        columns: [
          id(),
          int('merchant_id'),
          varchar('name', 100),
          bool('is_default'),
          datetime('created_at'),
        ],
        indices: [index('ix_queues_merchant', ['merchant_id'])],
        foreignKeys: [fk('fk_queues_merchant', 'merchant_id', 'merchants', 'RESTRICT')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'queue_members',
        columns: [
          { ...int('queue_id'), isPrimary: true },
          { ...int('user_id'), isPrimary: true },
          datetime('created_at'),
        ],
        indices: [index('ix_queue_members_user', ['user_id'])],
        foreignKeys: [
          fk('fk_queue_members_queue', 'queue_id', 'queues', 'CASCADE'),
          fk('fk_queue_members_user', 'user_id', 'users', 'CASCADE'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'tickets',
        columns: [
          id(),
          varchar('reference', 16),
          int('merchant_id'),
          int('site_id', true),
          int('queue_id'),
          varchar('channel', 16),
          varchar('category', 32),
          varchar('status', 32),
          varchar('priority', 16),
          int('assignee_id', true),
          text('requester_name', true),
          text('requester_email', true),
          varchar('requester_email_index', 64, true),
          text('requester_phone', true),
          varchar('requester_phone_index', 64, true),
          text('order_number', true),
          varchar('order_number_index', 64, true),
          varchar('status_token_hash', 64, true),
          datetime('first_response_due_at', true),
          datetime('first_responded_at', true),
          datetime('resolution_due_at', true),
          datetime('resolved_at', true),
          datetime('closed_at', true),
          datetime('erased_at', true),
          datetime('created_at'),
          datetime('updated_at'),
          int('version'),
        ],
        indices: [
          index('uq_tickets_reference', ['reference'], true),
          index('uq_tickets_status_token', ['status_token_hash'], true),
          index('ix_tickets_queue_due', ['queue_id', 'status', 'first_response_due_at']),
          index('ix_tickets_merchant_status', ['merchant_id', 'status']),
          index('ix_tickets_email_index', ['requester_email_index']),
          index('ix_tickets_phone_index', ['requester_phone_index']),
          index('ix_tickets_order_index', ['order_number_index']),
        ],
        foreignKeys: [
          fk('fk_tickets_merchant', 'merchant_id', 'merchants', 'RESTRICT'),
          fk('fk_tickets_site', 'site_id', 'sites', 'RESTRICT'),
          fk('fk_tickets_queue', 'queue_id', 'queues', 'RESTRICT'),
          fk('fk_tickets_assignee', 'assignee_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'messages',
        columns: [
          id(),
          int('ticket_id'),
          varchar('kind', 16),
          int('author_user_id', true),
          text('body', true),
          varchar('delivery_state', 16, true),
          datetime('created_at'),
        ],
        indices: [index('ix_messages_ticket', ['ticket_id', 'id'])],
        foreignKeys: [
          fk('fk_messages_ticket', 'ticket_id', 'tickets', 'CASCADE'),
          fk('fk_messages_author', 'author_user_id', 'users', 'SET NULL'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          id(),
          int('site_id'),
          varchar('key_hash', 64),
          varchar('request_digest', 64),
          int('ticket_id', true),
          text('response'),
          datetime('created_at'),
        ],
        indices: [index('uq_idempotency_keys_site_key', ['site_id', 'key_hash'], true)],
        foreignKeys: [
          fk('fk_idempotency_keys_site', 'site_id', 'sites', 'CASCADE'),
          fk('fk_idempotency_keys_ticket', 'ticket_id', 'tickets', 'CASCADE'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'calls',
        columns: [
          id(),
          varchar('call_sid', 64),
          text('from_number', true),
          varchar('from_index', 64, true),
          bool('caller_id_withheld'),
          varchar('to_number', 32),
          varchar('status', 32),
          int('last_sequence', true),
          datetime('started_at', true),
          datetime('enqueued_at', true),
          datetime('answered_at', true),
          datetime('ended_at', true),
          int('wait_seconds', true),
          int('talk_seconds', true),
          varchar('outcome', 32, true),
          bool('within_hours', true),
          int('agent_id', true),
          int('merchant_id', true),
          int('ticket_id', true),
          varchar('recording_sid', 64, true),
          varchar('recording_url', 500, true),
          int('recording_seconds', true),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [
          index('uq_calls_call_sid', ['call_sid'], true),
          index('ix_calls_merchant_started', ['merchant_id', 'started_at']),
          index('ix_calls_from_index', ['from_index']),
        ],
        foreignKeys: [
          fk('fk_calls_agent', 'agent_id', 'users', 'SET NULL'),
          fk('fk_calls_merchant', 'merchant_id', 'merchants', 'RESTRICT'),
          fk('fk_calls_ticket', 'ticket_id', 'tickets', 'SET NULL'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          id(),
          varchar('actor_type', 16),
          int('actor_id', true),
          varchar('action', 64),
          int('merchant_id', true),
          varchar('target_type', 32, true),
          varchar('target_id', 64, true),
          varchar('ip', 45, true),
          text('detail', true),
          datetime('created_at'),
        ],
        indices: [
          index('ix_audit_events_merchant_time', ['merchant_id', 'created_at']),
          index('ix_audit_events_action_time', ['action', 'created_at']),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox_jobs',
        columns: [
          id(),
          varchar('type', 32),
          text('payload'),
          varchar('status', 16),
          int('attempts'),
          datetime('next_attempt_at'),
          varchar('lease_owner', 64, true),
          datetime('lease_expires_at', true),
          varchar('last_error', 500, true),
          datetime('created_at'),
          datetime('sent_at', true),
        ],
        indices: [index('ix_outbox_jobs_due', ['status', 'next_attempt_at'])],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'outbox_jobs',
      'audit_events',
      'calls',
      'idempotency_keys',
      'messages',
      'tickets',
      'queue_members',
      'queues',
      'users',
      'sites',
      'merchants',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
