import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { SAVED_VIEW_NAME_MAX_LENGTH, SAVED_VIEW_QUERY_MAX_LENGTH } from '@madoguchi/tickets';
import { API_TEXTS } from '../api-text.util';

/** `POST /api/v1/saved-views`. */
export class CreateSavedViewDto {
  @ApiProperty({ maxLength: SAVED_VIEW_NAME_MAX_LENGTH })
  @IsString({ message: API_TEXTS.required })
  @MaxLength(SAVED_VIEW_NAME_MAX_LENGTH)
  name: string;

  @ApiProperty({
    maxLength: SAVED_VIEW_QUERY_MAX_LENGTH,
    description:
      "The filter as the queue list's query string: status, category, channel, assignee (me, unassigned), incident, determination, sla=breached, replied=1.",
  })
  @IsString()
  @MaxLength(SAVED_VIEW_QUERY_MAX_LENGTH)
  query: string;

  @ApiPropertyOptional({ description: 'Limit the view to one queue.' })
  @IsOptional()
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  queueId?: number;

  @ApiPropertyOptional({
    description: 'Shared with every staff member (supervisors and admins only).',
  })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

export class SavedViewDto {
  @ApiProperty({ description: "`mine`, `replied`, `breached` (built in) or the saved view's id." })
  key: string;
  @ApiProperty() name: string;
  @ApiProperty() builtIn: boolean;
  @ApiProperty() shared: boolean;
  @ApiProperty({ nullable: true, type: Number }) queueId: number | null;
  @ApiProperty({ description: 'The filter as a query string.' }) query: string;
  @ApiProperty({ description: 'Tickets the view lists now.' }) count: number;
}
