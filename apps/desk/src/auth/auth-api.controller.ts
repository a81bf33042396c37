import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticatedUser, LogoutService, USER_ROLES, type UserRole } from '@madoguchi/auth';
import { AppConfig } from '@madoguchi/config';
import { Public } from '@madoguchi/http';
import { AllowDuringTotpEnrolment } from './auth.decorators';
import { CurrentUser } from './current-user.decorator';
import { LoginDto } from './dto/login.dto';
import { LOGIN_RESULT_PROPERTY, LocalAuthGuard, type LoginRequest } from './local-auth.guard';
import { clearSessionCookie, setSessionCookie } from './session-cookie.util';

class SessionUserDto {
  @ApiProperty() id: number;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: USER_ROLES }) role: UserRole;
  @ApiProperty({ type: Number, nullable: true }) merchantId: number | null;
}

class SessionResponseDto {
  @ApiProperty({ type: SessionUserDto }) user: SessionUserDto;
  @ApiProperty({
    description: 'Send as X-CSRF-Token (or form field _csrf) on every POST/PUT/PATCH/DELETE.',
  })
  csrfToken: string;
  @ApiProperty({
    description: 'Staff without a second factor may only enrol one (/account/totp) until they do.',
  })
  mustEnrolTotp: boolean;
}

function sessionResponse(user: AuthenticatedUser): SessionResponseDto {
  return {
    user: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      merchantId: user.merchantId,
    },
    csrfToken: user.csrfToken,
    mustEnrolTotp: user.mustEnrolTotp,
  };
}

/** The JSON login for API clients and scripts; the browser pages use /login. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthApiController {
  constructor(
    private readonly logouts: LogoutService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiOperation({
    summary: 'Log in',
    description:
      'Sets the HttpOnly session cookie `madoguchi_session`. 401 on a wrong email, password or TOTP code (one message ' +
      'for all, a locked account and an address outside the allow-list included: the answer never tells whether an ' +
      'account exists or is locked), 429 over the attempt budget per IP or per account, 403 for a cross-site post ' +
      '(Origin or Sec-Fetch-Site of another site).',
  })
  @ApiOkResponse({ type: SessionResponseDto })
  login(
    @Body() _body: LoginDto,
    @Req() request: LoginRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): SessionResponseDto {
    const result = request[LOGIN_RESULT_PROPERTY];
    if (!result) throw new Error('login guard did not run');
    setSessionCookie(reply, result.token, this.config.isProduction);
    return sessionResponse(result.user);
  }

  @Post('logout')
  @HttpCode(204)
  @AllowDuringTotpEnrolment()
  @ApiCookieAuth()
  @ApiHeader({ name: 'X-CSRF-Token', required: true })
  @ApiOperation({ summary: 'Log out: revokes the session and clears the cookie' })
  async logout(
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.logouts.logout(user, request.ip ?? null);
    clearSessionCookie(reply, this.config.isProduction);
  }

  @Get('me')
  @AllowDuringTotpEnrolment()
  @ApiCookieAuth()
  @ApiOperation({ summary: 'The signed-in user and the CSRF token of the session' })
  @ApiOkResponse({ type: SessionResponseDto })
  me(@CurrentUser() user: AuthenticatedUser): SessionResponseDto {
    return sessionResponse(user);
  }
}
