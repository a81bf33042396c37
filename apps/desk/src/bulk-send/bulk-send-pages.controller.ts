import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import type { TicketScope } from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../auth';
import type { BulkSendArea } from '../views/bulk-send.view';
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
    list(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TicketScope,
      @Res() reply: FastifyReply,
    ) {
      return this.pages.list(area, user, scope, reply);
    }

    @Get('new')
    form(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TicketScope,
      @Query() query: unknown,
      @Res() reply: FastifyReply,
    ) {
      return this.pages.form(area, user, scope, query, reply);
    }

    @Get('preview')
    preview(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TicketScope,
      @Query() query: unknown,
      @Res() reply: FastifyReply,
    ) {
      return this.pages.preview(area, user, scope, query, reply);
    }

    @Post()
    start(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TicketScope,
      @Body() body: unknown,
      @Req() request: FastifyRequest,
      @Res() reply: FastifyReply,
    ) {
      return this.pages.start(area, user, scope, body, request, reply);
    }

    @Get(':id')
    run(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TicketScope,
      @Param('id') id: string,
      @Query() query: unknown,
      @Res() reply: FastifyReply,
    ) {
      return this.pages.run(area, user, scope, id, query, reply);
    }

    @Post(':id/cancel')
    cancel(
      @CurrentUser() user: AuthenticatedUser,
      @CurrentScope() scope: TicketScope,
      @Param('id') id: string,
      @Req() request: FastifyRequest,
      @Res() reply: FastifyReply,
    ) {
      return this.pages.cancel(area, user, scope, id, request, reply);
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
