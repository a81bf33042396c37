import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountPasswordService, type AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { Public } from '@madoguchi/http';
import type { TicketActor } from '@madoguchi/tenancy';
import { CurrentUser } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  type SeeOther,
  submitForm,
  viewerOf,
} from '../../web';
import { oneTimeLinkPage, setPasswordByLink } from './one-time-link';
import { PasswordAttemptLimiter } from './password-attempt-limiter.service';
import { PASSWORD_TEXTS } from './password.texts';
import {
  type PasswordFormErrors,
  renderForgotPasswordPage,
  renderForgotPasswordSentPage,
  renderPasswordChangePage,
  renderPasswordResetDonePage,
  renderPasswordResetPage,
} from './password.view';

const A = PASSWORD_TEXTS;

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
  changeForm(@CurrentUser() user: AuthenticatedUser, @Query('done') done: unknown): HtmlPage {
    return htmlPage(
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
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const page = (errors: PasswordFormErrors, message: string | null = null) =>
      renderPasswordChangePage({
        viewer: viewerOf(user),
        email: user.email,
        errors,
        error: message,
      });
    if (form.text('currentPassword') === '') {
      // Nothing to check (no hash computed), so nothing to count either.
      return htmlPage(page({ currentPassword: A.password.currentRequired }), 400);
    }
    try {
      return await submitForm({
        unplacedTo: 'password',
        run: async () => {
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
            actor.ip,
          );
        },
        done: '/account/password?done=changed',
        rerender: ({ errors }) => page(errors),
      });
    } catch (error) {
      if (!isRateLimited(error)) throw error;
      return htmlPage(page({}, error.message), 429);
    }
  }

  @Public()
  @Get('password/forgot')
  forgotForm(): HtmlPage {
    return htmlPage(renderForgotPasswordPage());
  }

  @Public()
  @Post('password/forgot')
  async forgot(@Body() body: unknown, @Req() request: FastifyRequest): Promise<HtmlPage> {
    const email = new FormValues(body).text('email').trim().slice(0, 254);
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
      return htmlPage(renderForgotPasswordPage({ email, error: A.forgot.emailInvalid }), 400);
    }
    try {
      await this.limiter.reserveReset(request.ip ?? null, email.toLowerCase());
    } catch (error) {
      if (!isRateLimited(error)) throw error;
      return htmlPage(renderForgotPasswordPage({ email, error: error.message }), 429);
    }
    await this.passwords.requestReset(email, request.ip ?? null);
    // The same page whether or not the address is an account.
    return htmlPage(renderForgotPasswordSentPage());
  }

  @Public()
  @Get('password/reset/:token')
  async resetForm(
    @Param('token') token: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HtmlPage> {
    const account = await this.passwords.findReset(token);
    return oneTimeLinkPage(reply, renderPasswordResetPage({ token, ...account }));
  }

  @Public()
  @Post('password/reset/:token')
  reset(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HtmlPage> {
    return setPasswordByLink({
      body,
      reply,
      set: (values) => this.passwords.reset(token, values, request.ip ?? null),
      form: async (errors) =>
        renderPasswordResetPage({ token, ...(await this.passwords.findReset(token)), errors }),
      done: renderPasswordResetDonePage,
    });
  }
}
