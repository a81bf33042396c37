import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /api/v1/auth/login`. Lengths are capped so nobody makes argon2 hash a megabyte. */
export class LoginDto {
  @ApiProperty({ example: 'agent@madoguchi.test' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'madoguchi-demo' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({
    description: 'The 6-digit TOTP code, when the account has a second factor.',
    example: '123456',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  totp?: string;
}
