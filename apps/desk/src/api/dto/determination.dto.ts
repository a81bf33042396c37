import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import {
  DETERMINATION_ACTORS,
  DETERMINATION_EVIDENCE,
  DETERMINATION_OUTCOMES,
  DETERMINATION_REASON_MAX_LENGTH,
  DETERMINATION_REVIEW_REASONS,
  type DeterminationActor,
  type DeterminationEvidence,
  type DeterminationOutcome,
  type DeterminationReviewReason,
  type DeterminationView,
  type TicketDeterminationState,
} from '@madoguchi/incident-response';
import { API_TEXTS, apiText } from '../api-text.util';

const dateTime = { type: String, format: 'date-time' } as const;

/** An agent's explicit determination (issue 13.1). */
export class RecordDeterminationDto {
  @ApiProperty({ enum: DETERMINATION_OUTCOMES })
  @IsIn(DETERMINATION_OUTCOMES, {
    message: apiText(API_TEXTS.oneOf, { values: DETERMINATION_OUTCOMES.join(', ') }),
  })
  outcome: DeterminationOutcome;

  @ApiProperty({
    maxLength: DETERMINATION_REASON_MAX_LENGTH,
    example: '注文番号が一致し、電話で本人確認した。',
    description:
      'Required: what the determination rests on. Stored encrypted; never in the audit trail.',
  })
  @IsString({ message: API_TEXTS.required })
  @Matches(/\S/, { message: API_TEXTS.required })
  @MaxLength(DETERMINATION_REASON_MAX_LENGTH, {
    message: apiText(API_TEXTS.tooLong, { max: DETERMINATION_REASON_MAX_LENGTH }),
  })
  reason: string;
}

/** Who decided (a desk user); its own class so this file imports nothing from ticket-response.dto. */
export class DeterminationUserDto {
  @ApiProperty() id: number;
  @ApiProperty() displayName: string;
}

export class DeterminationListUploadDto {
  @ApiProperty() id: number;
  @ApiProperty(dateTime) createdAt: Date;
  @ApiProperty({ description: 'Values on the list after that upload.' }) listSize: number;
}

export class DeterminationReviewDto {
  @ApiProperty(dateTime) flaggedAt: Date;
  @ApiProperty({ enum: DETERMINATION_REVIEW_REASONS }) reason: DeterminationReviewReason;
  @ApiProperty({ type: Number, nullable: true, description: 'The list upload that raised it.' })
  uploadId: number | null;
}

export class DeterminationDto implements DeterminationView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: DETERMINATION_OUTCOMES }) outcome: DeterminationOutcome;
  @ApiProperty({
    enum: DETERMINATION_EVIDENCE,
    description:
      '`verified_email_on_list` / `verified_email_not_on_list`: the end user proved the email with a mailed code and it was (not) on the list; `agent`: an agent’s determination with its reason.',
  })
  evidence: DeterminationEvidence;
  @ApiProperty({ type: String, nullable: true, description: 'The agent’s reason.' })
  reason: string | null;
  @ApiProperty({ enum: DETERMINATION_ACTORS }) actor: DeterminationActor;
  @ApiProperty({ type: DeterminationUserDto, nullable: true })
  decidedBy: DeterminationUserDto | null;
  @ApiProperty(dateTime) createdAt: Date;
  @ApiProperty() incidentId: number;
  @ApiProperty({
    type: DeterminationListUploadDto,
    nullable: true,
    description: 'The newest affected-list upload when it was made.',
  })
  listUpload: DeterminationListUploadDto | null;
  @ApiProperty({
    type: DeterminationReviewDto,
    nullable: true,
    description:
      'Set when a list re-upload contradicted it: no leak answer until an agent records a new one.',
  })
  review: DeterminationReviewDto | null;
  @ApiProperty({ ...dateTime, nullable: true, description: 'null while current.' })
  supersededAt: Date | null;
}

export class DeterminationAllowsDto {
  @ApiProperty() leak_included: boolean;
  @ApiProperty() leak_not_included: boolean;
}

export class TicketDeterminationStateDto implements TicketDeterminationState {
  @ApiProperty({ type: DeterminationDto, nullable: true }) current: DeterminationDto | null;
  @ApiProperty({
    type: DeterminationAllowsDto,
    description: 'Which leak answers may be sent to the ticket now.',
  })
  allows: DeterminationAllowsDto;
  @ApiProperty({ type: [DeterminationDto], description: 'Newest first, the current one included.' })
  history: DeterminationDto[];
}
