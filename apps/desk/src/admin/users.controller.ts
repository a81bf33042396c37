import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthenticatedUser, UserAdminService } from '@madoguchi/auth';
import { CurrentUser, RequirePermission } from '../auth';
import {
  consoleActor,
  FormValues,
  noticeFrom,
  seeOther,
  sendPage,
  viewerOf,
} from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type AdminFormErrors,
  type InviteFormValues,
  renderAdminUserDetail,
  renderAdminUserList,
} from '../views/admin-users.view';
import { adminFormErrors } from './users-admin.util';

const A = DESK_TEXTS.adminUsers;
const ID_PIPE = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** Users of the desk: list, invitations and account actions. Admins only (403 for others). */
@ApiExcludeController()
@Controller('admin/users')
@RequirePermission('admin.manage')
export class UsersAdminController {
  constructor(private readonly users: UserAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.renderList(reply, 200, user, { notice: noticeFrom(A.notices, done) });
  }

  @Post()
  async invite(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const values: InviteFormValues = {
      email: form.text('email'),
      displayName: form.text('displayName'),
      role: form.text('role'),
      merchantId: form.text('merchantId'),
    };
    const merchantId = values.merchantId?.trim() === '' ? null : form.positiveInt('merchantId');
    try {
      await this.users.invite(
        {
          email: values.email ?? '',
          displayName: values.displayName ?? '',
          role: values.role ?? '',
          // An unreadable choice is no merchant, which the service refuses for merchant roles.
          merchantId: merchantId ?? (values.merchantId?.trim() === '' ? null : Number.NaN),
        },
        consoleActor(user, request),
      );
    } catch (error) {
      const errors = adminFormErrors(error, 'email');
      if (!errors) throw error;
      await this.renderList(reply, 400, user, { values, errors });
      return;
    }
    seeOther(reply, '/admin/users?done=invited');
  }

  @Get(':id')
  async detail(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPage(
      reply,
      200,
      renderAdminUserDetail({
        viewer: viewerOf(user),
        user: await this.users.get(id),
        notice: noticeFrom(A.notices, done),
      }),
    );
  }

  @Post(':id/disable')
  disable(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.act(reply, user, id, 'disabled', () =>
      this.users.disable(id, consoleActor(user, request)),
    );
  }

  @Post(':id/enable')
  enable(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.act(reply, user, id, 'enabled', () =>
      this.users.enable(id, consoleActor(user, request)),
    );
  }

  @Post(':id/unlock')
  unlock(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.act(reply, user, id, 'unlocked', () =>
      this.users.unlock(id, consoleActor(user, request)),
    );
  }

  @Post(':id/reset-totp')
  resetTotp(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.act(reply, user, id, 'totpReset', () =>
      this.users.resetTotp(id, consoleActor(user, request)),
    );
  }

  /** A new invitation link by mail; the old link stops working (invited users only). */
  @Post(':id/resend-invite')
  resendInvite(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.act(reply, user, id, 'inviteResent', () =>
      this.users.resendInvite(id, consoleActor(user, request)),
    );
  }

  @Post(':id/role')
  changeRole(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const role = new FormValues(body).text('role');
    return this.act(reply, user, id, 'roleChanged', () =>
      this.users.changeRole(id, role, consoleActor(user, request)),
    );
  }

  /** Runs an account action; a refusal re-renders the user's page with a 400. */
  private async act(
    reply: FastifyReply,
    user: AuthenticatedUser,
    id: number,
    done: keyof typeof A.notices,
    action: () => Promise<void>,
  ): Promise<void> {
    try {
      await action();
    } catch (error) {
      const errors = adminFormErrors(error, 'user');
      if (!errors) throw error;
      sendPage(
        reply,
        400,
        renderAdminUserDetail({ viewer: viewerOf(user), user: await this.users.get(id), errors }),
      );
      return;
    }
    seeOther(reply, `/admin/users/${id}?done=${done}`);
  }

  private async renderList(
    reply: FastifyReply,
    status: number,
    user: AuthenticatedUser,
    extra: { values?: InviteFormValues; errors?: AdminFormErrors; notice?: string | null },
  ): Promise<void> {
    sendPage(
      reply,
      status,
      renderAdminUserList({
        viewer: viewerOf(user),
        users: await this.users.list(),
        merchants: await this.users.merchantOptions(),
        ...extra,
      }),
    );
  }
}
