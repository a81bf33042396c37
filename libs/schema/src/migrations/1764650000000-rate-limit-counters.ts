import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { index, int, varchar } from './schema-columns.util';

/** Scale-out: the intake's per-IP rate limit counted in the database, shared by all instances. */
export class RateLimitCounters1764650000000 implements MigrationInterface {
  name = 'RateLimitCounters1764650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'rate_limit_counters',
        columns: [
          { ...varchar('bucket', 191), isPrimary: true },
          int('hits'),
          { name: 'expires_at', type: 'bigint' },
        ],
        indices: [index('ix_rate_limit_counters_expires', ['expires_at'])],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rate_limit_counters');
  }
}
