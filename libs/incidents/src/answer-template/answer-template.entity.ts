import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Incident } from '../incident/incident.entity';
import type { AnswerPurpose } from './answer-purpose.constant';

/** An answer drafted for one incident; its text lives in immutable versions. */
@Entity('answer_templates')
@Index('ix_answer_templates_incident', ['incidentId', 'purpose'])
export class AnswerTemplate {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  incidentId: number;

  @ManyToOne(() => Incident, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id', foreignKeyConstraintName: 'fk_answer_templates_incident' })
  incident?: Incident;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 32 })
  purpose: AnswerPurpose;

  @Column({ type: 'datetime' })
  createdAt: Date;
}
