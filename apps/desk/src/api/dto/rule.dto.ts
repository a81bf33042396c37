import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  RULE_DAYS_MAX,
  RULE_DAYS_MIN,
  RULE_KEYWORDS_MAX,
  RULE_KINDS,
  TICKET_CATEGORY_KEYS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
} from '@madoguchi/tickets';
import { API_TEXTS, apiText } from '../api-text.util';

const ARRAY = '文字列の配列で指定してください。';
const BOOLEAN = 'true または false で指定してください。';

/**
 * `PATCH /api/v1/rules/{id}`: the fields to change (others keep their value). The service
 * checks every value (allowed lists, lengths, days, placeholders) and answers 400 with each
 * field's error, changing nothing.
 */
export class UpdateRuleDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString({ message: API_TEXTS.required })
  name?: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'The merchant whose tickets the rule applies to; null: every merchant.',
  })
  @IsOptional()
  @ValidateIf((dto: UpdateRuleDto) => dto.merchantId !== null)
  @IsInt({ message: API_TEXTS.positiveInteger })
  @Min(1, { message: API_TEXTS.positiveInteger })
  merchantId?: number | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: BOOLEAN })
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'Intake: no later rule applies after this one matched.' })
  @IsOptional()
  @IsBoolean({ message: BOOLEAN })
  stopProcessing?: boolean;

  @ApiPropertyOptional({
    enum: TICKET_CHANNELS,
    isArray: true,
    description: 'Intake condition; empty: any channel.',
  })
  @IsOptional()
  @IsArray({ message: ARRAY })
  @IsString({ each: true, message: ARRAY })
  channels?: string[];

  @ApiPropertyOptional({
    enum: TICKET_CATEGORY_KEYS,
    isArray: true,
    description: 'Condition on the category (intake: as set so far); empty: any category.',
  })
  @IsOptional()
  @IsArray({ message: ARRAY })
  @IsString({ each: true, message: ARRAY })
  categories?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: RULE_KEYWORDS_MAX,
    description:
      'Intake condition: the first message contains any of these words, compared after NFKC, ' +
      'ignoring case and width, katakana = hiragana; empty: any message.',
  })
  @IsOptional()
  @IsArray({ message: ARRAY })
  @IsString({ each: true, message: ARRAY })
  keywords?: string[];

  @ApiPropertyOptional({
    enum: TICKET_PRIORITIES,
    nullable: true,
    description: 'Intake action: the priority to set; null: leave it.',
  })
  @IsOptional()
  @ValidateIf((dto: UpdateRuleDto) => dto.priority !== null)
  @IsString({ message: apiText(API_TEXTS.oneOf, { values: TICKET_PRIORITIES.join(', ') }) })
  priority?: string | null;

  @ApiPropertyOptional({
    enum: TICKET_CATEGORY_KEYS,
    nullable: true,
    description: 'Intake action: the category to set; null: leave it.',
  })
  @IsOptional()
  @ValidateIf((dto: UpdateRuleDto) => dto.category !== null)
  @IsString({ message: apiText(API_TEXTS.oneOf, { values: TICKET_CATEGORY_KEYS.join(', ') }) })
  category?: string | null;

  @ApiPropertyOptional({
    minimum: RULE_DAYS_MIN,
    maximum: RULE_DAYS_MAX,
    description: 'Pending automation: business days in pending_customer before the reminder.',
  })
  @IsOptional()
  @IsInt({ message: API_TEXTS.positiveInteger })
  remindAfterDays?: number;

  @ApiPropertyOptional({
    description:
      'Pending automation: the reminder (placeholders {{name}} {{reference}} {{merchant}} {{site}}).',
  })
  @IsOptional()
  @IsString({ message: API_TEXTS.required })
  reminderText?: string;

  @ApiPropertyOptional({
    minimum: RULE_DAYS_MIN,
    maximum: RULE_DAYS_MAX,
    description: 'Pending automation: business days after the reminder before resolving.',
  })
  @IsOptional()
  @IsInt({ message: API_TEXTS.positiveInteger })
  resolveAfterDays?: number;

  @ApiPropertyOptional({ description: 'Pending automation: the text sent when resolving.' })
  @IsOptional()
  @IsString({ message: API_TEXTS.required })
  resolutionText?: string;

  @ApiPropertyOptional({ description: 'The version read; a changed rule answers 409.' })
  @IsOptional()
  @IsInt({ message: API_TEXTS.version })
  @Min(0, { message: API_TEXTS.version })
  expectedVersion?: number;
}

/** `POST /api/v1/rules`. */
export class CreateRuleDto extends UpdateRuleDto {
  @ApiProperty({ enum: RULE_KINDS })
  @IsIn(RULE_KINDS, { message: apiText(API_TEXTS.oneOf, { values: RULE_KINDS.join(', ') }) })
  kind: string;

  @ApiProperty({ maxLength: 100 })
  @IsString({ message: API_TEXTS.required })
  declare name: string;
}

/** `POST /api/v1/rules/{id}/move`. */
export class MoveRuleDto {
  @ApiProperty({ enum: ['up', 'down'] })
  @IsIn(['up', 'down'], { message: apiText(API_TEXTS.oneOf, { values: 'up, down' }) })
  direction: 'up' | 'down';

  @ApiPropertyOptional({ description: 'The version read; a changed rule answers 409.' })
  @IsOptional()
  @IsInt({ message: API_TEXTS.version })
  @Min(0, { message: API_TEXTS.version })
  expectedVersion?: number;
}

/** `DELETE /api/v1/rules/{id}?expectedVersion=`. */
export class DeleteRuleQueryDto {
  @ApiPropertyOptional({ description: 'The version read; a changed rule answers 409.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: API_TEXTS.version })
  @Min(0, { message: API_TEXTS.version })
  expectedVersion?: number;
}

class RuleConditionsDto {
  @ApiProperty({ enum: TICKET_CHANNELS, isArray: true })
  channels: string[];

  @ApiProperty({ enum: TICKET_CATEGORY_KEYS, isArray: true })
  categories: string[];

  @ApiProperty({ type: [String] })
  keywords: string[];
}

class IntakeActionsDto {
  @ApiProperty({ enum: TICKET_PRIORITIES, nullable: true })
  priority: string | null;

  @ApiProperty({ enum: TICKET_CATEGORY_KEYS, nullable: true })
  category: string | null;
}

class PendingActionsDto {
  @ApiProperty()
  remindAfterDays: number;

  @ApiProperty()
  reminderText: string;

  @ApiProperty()
  resolveAfterDays: number;

  @ApiProperty()
  resolutionText: string;
}

/** A rule as the API answers it. */
export class RuleDto {
  @ApiProperty()
  id: number;

  @ApiProperty({ enum: RULE_KINDS })
  kind: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: Number, nullable: true })
  merchantId: number | null;

  @ApiProperty({ description: 'Order among the rules of its kind (1 first).' })
  position: number;

  @ApiProperty()
  enabled: boolean;

  @ApiProperty()
  stopProcessing: boolean;

  @ApiProperty({ type: RuleConditionsDto })
  conditions: RuleConditionsDto;

  @ApiProperty({ type: IntakeActionsDto, nullable: true })
  intake: IntakeActionsDto | null;

  @ApiProperty({ type: PendingActionsDto, nullable: true })
  pending: PendingActionsDto | null;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;

  @ApiProperty()
  version: number;
}
