import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { MerchantAdminService } from '@madoguchi/tenant-admin';
import { type TicketActor } from '@madoguchi/tenancy';
import { CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  type SeeOther,
  submitForm,
  viewerOf,
} from '../../web';
import { MERCHANT_FIELDS, merchantFormOf, SITE_FIELDS, siteFormOf } from './merchant-form.util';
import { MERCHANTS_TEXTS } from './merchants.texts';
import { renderAdminMerchantEdit, renderAdminMerchantList } from './merchants.view';

const NOTICES = MERCHANTS_TEXTS.notices;
const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** Merchants and their sites (admins only). Form errors re-render the page with 400. */
@ApiExcludeController()
@Controller('admin/merchants')
@RequirePermission('setup.manage')
export class AdminMerchantsController {
  constructor(private readonly merchants: MerchantAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
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
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const values = merchantFormOf(body);
    return submitForm({
      fields: MERCHANT_FIELDS,
      unplacedTo: MERCHANT_FIELDS[0],
      run: () => this.merchants.createMerchant(values, actor),
      done: (merchant) => `/admin/merchants/${merchant.id}?done=merchantCreated`,
      rerender: async ({ errors }) =>
        renderAdminMerchantList({
          viewer: viewerOf(user),
          merchants: await this.merchants.list(),
          values,
          errors,
        }),
    });
  }

  @Get(':id')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    const { merchant, sites } = await this.merchants.detail(id);
    return htmlPage(
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
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const values = merchantFormOf(body);
    return submitForm({
      fields: MERCHANT_FIELDS,
      unplacedTo: MERCHANT_FIELDS[0],
      run: () => this.merchants.updateMerchant(id, values, actor),
      done: `/admin/merchants/${id}?done=merchantSaved`,
      rerender: async ({ errors }) => {
        const { merchant, sites } = await this.merchants.detail(id);
        return renderAdminMerchantEdit({ viewer: viewerOf(user), merchant, sites, values, errors });
      },
    });
  }

  @Post(':id/sites')
  async addSite(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const siteValues = siteFormOf(body);
    return submitForm({
      fields: SITE_FIELDS,
      unplacedTo: SITE_FIELDS[0],
      run: () => this.merchants.createSite(id, siteValues, actor),
      done: (site) => `/admin/sites/${site.id}?done=siteCreated`,
      rerender: async ({ errors: siteErrors }) => {
        const { merchant, sites } = await this.merchants.detail(id);
        return renderAdminMerchantEdit({
          viewer: viewerOf(user),
          merchant,
          sites,
          siteValues,
          siteErrors,
        });
      },
    });
  }
}
