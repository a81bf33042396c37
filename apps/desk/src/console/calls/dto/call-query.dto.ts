import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { CALL_OUTCOMES, type CallLogFilter, type CallStatsQuery } from '@madoguchi/calls';
import { PageQueryDto } from '../../../api/dto/ticket-query.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = '日付は YYYY-MM-DD で指定してください。';

/** `?from&to&merchantId`: Tokyo dates (`to` inclusive) and a merchant. */
export class CallRangeQueryDto {
  @ApiPropertyOptional({
    description: 'First day (Asia/Tokyo), YYYY-MM-DD.',
    example: '2026-12-01',
  })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  from?: string;

  @ApiPropertyOptional({ description: 'Last day, inclusive (Asia/Tokyo), YYYY-MM-DD.' })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  to?: string;

  @ApiPropertyOptional({ description: 'Only calls tied to this merchant (within your scope).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '1以上の整数で指定してください。' })
  @Min(1, { message: '1以上の整数で指定してください。' })
  merchantId?: number;

  toStatsQuery(): CallStatsQuery {
    return { from: this.from, to: this.to, merchantId: this.merchantId };
  }
}

/** `GET /api/v1/calls`: paging plus date, outcome and merchant filters. */
export class CallLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'First day (Asia/Tokyo), YYYY-MM-DD.',
    example: '2026-12-01',
  })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  from?: string;

  @ApiPropertyOptional({ description: 'Last day, inclusive (Asia/Tokyo), YYYY-MM-DD.' })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  to?: string;

  @ApiPropertyOptional({ enum: CALL_OUTCOMES })
  @IsOptional()
  @IsIn(CALL_OUTCOMES, { message: `次のいずれかを指定してください: ${CALL_OUTCOMES.join(', ')}` })
  outcome?: (typeof CALL_OUTCOMES)[number];

  @ApiPropertyOptional({ description: 'Only calls tied to this merchant (within your scope).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '1以上の整数で指定してください。' })
  @Min(1, { message: '1以上の整数で指定してください。' })
  merchantId?: number;

  toFilter(): CallLogFilter {
    return { from: this.from, to: this.to, outcome: this.outcome, merchantId: this.merchantId };
  }
}
