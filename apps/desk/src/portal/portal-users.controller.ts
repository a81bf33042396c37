import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import {
  MerchantSettingsService,
  MerchantSettingsUsersService,
  type TicketScope,
} from '@madoguchi/tickets';
import { adminFormErrors } from '../admin/users-admin.util';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../auth';
import {
  consoleActor,
  FormValues,
  noticeFrom,
  seeOther,
  sendPage,
  viewerOf,
} from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import type { PortalFormErrors } from '../views/portal-settings.view';
import { PORTAL_USERS_PATH } from '../views/portal-settings.view';
import { type PortalInviteFormValues, renderPortalUsers } from '../views/portal-users.view';
import { merchantScopeOf } from './portal-http.util';

const U = DESK_TEXTS.portalSettings.users;
// A malformed id is simply not one of this merchant's users.
const ID_PIPE = new ParseIntPipe({ errorHttpStatusCode: 404 });

/**
 * A merchant admin's users: list, invite (merchant roles only, into its own merchant), disable
 * and enable. Another merchant's user id answers 404, like an unknown one.
 */
@ApiExcludeController()
@Controller('portal/users')
@Roles('merchant_admin')
@RequirePermission('merchant.settings')
export class PortalUsersController {
  constructor(
    private readonly users: MerchantSettingsUsersService,
    private readonly settings: MerchantSettingsService,
  ) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { merchantId } = merchantScopeOf(scope);
    await this.render(reply, 200, user, merchantId, { notice: noticeFrom(U.notices, done) });
  }

  @Post()
  async invite(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { merchantId } = merchantScopeOf(scope);
    const form = new FormValues(body);
    const values: PortalInviteFormValues = {
      email: form.text('email'),
      displayName: form.text('displayName'),
      role: form.text('role'),
    };
    try {
      await this.users.invite(
        merchantId,
        {
          email: values.email ?? '',
          displayName: values.displayName ?? '',
          role: values.role ?? '',
        },
        consoleActor(user, request),
      );
    } catch (error) {
      const errors = adminFormErrors(error, 'email');
      if (!errors) throw error;
      await this.render(reply, 400, user, merchantId, { values, errors });
      return;
    }
    seeOther(reply, `${PORTAL_USERS_PATH}?done=invited`);
  }

  @Post(':id/disable')
  disable(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id', ID_PIPE) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { merchantId } = merchantScopeOf(scope);
    return this.act(reply, user, merchantId, 'disabled', () =>
      this.users.disable(merchantId, id, consoleActor(user, request)),
    );
  }

  @Post(':id/enable')
  enable(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id', ID_PIPE) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { merchantId } = merchantScopeOf(scope);
    return this.act(reply, user, merchantId, 'enabled', () =>
      this.users.enable(merchantId, id, consoleActor(user, request)),
    );
  }

  /** A new invitation link for an invited user of this merchant; the old link stops working. */
  @Post(':id/resend-invite')
  resendInvite(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id', ID_PIPE) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { merchantId } = merchantScopeOf(scope);
    return this.act(reply, user, merchantId, 'inviteResent', () =>
      this.users.resendInvite(merchantId, id, consoleActor(user, request)),
    );
  }

  /** The merchant's "second factor required of every user" setting (checkbox: on or absent). */
  @Post('totp-requirement')
  totpRequirement(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { merchantId } = merchantScopeOf(scope);
    const required = new FormValues(body).text('requireTotp') === 'on';
    return this.act(reply, user, merchantId, required ? 'totpRequired' : 'totpOptional', () =>
      this.users.setTotpRequired(merchantId, required, consoleActor(user, request)),
    );
  }

  /** Runs an account action; a refusal (disabling oneself) re-renders the list with a 400. */
  private async act(
    reply: FastifyReply,
    user: AuthenticatedUser,
    merchantId: number,
    done: keyof typeof U.notices,
    action: () => Promise<void>,
  ): Promise<void> {
    try {
      await action();
    } catch (error) {
      const errors = adminFormErrors(error, 'user');
      if (!errors) throw error;
      await this.render(reply, 400, user, merchantId, { errors });
      return;
    }
    seeOther(reply, `${PORTAL_USERS_PATH}?done=${done}`);
  }

  private async render(
    reply: FastifyReply,
    status: number,
    user: AuthenticatedUser,
    merchantId: number,
    extra: { values?: PortalInviteFormValues; errors?: PortalFormErrors; notice?: string | null },
  ): Promise<void> {
    const settings = await this.settings.get(merchantId);
    sendPage(
      reply,
      status,
      renderPortalUsers({
        viewer: viewerOf(user),
        merchantName: settings.merchantName,
        users: await this.users.list(merchantId),
        requireTotp: await this.users.totpRequired(merchantId),
        ...extra,
      }),
    );
  }
}
