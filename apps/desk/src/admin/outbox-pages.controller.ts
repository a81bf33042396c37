import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { ValidationFailedException } from '@madoguchi/common';
import { OutboxAdminService, type OutboxExpectedState } from '@madoguchi/mail';
import { CurrentUser, RequirePermission } from '../auth';
import {
  consoleActor,
  FormValues,
  noticeFrom,
  seeOther,
  sendPage,
  viewerOf,
} from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import { renderAdminOutbox } from '../views/admin-outbox.view';

const O = DESK_TEXTS.outbox;
const ID_PIPE = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** The state the form carried (hidden fields); missing or malformed is a 400. */
function expectedState(body: unknown): OutboxExpectedState {
  const form = new FormValues(body);
  const status = form.text('status');
  const attempts = form.text('attempts').trim();
  if (!['pending', 'dead'].includes(status) || !/^\d{1,9}$/.test(attempts)) {
    throw new ValidationFailedException([
      { field: 'status', message: 'フォームが正しくありません。読み込み直してください。' },
    ]);
  }
  return { status, attempts: Number(attempts) };
}

/**
 * `/admin/outbox` (docs/operations.md, "The outbox page"): undelivered mail without bodies or
 * full addresses, retry and discard, each audited. Admins only; the session guard checks CSRF
 * on the posts; a mail changed since the page was drawn answers 409.
 */
@ApiExcludeController()
@Controller('admin/outbox')
@RequirePermission('outbox.manage')
export class OutboxPagesController {
  constructor(private readonly outbox: OutboxAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPage(
      reply,
      200,
      renderAdminOutbox({
        viewer: viewerOf(user),
        overview: await this.outbox.overview(),
        notice: noticeFrom(O.notices, done),
      }),
    );
  }

  @Post(':jobId/retry')
  async retry(
    @CurrentUser() user: AuthenticatedUser,
    @Param('jobId', ID_PIPE) jobId: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.outbox.retry(jobId, expectedState(body), consoleActor(user, request));
    seeOther(reply, '/admin/outbox?done=retried');
  }

  @Post(':jobId/discard')
  async discard(
    @CurrentUser() user: AuthenticatedUser,
    @Param('jobId', ID_PIPE) jobId: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.outbox.discard(jobId, expectedState(body), consoleActor(user, request));
    seeOther(reply, '/admin/outbox?done=discarded');
  }
}
