import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { AppConfig } from '@madoguchi/config';
import type { Site } from '@madoguchi/tenancy';
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
import { SITE_FIELDS, siteFormOf } from '../merchants/merchant-form.util';
import { SITES_TEXTS } from './sites.texts';
import { renderAdminSiteEdit, type SiteFormErrors, type SiteFormValues } from './sites.view';

const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** Editing one site (admins only); the intake reads sites per request, so changes are live. */
@ApiExcludeController()
@Controller('admin/sites')
@RequirePermission('setup.manage')
export class AdminSitesController {
  constructor(
    private readonly merchants: MerchantAdminService,
    private readonly config: AppConfig,
  ) {}

  @Get(':id')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    const site = await this.merchants.site(id);
    return htmlPage(this.page(user, site, { notice: noticeFrom(SITES_TEXTS.notices, done) }));
  }

  @Post(':id')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const values = siteFormOf(body);
    return submitForm({
      fields: SITE_FIELDS,
      unplacedTo: SITE_FIELDS[0],
      run: () => this.merchants.updateSite(id, values, actor),
      done: `/admin/sites/${id}?done=siteSaved`,
      rerender: async ({ errors }) =>
        this.page(user, await this.merchants.site(id), { values, errors }),
    });
  }

  private page(
    user: AuthenticatedUser,
    site: Site,
    extra: { values?: SiteFormValues; errors?: SiteFormErrors; notice?: string | null },
  ): string {
    if (!site.merchant) throw new Error('site loaded without its merchant');
    return renderAdminSiteEdit({
      viewer: viewerOf(user),
      site,
      merchant: site.merchant,
      intakeUrl: `${this.config.http.intakePublicUrl}/s/${encodeURIComponent(site.slug)}`,
      inboundDomain: this.config.inboundMail.domain,
      ...extra,
    });
  }
}
