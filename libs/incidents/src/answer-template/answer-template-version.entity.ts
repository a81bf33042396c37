import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '@madoguchi/auth';
import { AnswerTemplate } from './answer-template.entity';

/**
 * One text of a template, numbered 1, 2, … per template. Never changed once written: an edit
 * writes the next version, so an approval always refers to the exact words approved.
 */
@Entity('answer_template_versions')
@Index('uq_answer_template_versions', ['templateId', 'version'], { unique: true })
export class AnswerTemplateVersion {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  templateId: number;

  @ManyToOne(() => AnswerTemplate, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'template_id',
    foreignKeyConstraintName: 'fk_answer_template_versions_template',
  })
  template?: AnswerTemplate;

  @Column({ type: 'int' })
  version: number;

  /** Placeholders such as {{name}} stay unfilled (the canned responses' set). */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'int', nullable: true })
  createdByUserId: number | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({
    name: 'created_by_user_id',
    foreignKeyConstraintName: 'fk_answer_template_versions_created_by',
  })
  createdBy?: User;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
