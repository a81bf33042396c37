import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FaqPageService } from '@madoguchi/incident-response';
import { sendHtml } from '../web/html-reply.util';
import { IntakeSiteService } from '../web/intake-site.service';
import { brandingOf } from '../web/site-branding.util';
import { FROM_FAQ_FIELD, renderIncidentPage } from './incident-page.view';

/**
 * The public incident page of a site (issue 13.6): the answers of purpose `faq` that the site's
 * merchant approved, for the incidents that affect it. Read-only apart from one counter upsert
 * per view (counts per site and Tokyo day; no cookie, no IP stored). The route counts against
 * the intake's per-IP rate limit (intake-app.factory.ts), so a stranger cannot flood the counter.
 * 404 for an unknown site; a closed site still shows its answers (its form says it is closed).
 */
@Controller('s')
export class IncidentPageController {
  constructor(
    private readonly sites: IntakeSiteService,
    private readonly faq: FaqPageService,
  ) {}

  @Get(':site/incident')
  async show(
    @Param('site') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.sites.find(slug);
    const answers = await this.faq.answers(target);
    // A view is counted only when there was something to read, and never for HEAD.
    if (answers.length > 0 && request.method === 'GET') await this.faq.countView(target);
    sendHtml(
      reply,
      200,
      renderIncidentPage({
        site: brandingOf(target),
        answers,
        formUrl: `/s/${target.site.slug}?${FROM_FAQ_FIELD}=1`,
      }),
    );
  }
}
