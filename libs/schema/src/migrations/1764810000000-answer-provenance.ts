import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { int, text, varchar } from './schema-columns.util';

/**
 * Provenance of approved answers (issue 13): whether a reply that used an approved version
 * went out verbatim or edited, the edit (encrypted, like the body), and for a correction the
 * earlier reply it corrects.
 */
export class AnswerProvenance1764810000000 implements MigrationInterface {
  name = 'AnswerProvenance1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'messages',
      new TableColumn(varchar('answer_provenance', 16, true)),
    );
    await queryRunner.addColumn('messages', new TableColumn(text('answer_diff', true)));
    await queryRunner.addColumn('messages', new TableColumn(int('corrects_message_id', true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('messages', 'corrects_message_id');
    await queryRunner.dropColumn('messages', 'answer_diff');
    await queryRunner.dropColumn('messages', 'answer_provenance');
  }
}
