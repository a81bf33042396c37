import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type StatusLinkRequestIssue,
  StatusLinkRecoveryService,
  validateStatusLinkRequest,
} from '@madoguchi/tickets';
import { redirectSeeOther, sendHtml } from '../web/html-reply.util';
import { IntakeSiteService } from '../web/intake-site.service';
import { brandingOf } from '../web/site-branding.util';
import { STATUS_LINK_TEXTS } from './status-link.texts';
import { renderStatusLinkPage, statusLinkPath, type StatusLinkField } from './status-link.view';

const E = STATUS_LINK_TEXTS.errors;

function issueMessage(issue: StatusLinkRequestIssue): string {
  if (issue.field === 'reference')
    return issue.code === 'required' ? E.referenceRequired : E.referenceInvalid;
  return issue.code === 'required' ? E.emailRequired : E.emailInvalid;
}

/**
 * 「ステータスページのリンクを再送する」 on each branded site: reference + email → the status link
 * mailed again with a new token. Anonymous and without CSRF like the form (nothing is shown to
 * the requester; the mail goes only to the ticket's own address). Works for a site whose intake
 * has closed too: its shoppers may still need their page.
 */
@Controller('s')
export class StatusLinkController {
  constructor(
    private readonly sites: IntakeSiteService,
    private readonly recovery: StatusLinkRecoveryService,
  ) {}

  @Get(':site/status-link')
  async page(
    @Param('site') slug: string,
    @Query('sent') sent: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.sites.find(slug);
    sendHtml(
      reply,
      200,
      renderStatusLinkPage({
        site: brandingOf(target),
        values: {},
        errors: {},
        sent: sent === '1',
      }),
    );
  }

  /** The same answer (303 to `?sent=1`) whether or not the reference and the address match. */
  @Post(':site/status-link')
  async request(
    @Param('site') slug: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.sites.find(slug);
    const fields = body ?? {};
    const values: Partial<Record<StatusLinkField, string>> = {};
    for (const field of ['reference', 'email'] as const)
      if (typeof fields[field] === 'string') values[field] = fields[field] as string;
    const validation = validateStatusLinkRequest(fields);
    if (!validation.ok) {
      const errors: Partial<Record<StatusLinkField, string>> = {};
      for (const issue of validation.issues) errors[issue.field] ??= issueMessage(issue);
      sendHtml(reply, 400, renderStatusLinkPage({ site: brandingOf(target), values, errors }));
      return;
    }
    const outcome = await this.recovery.request(target, validation.value, request.ip);
    if (outcome === 'rate_limited') {
      sendHtml(
        reply,
        429,
        renderStatusLinkPage({ site: brandingOf(target), values, errors: {}, rateLimited: true }),
      );
      return;
    }
    redirectSeeOther(reply, `${statusLinkPath(target.site.slug)}?sent=1`);
  }
}
