import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toString as qrCodeSvg } from 'qrcode';
import { type AuthenticatedUser, LogoutService, TotpService } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { Public, toHttpError } from '@madoguchi/http';
import { LOGIN_TEXTS } from './login.texts';
import { renderLoginPage, renderTotpEnrolmentPage } from './login.view';
import { AllowDuringTotpEnrolment } from '../auth.decorators';
import { CurrentUser } from '../current-user.decorator';
import { LOGIN_RESULT_PROPERTY, LocalFormAuthGuard, type LoginRequest } from '../local-auth.guard';
import { nextParameter } from '../safe-next-path.util';
import { TOTP_ENROLMENT_PATH } from '../session.guard';
import { clearSessionCookie, setSessionCookie } from '../session-cookie.util';
import { type HtmlPage, htmlPage, type SeeOther, seeOtherTo } from '../../web';

/** The browser login, logout and second-factor enrolment pages (forms, no JavaScript needed). */
@ApiExcludeController()
@Controller()
export class LoginController {
  constructor(
    private readonly totp: TotpService,
    private readonly logouts: LogoutService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('login')
  loginForm(@Query('next') next: unknown, @Query('loggedOut') loggedOut: unknown): HtmlPage {
    return htmlPage(
      renderLoginPage({
        next: nextParameter(next),
        notice: loggedOut === '1' ? LOGIN_TEXTS.login.loggedOut : null,
      }),
    );
  }

  @Public()
  @Post('login')
  @UseGuards(LocalFormAuthGuard)
  login(
    @Body() body: Record<string, unknown> | undefined,
    @Req() request: LoginRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): HtmlPage | SeeOther {
    const fields = body ?? {};
    const next = nextParameter(fields.next);
    const result = request[LOGIN_RESULT_PROPERTY];
    if (!result) {
      const failure = toHttpError(
        request.loginError ??
          new DomainException(ErrorCode.AuthenticationFailed, LOGIN_TEXTS.login.errorTitle),
      );
      const email = typeof fields.email === 'string' ? fields.email.slice(0, 254) : '';
      return htmlPage(renderLoginPage({ email, next, error: failure.message }), failure.statusCode);
    }
    setSessionCookie(reply, result.token, this.config.isProduction);
    return seeOtherTo(result.user.mustEnrolTotp ? TOTP_ENROLMENT_PATH : next);
  }

  @Post('logout')
  @AllowDuringTotpEnrolment()
  async logout(
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SeeOther> {
    await this.logouts.logout(user, request.ip ?? null);
    clearSessionCookie(reply, this.config.isProduction);
    return seeOtherTo('/login?loggedOut=1');
  }

  @Get('account/totp')
  @AllowDuringTotpEnrolment()
  async enrolmentForm(@CurrentUser() user: AuthenticatedUser): Promise<HtmlPage> {
    return htmlPage(await this.enrolmentPage(user, null));
  }

  @Post('account/totp')
  @AllowDuringTotpEnrolment()
  async confirmEnrolment(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: Record<string, unknown> | undefined,
    @Req() request: FastifyRequest,
  ): Promise<HtmlPage | SeeOther> {
    const code = typeof body?.code === 'string' ? body.code : null;
    try {
      await this.totp.confirm(user.sessionId, user.id, code, request.ip ?? null);
    } catch (error) {
      if (!(error instanceof DomainException) || error.code !== ErrorCode.ValidationFailed)
        throw error;
      return htmlPage(await this.enrolmentPage(user, error.message), 400);
    }
    return seeOtherTo('/');
  }

  private async enrolmentPage(user: AuthenticatedUser, error: string | null): Promise<string> {
    if (await this.totp.isEnrolled(user.id)) {
      return renderTotpEnrolmentPage({ csrfToken: user.csrfToken, offer: null, mustEnrol: false });
    }
    const offer = await this.totp.offer(user.sessionId, user.email);
    const qrSvg = await qrCodeSvg(offer.uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return renderTotpEnrolmentPage({
      csrfToken: user.csrfToken,
      offer: { ...offer, qrSvg },
      mustEnrol: user.mustEnrolTotp,
      error,
    });
  }
}
