import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { AppConfig } from '@madoguchi/config';
import type { Site } from '@madoguchi/tenancy';
import { MerchantAdminService } from '@madoguchi/tickets';
import { CurrentUser, RequirePermission } from '../auth';
import { noticeFrom, seeOther, sendPage, viewerOf } from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import { renderAdminSiteEdit, type SiteFormErrors, type SiteFormValues } from '../views';
import { adminActor, fieldErrorsOf, SITE_FIELDS, siteFormOf } from './merchant-form.util';

const NOTICES = DESK_TEXTS.adminMerchants.notices;
const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** Editing one site (admins only); the intake reads sites per request, so changes are live. */
@ApiExcludeController()
@Controller('admin/sites')
@RequirePermission('setup.manage')
export class SitePagesController {
  constructor(
    private readonly merchants: MerchantAdminService,
    private readonly config: AppConfig,
  ) {}

  @Get(':id')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const site = await this.merchants.site(id);
    sendPage(reply, 200, this.page(user, site, { notice: noticeFrom(NOTICES, done) }));
  }

  @Post(':id')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const values = siteFormOf(body);
    try {
      await this.merchants.updateSite(id, values, adminActor(user, request));
    } catch (error) {
      const errors = fieldErrorsOf(error, SITE_FIELDS);
      if (!errors) throw error;
      sendPage(reply, 400, this.page(user, await this.merchants.site(id), { values, errors }));
      return;
    }
    seeOther(reply, `/admin/sites/${id}?done=siteSaved`);
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
      ...extra,
    });
  }
}
