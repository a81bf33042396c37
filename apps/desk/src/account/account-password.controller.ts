import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountPasswordService, type AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { Public } from '@madoguchi/http';
import { adminFormErrors } from '../admin/users-admin.util';
import { CurrentUser } from '../auth';
import { FormValues, seeOther, sendPage, viewerOf } from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type PasswordFormErrors,
  renderForgotPasswordPage,
  renderForgotPasswordSentPage,
  renderPasswordChangePage,
  renderPasswordResetDonePage,
  renderPasswordResetPage,
} from './account.view';
import { PasswordAttemptLimiter } from './password-attempt-limiter.service';

const A = DESK_TEXTS.account;

function isRateLimited(error: unknown): error is DomainException {
  return error instanceof DomainException && error.code === ErrorCode.RateLimited;
}

/**
 * A user's own password: the change page for a signed-in user (any role, class `self`), and the
 * public forgotten-password pages (class `public`): the form, the same "sent" page whether or
 * not the address exists, and the one-time link's page. The public posts carry no CSRF token
 * (no session); the link's token is what authorises the reset.
 */
@ApiExcludeController()
@Controller()
export class AccountPasswordController {
  constructor(
    private readonly passwords: AccountPasswordService,
    private readonly limiter: PasswordAttemptLimiter,
  ) {}

  @Get('account/password')
  changeForm(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): void {
    sendPage(
      reply,
      200,
      renderPasswordChangePage({
        viewer: viewerOf(user),
        email: user.email,
        notice: done === 'changed' ? A.password.done : null,
      }),
    );
  }

  @Post('account/password')
  async change(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    if (form.text('currentPassword') === '') {
      // Nothing to check (no hash computed), so nothing to count either.
      sendPage(
        reply,
        400,
        renderPasswordChangePage({
          viewer: viewerOf(user),
          email: user.email,
          errors: { currentPassword: A.password.currentRequired },
        }),
      );
      return;
    }
    try {
      // Reserved before the current password is checked, as a login attempt is.
      await this.limiter.reserveChange(user.id);
      await this.passwords.change(
        user.id,
        user.sessionId,
        {
          currentPassword: form.text('currentPassword'),
          password: form.text('password'),
          confirmation: form.text('confirmation'),
        },
        request.ip ?? null,
      );
    } catch (error) {
      const page = (errors: PasswordFormErrors, message: string | null = null) =>
        renderPasswordChangePage({
          viewer: viewerOf(user),
          email: user.email,
          errors,
          error: message,
        });
      if (isRateLimited(error)) {
        sendPage(reply, 429, page({}, error.message));
        return;
      }
      const errors = adminFormErrors(error, 'password');
      if (!errors) throw error;
      sendPage(reply, 400, page(errors));
      return;
    }
    seeOther(reply, '/account/password?done=changed');
  }

  @Public()
  @Get('password/forgot')
  forgotForm(@Res() reply: FastifyReply): void {
    sendPage(reply, 200, renderForgotPasswordPage());
  }

  @Public()
  @Post('password/forgot')
  async forgot(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const email = new FormValues(body).text('email').trim().slice(0, 254);
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
      sendPage(reply, 400, renderForgotPasswordPage({ email, error: A.forgot.emailInvalid }));
      return;
    }
    try {
      await this.limiter.reserveReset(request.ip ?? null, email.toLowerCase());
    } catch (error) {
      if (!isRateLimited(error)) throw error;
      sendPage(reply, 429, renderForgotPasswordPage({ email, error: error.message }));
      return;
    }
    await this.passwords.requestReset(email, request.ip ?? null);
    // The same page whether or not the address is an account.
    sendPage(reply, 200, renderForgotPasswordSentPage());
  }

  @Public()
  @Get('password/reset/:token')
  async resetForm(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const account = await this.passwords.findReset(token);
    // The token must not leak to other sites through the Referer of a followed link.
    void reply.header('referrer-policy', 'no-referrer');
    sendPage(reply, 200, renderPasswordResetPage({ token, ...account }));
  }

  @Public()
  @Post('password/reset/:token')
  async reset(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    try {
      await this.passwords.reset(
        token,
        { password: form.text('password'), confirmation: form.text('confirmation') },
        request.ip ?? null,
      );
    } catch (error) {
      const errors = adminFormErrors(error, 'password');
      if (!errors) throw error;
      const account = await this.passwords.findReset(token);
      void reply.header('referrer-policy', 'no-referrer');
      sendPage(reply, 400, renderPasswordResetPage({ token, ...account, errors }));
      return;
    }
    sendPage(reply, 200, renderPasswordResetDonePage());
  }
}
