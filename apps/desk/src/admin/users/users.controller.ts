import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type AuthenticatedUser, UserAdminService } from '@madoguchi/auth';
import type { TicketActor } from '@madoguchi/tenancy';
import { CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  type SeeOther,
  submitForm,
  viewerOf,
} from '../../web';
import { USERS_TEXTS } from './users.texts';
import {
  type AdminFormErrors,
  type AdminUserConfirmedAction,
  type InviteFormValues,
  renderAdminUserConfirm,
  renderAdminUserDetail,
  renderAdminUserList,
} from './users.view';

const A = USERS_TEXTS;
const ID_PIPE = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** Users of the desk: list, invitations and account actions. Admins only (403 for others). */
@ApiExcludeController()
@Controller('admin/users')
@RequirePermission('admin.manage')
export class AdminUsersController {
  constructor(private readonly users: UserAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(await this.listPage(user, { notice: noticeFrom(A.notices, done) }));
  }

  @Post()
  async invite(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const values: InviteFormValues = {
      email: form.text('email'),
      displayName: form.text('displayName'),
      role: form.text('role'),
      merchantId: form.text('merchantId'),
    };
    const merchantId = values.merchantId?.trim() === '' ? null : form.positiveInt('merchantId');
    return submitForm({
      unplacedTo: 'email',
      run: () =>
        this.users.invite(
          {
            email: values.email ?? '',
            displayName: values.displayName ?? '',
            role: values.role ?? '',
            // An unreadable choice is no merchant, which the service refuses for merchant roles.
            merchantId: merchantId ?? (values.merchantId?.trim() === '' ? null : Number.NaN),
          },
          actor,
        ),
      done: '/admin/users?done=invited',
      rerender: ({ errors }) => this.listPage(user, { values, errors }),
    });
  }

  @Get(':id')
  async detail(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderAdminUserDetail({
        viewer: viewerOf(user),
        user: await this.users.get(id),
        notice: noticeFrom(A.notices, done),
      }),
    );
  }

  /** The confirm step of disabling: says what will happen, then posts to :id/disable. */
  @Get(':id/disable/confirm')
  confirmDisable(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage> {
    return this.confirmPage(user, id, 'disable');
  }

  @Get(':id/reset-totp/confirm')
  confirmResetTotp(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage> {
    return this.confirmPage(user, id, 'reset-totp');
  }

  @Post(':id/disable')
  disable(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage | SeeOther> {
    return this.act(user, id, 'disabled', () => this.users.disable(id, actor));
  }

  @Post(':id/enable')
  enable(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage | SeeOther> {
    return this.act(user, id, 'enabled', () => this.users.enable(id, actor));
  }

  @Post(':id/unlock')
  unlock(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage | SeeOther> {
    return this.act(user, id, 'unlocked', () => this.users.unlock(id, actor));
  }

  @Post(':id/reset-totp')
  resetTotp(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage | SeeOther> {
    return this.act(user, id, 'totpReset', () => this.users.resetTotp(id, actor));
  }

  /** A new invitation link by mail; the old link stops working (invited users only). */
  @Post(':id/resend-invite')
  resendInvite(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage | SeeOther> {
    return this.act(user, id, 'inviteResent', () => this.users.resendInvite(id, actor));
  }

  @Post(':id/role')
  changeRole(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID_PIPE) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    return this.act(user, id, 'roleChanged', () =>
      this.users.changeRole(id, new FormValues(body).text('role'), actor),
    );
  }

  private async confirmPage(
    user: AuthenticatedUser,
    id: number,
    action: AdminUserConfirmedAction,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderAdminUserConfirm({ viewer: viewerOf(user), user: await this.users.get(id), action }),
    );
  }

  /** Runs an account action; a refusal re-renders the user's page with a 400. */
  private act(
    user: AuthenticatedUser,
    id: number,
    done: keyof typeof A.notices,
    action: () => Promise<void>,
  ): Promise<HtmlPage | SeeOther> {
    return submitForm({
      unplacedTo: 'user',
      run: action,
      done: `/admin/users/${id}?done=${done}`,
      rerender: async ({ errors }) =>
        renderAdminUserDetail({ viewer: viewerOf(user), user: await this.users.get(id), errors }),
    });
  }

  private async listPage(
    user: AuthenticatedUser,
    extra: { values?: InviteFormValues; errors?: AdminFormErrors; notice?: string | null },
  ): Promise<string> {
    return renderAdminUserList({
      viewer: viewerOf(user),
      users: await this.users.list(),
      merchants: await this.users.merchantOptions(),
      ...extra,
    });
  }
}
