import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  MESSAGE_BODY_MAX_LENGTH,
  REPLY_NEXT_STATUSES,
  type ReplyNextStatus,
  TICKET_CATEGORY_KEYS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
} from '@madoguchi/tickets';
import { API_TEXTS, apiText } from '../api-text.util';

const oneOf = (values: readonly string[]): string =>
  apiText(API_TEXTS.oneOf, { values: values.join(', ') });
const tooLong = apiText(API_TEXTS.tooLong, { max: MESSAGE_BODY_MAX_LENGTH });

/** The optimistic lock every write may carry: the `version` of the ticket the client read. */
export class VersionDto {
  @ApiPropertyOptional({
    description:
      'The ticket version the client read; a stale one is refused with 409 STALE_VERSION. ' +
      'Optional so a plain `{body}` reply works, but send it: without it the write applies to the ' +
      'ticket as it stands now, and a concurrent edit is not detected.',
    minimum: 0,
  })
  @IsOptional()
  @IsInt({ message: API_TEXTS.version })
  @Min(0, { message: API_TEXTS.version })
  version?: number;
}

export class NoteDto extends VersionDto {
  @ApiProperty({ maxLength: MESSAGE_BODY_MAX_LENGTH, example: 'お客様に電話で確認済み。' })
  @IsString({ message: API_TEXTS.required })
  @Matches(/\S/, { message: API_TEXTS.required })
  @MaxLength(MESSAGE_BODY_MAX_LENGTH, { message: tooLong })
  body: string;
}

export class ReplyDto extends NoteDto {
  @ApiPropertyOptional({
    enum: REPLY_NEXT_STATUSES,
    description:
      'Status after the reply; default: pending_customer (a resolved ticket stays resolved). ' +
      'Handing back and closing have their own endpoints.',
  })
  @IsOptional()
  @IsIn(REPLY_NEXT_STATUSES, { message: oneOf(REPLY_NEXT_STATUSES) })
  nextStatus?: ReplyNextStatus;

  @ApiPropertyOptional({
    description:
      'The approved incident answer the reply used (`versionId` from ' +
      '`GET /api/v1/tickets/{reference}/approved-answers`). Recorded on the message; a version ' +
      'that is not the newest one approved for the ticket’s merchant is refused with ' +
      '409 ANSWER_NOT_APPROVED and nothing is written.',
    minimum: 1,
  })
  @IsOptional()
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  answerVersionId?: number;
}

export class StatusChangeDto extends VersionDto {
  @ApiProperty({ enum: TICKET_STATUSES })
  @IsIn(TICKET_STATUSES, { message: oneOf(TICKET_STATUSES) })
  status: TicketStatus;
}

export class TicketUpdateDto extends VersionDto {
  @ApiPropertyOptional({ enum: TICKET_CATEGORY_KEYS })
  @IsOptional()
  @IsIn(TICKET_CATEGORY_KEYS, { message: oneOf(TICKET_CATEGORY_KEYS) })
  category?: TicketCategory;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES, { message: oneOf(TICKET_PRIORITIES) })
  priority?: TicketPriority;
}

export class AssignDto extends VersionDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The agent to assign; null releases the ticket.',
  })
  // null is a value here (release), so only undefined counts as missing.
  @ValidateIf((dto: AssignDto) => dto.assigneeId !== null)
  @IsInt({ message: API_TEXTS.assigneeId })
  @Min(1, { message: API_TEXTS.assigneeId })
  assigneeId: number | null;
}
