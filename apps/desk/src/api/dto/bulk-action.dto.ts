import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  BULK_ACTION_KINDS,
  BULK_ACTION_MAX_TICKETS,
  BULK_REPLY_NEXT_STATUSES,
  BULK_SKIP_REASONS,
  BULK_STATUS_TARGETS,
  MESSAGE_BODY_MAX_LENGTH,
  TICKET_CATEGORY_KEYS,
  TICKET_PRIORITIES,
} from '@madoguchi/tickets';
import { API_TEXTS, apiText } from '../api-text.util';

const oneOf = (values: readonly string[]): string =>
  apiText(API_TEXTS.oneOf, { values: values.join(', ') });

/** `POST /api/v1/bulk-actions`: the action and its selection; stores a preview, changes nothing. */
export class CreateBulkActionDto {
  @ApiProperty({ enum: BULK_ACTION_KINDS })
  @IsIn(BULK_ACTION_KINDS, { message: oneOf(BULK_ACTION_KINDS) })
  action: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: BULK_ACTION_MAX_TICKETS,
    description: `Tickets by reference (at most ${BULK_ACTION_MAX_TICKETS}); one outside your scope refuses the whole request (404). Give this or \`filter\`.`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(BULK_ACTION_MAX_TICKETS, {
    message: `一度に操作できるのは${BULK_ACTION_MAX_TICKETS}件までです。`,
  })
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  references?: string[];

  @ApiPropertyOptional({
    description:
      'Every ticket a queue-list filter matches, as its query string (`status=open&assignee=me`, `sla=breached`, `replied=1`); more than 500 matches are refused (400). Give this or `references`.',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  filter?: string;

  @ApiPropertyOptional({
    description: 'With `filter`: only this queue (default every queue in scope).',
  })
  @IsOptional()
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  queueId?: number;

  @ApiPropertyOptional({ description: 'assign: `me`, `release` or a staff user id (as text).' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  assignee?: string;

  @ApiPropertyOptional({ enum: BULK_STATUS_TARGETS })
  @IsOptional()
  @IsIn(BULK_STATUS_TARGETS, { message: oneOf(BULK_STATUS_TARGETS) })
  status?: string;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES, { message: oneOf(TICKET_PRIORITIES) })
  priority?: string;

  @ApiPropertyOptional({ enum: TICKET_CATEGORY_KEYS })
  @IsOptional()
  @IsIn(TICKET_CATEGORY_KEYS, { message: oneOf(TICKET_CATEGORY_KEYS) })
  category?: string;

  @ApiPropertyOptional({ description: 'canned_reply: the canned response (filled per ticket).' })
  @IsOptional()
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  cannedResponseId?: number;

  @ApiPropertyOptional({
    enum: BULK_REPLY_NEXT_STATUSES,
    description: 'canned_reply: the status after the reply (default as a single reply).',
  })
  @IsOptional()
  @IsIn(BULK_REPLY_NEXT_STATUSES, { message: oneOf(BULK_REPLY_NEXT_STATUSES) })
  nextStatus?: string;
}

/** `POST /api/v1/bulk-actions/{id}/run`. */
export class RunBulkActionDto {
  @ApiPropertyOptional({
    maxLength: MESSAGE_BODY_MAX_LENGTH,
    description: 'note: the internal note (required for a note run).',
  })
  @ValidateIf((dto: RunBulkActionDto) => dto.body !== undefined)
  @IsString()
  @MaxLength(MESSAGE_BODY_MAX_LENGTH)
  body?: string;
}

export class BulkRunItemDto {
  @ApiProperty() reference: string;
  @ApiProperty({ enum: ['pending', 'done', 'skipped'] }) state: string;
  @ApiProperty({ enum: BULK_SKIP_REASONS, nullable: true, type: String })
  skipReason: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The desk's own words for why." })
  skipDetail: string | null;
}

export class BulkRunDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: BULK_ACTION_KINDS }) action: string;
  @ApiProperty({ enum: ['preview', 'running', 'completed'] }) state: string;
  @ApiProperty({
    description: 'assigneeId, status, priority, category, cannedResponseId, nextStatus as set.',
  })
  params: Record<string, unknown>;
  @ApiProperty() total: number;
  @ApiProperty() doneCount: number;
  @ApiProperty() skippedCount: number;
  @ApiProperty({ type: [BulkRunItemDto] }) items: BulkRunItemDto[];
}
