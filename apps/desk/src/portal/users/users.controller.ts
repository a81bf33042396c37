import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { type MerchantScope, NotFoundException } from '@madoguchi/common';
import { MerchantSettingsService, MerchantSettingsUsersService } from '@madoguchi/tenant-admin';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../../auth';
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
import type { PortalFormErrors } from '../settings/settings.view';
import { PORTAL_USERS_PATH } from '../settings/settings.view';
import { merchantScopeOf } from '../shared/portal-http.util';
import { USERS_TEXTS } from './users.texts';
import {
  type PortalInviteFormValues,
  renderPortalUserDisableConfirm,
  renderPortalUsers,
} from './users.view';

const U = USERS_TEXTS;
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
    @CurrentScope() scope: TenantScope,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    const merchantScope = merchantScopeOf(scope);
    return htmlPage(await this.page(user, merchantScope, { notice: noticeFrom(U.notices, done) }));
  }

  @Post()
  invite(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const merchantScope = merchantScopeOf(scope);
    const form = new FormValues(body);
    const values: PortalInviteFormValues = {
      email: form.text('email'),
      displayName: form.text('displayName'),
      role: form.text('role'),
    };
    return submitForm({
      unplacedTo: 'email',
      run: () =>
        this.users.invite(
          merchantScope,
          {
            email: values.email ?? '',
            displayName: values.displayName ?? '',
            role: values.role ?? '',
          },
          actor,
        ),
      done: `${PORTAL_USERS_PATH}?done=invited`,
      rerender: ({ errors }) => this.page(user, merchantScope, { values, errors }),
    });
  }

  /** The confirm step of disabling; another merchant's user, or oneself, is 404. */
  @Get(':id/disable/confirm')
  async confirmDisable(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage> {
    const users = await this.users.list(merchantScopeOf(scope));
    const target = users.find((u) => u.id === id && u.id !== user.id && u.state !== 'disabled');
    if (!target) throw new NotFoundException(U.notFound);
    return htmlPage(renderPortalUserDisableConfirm({ viewer: viewerOf(user), user: target }));
  }

  @Post(':id/disable')
  disable(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage | SeeOther> {
    const merchantScope = merchantScopeOf(scope);
    return this.act(user, merchantScope, 'disabled', () =>
      this.users.disable(merchantScope, id, actor),
    );
  }

  @Post(':id/enable')
  enable(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage | SeeOther> {
    const merchantScope = merchantScopeOf(scope);
    return this.act(user, merchantScope, 'enabled', () =>
      this.users.enable(merchantScope, id, actor),
    );
  }

  /** A new invitation link for an invited user of this merchant; the old link stops working. */
  @Post(':id/resend-invite')
  resendInvite(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID_PIPE) id: number,
  ): Promise<HtmlPage | SeeOther> {
    const merchantScope = merchantScopeOf(scope);
    return this.act(user, merchantScope, 'inviteResent', () =>
      this.users.resendInvite(merchantScope, id, actor),
    );
  }

  /** The merchant's "second factor required of every user" setting (checkbox: on or absent). */
  @Post('totp-requirement')
  totpRequirement(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const merchantScope = merchantScopeOf(scope);
    const required = new FormValues(body).text('requireTotp') === 'on';
    return this.act(user, merchantScope, required ? 'totpRequired' : 'totpOptional', () =>
      this.users.setTotpRequired(merchantScope, required, actor),
    );
  }

  /** Runs an account action; a refusal (disabling oneself) re-renders the list with a 400. */
  private act(
    user: AuthenticatedUser,
    merchantScope: MerchantScope,
    done: keyof typeof U.notices,
    action: () => Promise<void>,
  ): Promise<HtmlPage | SeeOther> {
    return submitForm({
      unplacedTo: 'user',
      run: action,
      done: `${PORTAL_USERS_PATH}?done=${done}`,
      rerender: ({ errors }) => this.page(user, merchantScope, { errors }),
    });
  }

  private async page(
    user: AuthenticatedUser,
    merchantScope: MerchantScope,
    extra: { values?: PortalInviteFormValues; errors?: PortalFormErrors; notice?: string | null },
  ): Promise<string> {
    const settings = await this.settings.get(merchantScope);
    return renderPortalUsers({
      viewer: viewerOf(user),
      merchantName: settings.merchantName,
      users: await this.users.list(merchantScope),
      requireTotp: await this.users.totpRequired(merchantScope),
      ...extra,
    });
  }
}
