import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { bool, datetime, fk, id, index, int, varchar } from './schema-columns.util';

/** Issue 15: saved views of the ticket lists, personal or shared. */
export class SavedViews1764950000000 implements MigrationInterface {
  name = 'SavedViews1764950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'saved_views',
        columns: [
          id(),
          int('owner_user_id'),
          bool('shared'),
          varchar('name', 100),
          varchar('query', 500),
          int('queue_id', true),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        foreignKeys: [
          fk('fk_saved_views_owner', 'owner_user_id', 'users', 'CASCADE'),
          fk('fk_saved_views_queue', 'queue_id', 'queues', 'CASCADE'),
        ],
        indices: [
          index('ix_saved_views_owner', ['owner_user_id', 'id']),
          index('ix_saved_views_shared', ['shared', 'id']),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('saved_views');
  }
}
