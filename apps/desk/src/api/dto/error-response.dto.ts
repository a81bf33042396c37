import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'body' }) field: string;
  @ApiProperty({ example: '入力してください。' }) message: string;
}

/** Every error of the API: `{ statusCode, code, message }`, plus `errors` on a 400. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 }) statusCode: number;
  @ApiProperty({ example: 'NOT_FOUND', description: 'Stable error code (see ErrorCode).' })
  code: string;
  @ApiProperty({ example: '見つかりません。' }) message: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}
