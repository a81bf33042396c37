import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { datetime, index, varchar } from './schema-columns.util';

/** Operator administration: an invited user sets a password through a one-time link (hashed). */
export class UserInvites1764300000000 implements MigrationInterface {
  name = 'UserInvites1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('users', [
      new TableColumn(varchar('invite_token_hash', 64, true)),
      new TableColumn(datetime('invite_expires_at', true)),
    ]);
    await queryRunner.createIndex(
      'users',
      index('uq_users_invite_token', ['invite_token_hash'], true),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('users', 'uq_users_invite_token');
    await queryRunner.dropColumn('users', 'invite_expires_at');
    await queryRunner.dropColumn('users', 'invite_token_hash');
  }
}
