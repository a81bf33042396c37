import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { MerchantAdminService } from '@madoguchi/tickets';
import { CurrentUser, RequirePermission } from '../auth';
import { noticeFrom, seeOther, sendPage, viewerOf } from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import { renderAdminMerchantEdit, renderAdminMerchantList } from '../views';
import {
  adminActor,
  fieldErrorsOf,
  MERCHANT_FIELDS,
  merchantFormOf,
  SITE_FIELDS,
  siteFormOf,
} from './merchant-form.util';

const NOTICES = DESK_TEXTS.adminMerchants.notices;
const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** Merchants and their sites (admins only). Form errors re-render the page with 400. */
@ApiExcludeController()
@Controller('admin/merchants')
@RequirePermission('setup.manage')
export class MerchantPagesController {
  constructor(private readonly merchants: MerchantAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPage(
      reply,
      200,
      renderAdminMerchantList({
        viewer: viewerOf(user),
        merchants: await this.merchants.list(),
        notice: noticeFrom(NOTICES, done),
      }),
    );
  }

  @Post()
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const values = merchantFormOf(body);
    let merchantId: number;
    try {
      merchantId = (await this.merchants.createMerchant(values, adminActor(user, request))).id;
    } catch (error) {
      const errors = fieldErrorsOf(error, MERCHANT_FIELDS);
      if (!errors) throw error;
      const merchants = await this.merchants.list();
      sendPage(
        reply,
        400,
        renderAdminMerchantList({ viewer: viewerOf(user), merchants, values, errors }),
      );
      return;
    }
    seeOther(reply, `/admin/merchants/${merchantId}?done=merchantCreated`);
  }

  @Get(':id')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { merchant, sites } = await this.merchants.detail(id);
    sendPage(
      reply,
      200,
      renderAdminMerchantEdit({
        viewer: viewerOf(user),
        merchant,
        sites,
        notice: noticeFrom(NOTICES, done),
      }),
    );
  }

  @Post(':id')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const values = merchantFormOf(body);
    try {
      await this.merchants.updateMerchant(id, values, adminActor(user, request));
    } catch (error) {
      const errors = fieldErrorsOf(error, MERCHANT_FIELDS);
      if (!errors) throw error;
      const { merchant, sites } = await this.merchants.detail(id);
      sendPage(
        reply,
        400,
        renderAdminMerchantEdit({ viewer: viewerOf(user), merchant, sites, values, errors }),
      );
      return;
    }
    seeOther(reply, `/admin/merchants/${id}?done=merchantSaved`);
  }

  @Post(':id/sites')
  async addSite(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const siteValues = siteFormOf(body);
    let siteId: number;
    try {
      siteId = (await this.merchants.createSite(id, siteValues, adminActor(user, request))).id;
    } catch (error) {
      const siteErrors = fieldErrorsOf(error, SITE_FIELDS);
      if (!siteErrors) throw error;
      const { merchant, sites } = await this.merchants.detail(id);
      sendPage(
        reply,
        400,
        renderAdminMerchantEdit({
          viewer: viewerOf(user),
          merchant,
          sites,
          siteValues,
          siteErrors,
        }),
      );
      return;
    }
    seeOther(reply, `/admin/sites/${siteId}?done=siteCreated`);
  }
}
