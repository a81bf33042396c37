import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  SLA_POLICY_MAX_MINUTES,
  TICKET_CATEGORY_KEYS,
  TICKET_PRIORITIES,
  type TicketCategory,
  type TicketPriority,
} from '@madoguchi/tickets';
import { API_TEXTS } from '../api-text.util';

/** `PUT /api/v1/sla-policies`: creates or replaces the policy of merchant × priority × category. */
export class SaveSlaPolicyDto {
  @ApiProperty({ minimum: 1 })
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  merchantId: number;

  @ApiProperty({ enum: TICKET_PRIORITIES })
  @IsIn([...TICKET_PRIORITIES], { message: API_TEXTS.required })
  priority: TicketPriority;

  @ApiPropertyOptional({
    enum: TICKET_CATEGORY_KEYS,
    nullable: true,
    description: 'null or absent: every category of the merchant × priority.',
  })
  @IsOptional()
  @IsIn([...TICKET_CATEGORY_KEYS], { message: API_TEXTS.required })
  category?: TicketCategory | null;

  @ApiProperty({
    minimum: 1,
    maximum: SLA_POLICY_MAX_MINUTES,
    description:
      'Business minutes (weekdays 10:00–18:00 Tokyo, closures excluded) to the first response.',
  })
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  @Max(SLA_POLICY_MAX_MINUTES, { message: API_TEXTS.positiveInteger })
  firstResponseMinutes: number;

  @ApiProperty({
    minimum: 1,
    maximum: SLA_POLICY_MAX_MINUTES,
    description: 'Business minutes to the resolution; at least firstResponseMinutes.',
  })
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  @Max(SLA_POLICY_MAX_MINUTES, { message: API_TEXTS.positiveInteger })
  resolutionMinutes: number;
}

export class SlaPolicyDto {
  @ApiProperty() id: number;
  @ApiProperty() merchantId: number;
  @ApiProperty() merchantName: string;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority: TicketPriority;
  @ApiProperty({ enum: TICKET_CATEGORY_KEYS, nullable: true, type: String })
  category: TicketCategory | null;
  @ApiProperty() firstResponseMinutes: number;
  @ApiProperty() resolutionMinutes: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}
