import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { formatText } from '@madoguchi/ui';
import {
  LEAK_CHECK_CODE_TTL_MINUTES,
  LEAK_CHECK_CODES_PER_HOUR,
  LeakCheckService,
} from '@madoguchi/incident-response';
import {
  AttachmentService,
  expectedAnswerSentence,
  sendAttachment,
  type StatusPageView,
  StatusPageService,
  tokenHashOf,
  validateCustomerReply,
} from '@madoguchi/tickets';
import { AttachmentChecker } from '../attachments/attachment-checker.service';
import { readIntakeForm } from '../attachments/intake-multipart.hook';
import { issueMessage } from '../inquiry/issue-messages';
import { redirectSeeOther, sendHtml } from '../web/html-reply.util';
import { INTAKE_SHARED_TEXTS } from '../web/shared.texts';
import { brandingOf } from '../web/site-branding.util';
import { LEAK_CHECK_TEXTS } from './leak-check.texts';
import type { LeakCheckError, LeakCheckSection } from './leak-check.view';
import { STATUS_PAGE_TEXTS } from './status-page.texts';
import { renderStatusPage, statusToneOf } from './status-page.view';

const LEAK_CHECK = LEAK_CHECK_TEXTS;
/** An id that is not a number is an unknown attachment: 404 like any other. */
const ATTACHMENT_ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/**
 * The end user's own page, opened with the secret token from the confirmation mail. The token
 * is the only key; unknown tokens are 404 like any unknown page, and lookups are rate limited.
 */
@Controller('status')
export class StatusPageController {
  constructor(
    private readonly statusPages: StatusPageService,
    private readonly leakCheck: LeakCheckService,
    private readonly attachments: AttachmentService,
    private readonly attachmentChecker: AttachmentChecker,
  ) {}

  @Get(':token')
  async view(
    @Param('token') token: string,
    @Query('sent') sent: string | undefined,
    @Query('code') code: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Issue 15: a merged ticket's link leads to the surviving ticket's page.
    const survivorPath = await this.statusPages.mergedStatusPath(token);
    if (survivorPath !== null) {
      redirectSeeOther(reply, survivorPath);
      return;
    }
    const view = await this.statusPages.view(token, request.ip);
    const codeNotice =
      code === 'sent'
        ? formatText(LEAK_CHECK.sent, { minutes: LEAK_CHECK_CODE_TTL_MINUTES })
        : undefined;
    sendHtml(
      reply,
      200,
      this.render(token, view, {
        notice: sent === '1' ? STATUS_PAGE_TEXTS.replySent : undefined,
        leakCheck: await this.leakCheckSection(token, { notice: codeNotice }),
      }),
    );
  }

  /** 確認コードをメールで受け取る: mails a one-time code to the ticket's email. */
  @Post(':token/leak-check')
  async requestLeakCheckCode(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.leakCheck.requestCode(token, request.ip);
    if (outcome === 'sent') {
      redirectSeeOther(reply, `/status/${token}?code=sent#leak-check`);
      return;
    }
    const error: LeakCheckError = {
      step: 'request',
      message: formatText(LEAK_CHECK.errors.rate_limited, { max: LEAK_CHECK_CODES_PER_HOUR }),
    };
    const view = await this.statusPages.view(token, request.ip);
    sendHtml(
      reply,
      429,
      this.render(token, view, { leakCheck: await this.leakCheckSection(token, { error }) }),
    );
  }

  /** The code from the mail: right → the answer, shown this once; wrong or expired → says so. */
  @Post(':token/leak-check/verify')
  async verifyLeakCheckCode(
    @Param('token') token: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const code = typeof body?.code === 'string' ? body.code : '';
    const checked = await this.leakCheck.verify(token, code, request.ip);
    const view = await this.statusPages.view(token, request.ip);
    if (checked.outcome === 'verified') {
      const leakCheck: LeakCheckSection = { kind: 'result', answer: checked.answer };
      sendHtml(reply, 200, this.render(token, view, { leakCheck }));
      return;
    }
    const error: LeakCheckError = {
      step: 'verify',
      message:
        checked.outcome === 'wrong'
          ? formatText(LEAK_CHECK.errors.wrong, { remaining: checked.remaining })
          : formatText(LEAK_CHECK.errors[checked.outcome], { request: LEAK_CHECK.request }),
    };
    const retry = checked.outcome === 'wrong' || checked.outcome === 'invalid_format';
    sendHtml(
      reply,
      400,
      this.render(token, view, {
        leakCheck: await this.leakCheckSection(token, { error, showCodeForm: retry }),
      }),
    );
  }

  private async leakCheckSection(
    token: string,
    extra: { notice?: string; error?: LeakCheckError; showCodeForm?: boolean },
  ): Promise<LeakCheckSection | null> {
    const offer = await this.leakCheck.offer(token);
    if (offer === null) return null;
    if (offer.kind === 'no_email') return { kind: 'no_email' };
    return {
      kind: 'offer',
      requestAction: `/status/${token}/leak-check`,
      verifyAction: `/status/${token}/leak-check/verify`,
      showCodeForm: extra.showCodeForm ?? offer.codePending,
      validMinutes: LEAK_CHECK_CODE_TTL_MINUTES,
      notice: extra.notice,
      error: extra.error,
    };
  }

  /**
   * A file of a public message of this ticket, by the page's token; anything else is 404. Always
   * a download (Content-Disposition: attachment, nosniff, a sandbox CSP), never shown inline.
   */
  @Get(':token/attachments/:id')
  async attachment(
    @Param('token') token: string,
    @Param('id', ATTACHMENT_ID) id: number,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendAttachment(reply, await this.attachments.openForStatusToken(token, id));
  }

  /** Form-encoded, or multipart with files in `attachments` (the same limits as the form). */
  @Post(':token/replies')
  async reply(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // A malformed token is 404 before the upload is read.
    tokenHashOf(token);
    const form = await readIntakeForm(request);
    const body = form.fields;
    const validation = validateCustomerReply(body);
    const checked = await this.attachmentChecker.check(form);
    if (!validation.ok || !checked.ok) {
      const view = await this.statusPages.view(token, request.ip);
      const value = typeof body.message === 'string' ? body.message : '';
      sendHtml(
        reply,
        400,
        this.render(token, view, {
          replyValue: value,
          replyError: validation.ok ? undefined : issueMessage(validation.issue),
          attachmentError: checked.ok ? undefined : checked.error,
          filesSent: form.filesSent,
          leakCheck: await this.leakCheckSection(token, {}),
        }),
      );
      return;
    }
    try {
      await this.statusPages.addCustomerReply(token, validation.message, request.ip, checked.files);
    } catch (error) {
      if (!(error instanceof DomainException && error.code === ErrorCode.TicketFinished))
        throw error;
      const view = await this.statusPages.view(token, request.ip);
      const leakCheck = await this.leakCheckSection(token, {});
      sendHtml(
        reply,
        409,
        this.render(token, view, { notice: STATUS_PAGE_TEXTS.replyClosed, leakCheck }),
      );
      return;
    }
    redirectSeeOther(reply, `/status/${token}?sent=1`);
  }

  private render(
    token: string,
    view: StatusPageView,
    extra: {
      notice?: string;
      replyValue?: string;
      replyError?: string;
      attachmentError?: string;
      filesSent?: number;
      leakCheck?: LeakCheckSection | null;
    },
  ): string {
    return renderStatusPage({
      site: brandingOf(view),
      reference: view.reference,
      statusLabel: STATUS_PAGE_TEXTS.statusLabels[view.status],
      statusTone: statusToneOf(view.status),
      expectedAnswer: view.expectedAnswer ? expectedAnswerSentence(view.expectedAnswer) : null,
      categoryLabel: INTAKE_SHARED_TEXTS.categories[view.category],
      createdAt: view.createdAt,
      messages: view.messages.map((message) => ({
        ...message,
        attachments: message.attachments.map((file) => ({
          filename: file.filename,
          size: file.size,
          url: `/status/${token}/attachments/${file.id}`,
        })),
      })),
      replyAction: view.acceptsReplies ? `/status/${token}/replies` : null,
      ...extra,
    });
  }
}
