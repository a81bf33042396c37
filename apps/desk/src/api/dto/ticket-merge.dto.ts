import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import type { MergeResult } from '@madoguchi/tickets';
import { API_TEXTS } from '../api-text.util';
import { TicketChangeResultDto } from './ticket-response.dto';
import { VersionDto } from './ticket-write.dto';

/** `POST /api/v1/tickets/{reference}/merge`: merge this ticket into `into`. */
export class MergeDto extends VersionDto {
  @ApiProperty({ example: 'K7QM-3XHD', description: 'The surviving ticket (same merchant).' })
  @IsString({ message: API_TEXTS.required })
  @Matches(/\S/, { message: API_TEXTS.required })
  @MaxLength(32, { message: API_TEXTS.required })
  into: string;

  @ApiPropertyOptional({
    minimum: 0,
    description: 'The surviving ticket’s version as read; a stale one is 409 STALE_VERSION.',
  })
  @IsOptional()
  @IsInt({ message: API_TEXTS.version })
  @Min(0, { message: API_TEXTS.version })
  intoVersion?: number;

  @ApiPropertyOptional({
    description:
      'Merge although the two share no email or phone blind index (else 409 MERGE_REQUESTER_MISMATCH): honoured for supervisors and admins only.',
  })
  @IsOptional()
  @IsBoolean({ message: API_TEXTS.boolean })
  confirmUnrelated?: boolean;
}

export class MergeResultDto implements MergeResult {
  @ApiProperty({ type: TicketChangeResultDto, description: 'The merged ticket, now closed.' })
  merged: TicketChangeResultDto;
  @ApiProperty({ type: TicketChangeResultDto, description: 'The surviving ticket.' })
  survivor: TicketChangeResultDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { messages: 3, attachments: 1, calls: 1, determinations: 0 },
    description: 'Rows moved to the survivor.',
  })
  moved: Record<string, number>;
}
