import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../../auth';
import { CurrentActor } from '../../web';
import type { BulkSendArea } from './bulk-send.view';
import { BulkSendPages } from './bulk-send-pages';

/**
 * The same pages under two roots, one controller each, so each root carries its own roles:
 * supervisors and admins (every merchant) and merchant admins (their own tickets only).
 */
function bulkSendController(area: BulkSendArea, root: string, roles: Parameters<typeof Roles>) {
  @ApiExcludeController()
  @Controller(root)
  @Roles(...roles)
  @RequirePermission('bulk.send')
  class BulkSendPagesController {
    constructor(readonly pages: BulkSendPages) {}

    @Get()
    list(@CurrentUser() user: AuthenticatedUser, @CurrentScope() scope: TenantScope) {
      return this.pages.list(area, user, scope);
    }

    @Get('new')
    form(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TenantScope,
      @Query() query: unknown,
    ) {
      return this.pages.form(area, user, scope, query);
    }

    @Get('preview')
    preview(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TenantScope,
      @Query() query: unknown,
    ) {
      return this.pages.preview(area, user, scope, query);
    }

    @Post()
    start(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TenantScope,
      @CurrentActor() actor: TicketActor,
      @Body() body: unknown,
    ) {
      return this.pages.start(area, user, scope, body, actor);
    }

    @Get(':id')
    run(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TenantScope,
      @Param('id') id: string,
      @Query() query: unknown,
    ) {
      return this.pages.run(area, user, scope, id, query);
    }

    @Post(':id/cancel')
    cancel(
      @CurrentScope() scope: TenantScope,
      @CurrentActor() actor: TicketActor,
      @Param('id') id: string,
    ) {
      return this.pages.cancel(area, scope, id, actor);
    }
  }
  return BulkSendPagesController;
}

export const SupervisorBulkSendController = bulkSendController(
  'supervisor',
  'supervisor/bulk-sends',
  ['admin', 'supervisor'],
);
export const PortalBulkSendController = bulkSendController('portal', 'portal/bulk-sends', [
  'merchant_admin',
]);
