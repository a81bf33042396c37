import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { CANNED_BODY_MAX_LENGTH, CANNED_TITLE_MAX_LENGTH } from '@madoguchi/tickets';
import { API_TEXTS, apiText } from '../api-text.util';

export class CannedResponseListQueryDto {
  @ApiPropertyOptional({
    description: "Include this merchant's own responses (global ones are always listed).",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  merchantId?: number;
}

/** `PATCH /api/v1/canned-responses/{id}`: the new title and body (both, as the editor sends them). */
export class UpdateCannedResponseDto {
  @ApiProperty({ maxLength: CANNED_TITLE_MAX_LENGTH })
  @IsString({ message: API_TEXTS.required })
  @Matches(/\S/, { message: API_TEXTS.required })
  @MaxLength(CANNED_TITLE_MAX_LENGTH, {
    message: apiText(API_TEXTS.tooLong, { max: CANNED_TITLE_MAX_LENGTH }),
  })
  title: string;

  @ApiProperty({
    maxLength: CANNED_BODY_MAX_LENGTH,
    description: 'Placeholders: {{name}} {{reference}} {{merchant}} {{site}} {{agent}}.',
  })
  @IsString({ message: API_TEXTS.required })
  @Matches(/\S/, { message: API_TEXTS.required })
  @MaxLength(CANNED_BODY_MAX_LENGTH, {
    message: apiText(API_TEXTS.tooLong, { max: CANNED_BODY_MAX_LENGTH }),
  })
  body: string;
}

/** `POST /api/v1/canned-responses`. */
export class CreateCannedResponseDto extends UpdateCannedResponseDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'null: a global response, offered on every merchant.',
  })
  @ValidateIf((dto: CreateCannedResponseDto) => dto.merchantId !== null)
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  merchantId: number | null;
}
