import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { datetime, index, int } from './schema-columns.util';

/**
 * Issue 13 (the merchant as a collaborator): the hand-back's merchant side on the ticket
 * (handed back at, answered at/by, reminded at), the merchant's reminder setting (business
 * days, default 3), and the merchant answers stored before the question kind existed renamed
 * from `merchant` to `merchant_answer` (questions asked in internal notes stay notes).
 */
export class MerchantQuestionsHandBack1764820000000 implements MigrationInterface {
  name = 'MerchantQuestionsHandBack1764820000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('tickets', [
      new TableColumn(datetime('handed_back_at', true)),
      new TableColumn(datetime('hand_back_answered_at', true)),
      new TableColumn(int('hand_back_answered_by_user_id', true)),
      new TableColumn(datetime('hand_back_reminded_at', true)),
    ]);
    await queryRunner.createIndex(
      'tickets',
      index('ix_tickets_hand_back_open', [
        'status',
        'hand_back_answered_at',
        'hand_back_reminded_at',
      ]),
    );
    await queryRunner.addColumn(
      'merchants',
      new TableColumn({ ...int('hand_back_reminder_days'), default: 3 }),
    );
    await queryRunner.manager
      .createQueryBuilder()
      .update('messages')
      .set({ kind: 'merchant_answer' })
      .where('kind = :kind', { kind: 'merchant' })
      .execute();
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.manager
      .createQueryBuilder()
      .update('messages')
      .set({ kind: 'merchant' })
      .where('kind = :kind', { kind: 'merchant_answer' })
      .execute();
    // Questions have no place in the older schema: they become internal notes, still readable.
    await queryRunner.manager
      .createQueryBuilder()
      .update('messages')
      .set({ kind: 'note' })
      .where('kind = :kind', { kind: 'merchant_query' })
      .execute();
    await queryRunner.dropColumn('merchants', 'hand_back_reminder_days');
    await queryRunner.dropIndex('tickets', 'ix_tickets_hand_back_open');
    await queryRunner.dropColumns('tickets', [
      'hand_back_reminded_at',
      'hand_back_answered_by_user_id',
      'hand_back_answered_at',
      'handed_back_at',
    ]);
  }
}
