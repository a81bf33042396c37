import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Call } from './call.entity';

/**
 * A slice of a voicemail kept in the desk (TELEPHONY_STORE_RECORDINGS): the audio as sealed
 * base64 of at most 32 KiB per row, read back in `partNo` order. Deleted with its call.
 */
@Entity('call_recording_parts')
@Index('uq_call_recording_parts_call_part', ['callId', 'partNo'], { unique: true })
export class CallRecordingPart {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  callId: number;

  @ManyToOne(() => Call, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'call_id', foreignKeyConstraintName: 'fk_call_recording_parts_call' })
  call?: Call;

  @Column({ type: 'int' })
  partNo: number;

  /** FieldCipher ciphertext of a base64 slice. */
  @Column({ type: 'text' })
  content: string;
}
