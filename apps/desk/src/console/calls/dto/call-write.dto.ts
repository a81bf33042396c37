import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { CALL_AVAILABILITIES, type CallAvailability } from '@madoguchi/auth';
import {
  CALLBACK_NOTE_MAX_LENGTH,
  CALLBACK_OUTCOMES_OF_ATTEMPT,
  type CallbackAttemptInput,
  type CallbackAttemptOutcome,
  REQUESTER_NAME_MAX_LENGTH,
  type WrapUpInput,
} from '@madoguchi/calls';
import {
  MESSAGE_BODY_MAX_LENGTH,
  TICKET_CATEGORY_KEYS,
  type TicketCategory,
} from '@madoguchi/tickets';

/** `POST /api/v1/calls/{id}/wrap-up`. */
export class WrapUpDto {
  @ApiProperty({ enum: ['create', 'link'], description: 'A new phone ticket, or an existing one.' })
  @IsIn(['create', 'link'], { message: 'create または link を指定してください。' })
  mode: 'create' | 'link';

  @ApiProperty({
    maxLength: MESSAGE_BODY_MAX_LENGTH,
    example: '流出対象かの確認。メールで回答予定。',
  })
  @IsString({ message: '入力してください。' })
  @MaxLength(MESSAGE_BODY_MAX_LENGTH, {
    message: `${MESSAGE_BODY_MAX_LENGTH}文字以内で入力してください。`,
  })
  summary: string;

  @ApiProperty({ description: 'A merchant whose queue you work.' })
  @IsInt({ message: '加盟店のID（整数）を指定してください。' })
  @Min(1, { message: '加盟店のID（整数）を指定してください。' })
  merchantId: number;

  @ApiProperty({ enum: TICKET_CATEGORY_KEYS })
  @IsIn(TICKET_CATEGORY_KEYS, {
    message: `次のいずれかを指定してください: ${TICKET_CATEGORY_KEYS.join(', ')}`,
  })
  category: TicketCategory;

  @ApiPropertyOptional({ description: 'mode link: the ticket reference.', example: 'K7QM-3XHD' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  reference?: string;

  @ApiPropertyOptional({
    description: "mode create: the caller's name.",
    maxLength: REQUESTER_NAME_MAX_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MaxLength(REQUESTER_NAME_MAX_LENGTH)
  requesterName?: string;

  toInput(): WrapUpInput {
    return {
      mode: this.mode,
      summary: this.summary,
      merchantId: this.merchantId,
      category: this.category,
      reference: this.reference,
      requesterName: this.requesterName,
    };
  }
}

/** `PUT /api/v1/calls/availability`. */
export class AvailabilityDto {
  @ApiProperty({ enum: CALL_AVAILABILITIES, description: 'Only `available` takes calls.' })
  @IsIn(CALL_AVAILABILITIES, {
    message: `次のいずれかを指定してください: ${CALL_AVAILABILITIES.join(', ')}`,
  })
  availability: CallAvailability;
}

/** `POST /api/v1/calls/{id}/callback-attempts`. */
export class CallbackAttemptDto {
  @ApiProperty({
    enum: CALLBACK_OUTCOMES_OF_ATTEMPT,
    description: '`reached` completes the callback.',
  })
  @IsIn(CALLBACK_OUTCOMES_OF_ATTEMPT, {
    message: `次のいずれかを指定してください: ${CALLBACK_OUTCOMES_OF_ATTEMPT.join(', ')}`,
  })
  outcome: CallbackAttemptOutcome;

  @ApiPropertyOptional({
    maxLength: CALLBACK_NOTE_MAX_LENGTH,
    description: 'Sealed at rest; also written to the linked ticket as a call note.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(CALLBACK_NOTE_MAX_LENGTH)
  note?: string;

  toInput(): CallbackAttemptInput {
    return { outcome: this.outcome, note: this.note };
  }
}
