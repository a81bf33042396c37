import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { type StatusPageView, StatusPageService, validateCustomerReply } from '@madoguchi/tickets';
import { INTAKE_TEXTS } from '../i18n/ja';
import { redirectSeeOther, sendHtml } from '../inquiry/html-reply.util';
import { issueMessage } from '../inquiry/issue-messages';
import { brandingOf } from '../inquiry/site-branding.util';
import { renderStatusPage } from '../views';

/**
 * The end user's own page, opened with the secret token from the confirmation mail. The token
 * is the only key; unknown tokens are 404 like any unknown page, and lookups are rate limited.
 */
@Controller('status')
export class StatusPageController {
  constructor(private readonly statusPages: StatusPageService) {}

  @Get(':token')
  async view(
    @Param('token') token: string,
    @Query('sent') sent: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.statusPages.view(token, request.ip);
    sendHtml(
      reply,
      200,
      this.render(token, view, {
        notice: sent === '1' ? INTAKE_TEXTS.status.replySent : undefined,
      }),
    );
  }

  @Post(':token/replies')
  async reply(
    @Param('token') token: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const validation = validateCustomerReply(body);
    if (!validation.ok) {
      const view = await this.statusPages.view(token, request.ip);
      const value = typeof body?.message === 'string' ? body.message : '';
      sendHtml(
        reply,
        400,
        this.render(token, view, { replyValue: value, replyError: issueMessage(validation.issue) }),
      );
      return;
    }
    try {
      await this.statusPages.addCustomerReply(token, validation.message, request.ip);
    } catch (error) {
      if (!(error instanceof DomainException && error.code === ErrorCode.TicketFinished))
        throw error;
      const view = await this.statusPages.view(token, request.ip);
      sendHtml(reply, 409, this.render(token, view, { notice: INTAKE_TEXTS.status.replyClosed }));
      return;
    }
    redirectSeeOther(reply, `/status/${token}?sent=1`);
  }

  private render(
    token: string,
    view: StatusPageView,
    extra: { notice?: string; replyValue?: string; replyError?: string },
  ): string {
    return renderStatusPage({
      site: brandingOf(view),
      reference: view.reference,
      statusLabel: INTAKE_TEXTS.statusLabels[view.status],
      categoryLabel: INTAKE_TEXTS.categories[view.category],
      createdAt: view.createdAt,
      messages: view.messages,
      replyAction: view.acceptsReplies ? `/status/${token}/replies` : null,
      ...extra,
    });
  }
}
