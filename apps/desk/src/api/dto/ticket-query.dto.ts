import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  DETERMINATION_FILTERS,
  type DeterminationFilter,
  MAX_PAGE_SIZE,
  TICKET_CATEGORY_KEYS,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  type PageRequest,
  type TicketCategory,
  type TicketChannel,
  type TicketListFilter,
  type TicketStatus,
} from '@madoguchi/tickets';
import { API_TEXTS, apiText } from '../api-text.util';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_SEARCH_LENGTH = 200;

const oneOf = (values: readonly string[]): string =>
  apiText(API_TEXTS.oneOf, { values: values.join(', ') });

/** `?page=&pageSize=` of every paged list. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: apiText(API_TEXTS.pageSize, { max: MAX_PAGE_SIZE }) })
  @Min(1, { message: apiText(API_TEXTS.pageSize, { max: MAX_PAGE_SIZE }) })
  @Max(MAX_PAGE_SIZE, { message: apiText(API_TEXTS.pageSize, { max: MAX_PAGE_SIZE }) })
  pageSize?: number;

  toPageRequest(): PageRequest {
    return { page: this.page ?? 1, pageSize: this.pageSize ?? DEFAULT_PAGE_SIZE };
  }
}

/** The filters of a queue view (`GET /api/v1/queues/{id}/tickets`). */
export class TicketFilterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'Comma-separated statuses; default: the active ones (new, open, pending_customer, pending_merchant).',
    example: 'new,open',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
      : value,
  )
  @IsIn(TICKET_STATUSES, { each: true, message: oneOf(TICKET_STATUSES) })
  status?: TicketStatus[];

  @ApiPropertyOptional({ enum: TICKET_CATEGORY_KEYS })
  @IsOptional()
  @IsIn(TICKET_CATEGORY_KEYS, { message: oneOf(TICKET_CATEGORY_KEYS) })
  category?: TicketCategory;

  @ApiPropertyOptional({ enum: TICKET_CHANNELS })
  @IsOptional()
  @IsIn(TICKET_CHANNELS, { message: oneOf(TICKET_CHANNELS) })
  channel?: TicketChannel;

  @ApiPropertyOptional({ description: '`me`, `unassigned` or a user id.', example: 'unassigned' })
  @IsOptional()
  @IsString({ message: API_TEXTS.assignee })
  @Matches(/^(me|unassigned|[1-9][0-9]{0,9})$/, { message: API_TEXTS.assignee })
  assignee?: string;

  @ApiPropertyOptional({
    description: 'Only tickets linked to this incident (incident mode).',
    minimum: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  incident?: number;

  @ApiPropertyOptional({
    enum: DETERMINATION_FILTERS,
    description:
      'By the current determination (issue 13.1): `review` flagged for review after a list change, `included` / `not_included` (not flagged), `none` without one.',
  })
  @IsOptional()
  @IsIn(DETERMINATION_FILTERS, {
    message: apiText(API_TEXTS.oneOf, { values: DETERMINATION_FILTERS.join(', ') }),
  })
  determination?: DeterminationFilter;

  toFilter(): TicketListFilter {
    const filter: TicketListFilter = {};
    if (this.status !== undefined && this.status.length > 0) filter.status = this.status;
    if (this.category !== undefined) filter.category = this.category;
    if (this.channel !== undefined) filter.channel = this.channel;
    if (this.assignee !== undefined) {
      filter.assignee =
        this.assignee === 'me' || this.assignee === 'unassigned'
          ? this.assignee
          : Number(this.assignee);
    }
    if (this.incident !== undefined) filter.incident = this.incident;
    if (this.determination !== undefined) filter.determination = this.determination;
    return filter;
  }
}

/** `GET /api/v1/tickets`: the queue filters plus an optional queue. */
export class TicketListQueryDto extends TicketFilterQueryDto {
  @ApiPropertyOptional({ description: 'Only this queue; default: every queue in scope.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  queue?: number;
}

/** `GET /api/v1/tickets/search?q=`: a reference, an email, a phone number or an order number. */
export class TicketSearchQueryDto {
  @ApiProperty({
    description: 'Reference, email, phone (any Japanese format) or order number.',
    maxLength: MAX_SEARCH_LENGTH,
  })
  @IsString({ message: apiText(API_TEXTS.searchQuery, { max: MAX_SEARCH_LENGTH }) })
  @MinLength(1, { message: apiText(API_TEXTS.searchQuery, { max: MAX_SEARCH_LENGTH }) })
  @MaxLength(MAX_SEARCH_LENGTH, {
    message: apiText(API_TEXTS.searchQuery, { max: MAX_SEARCH_LENGTH }),
  })
  q: string;
}
