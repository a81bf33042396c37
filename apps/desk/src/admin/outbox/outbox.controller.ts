import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { ValidationFailedException } from '@madoguchi/common';
import { OutboxAdminService, type OutboxExpectedState } from '@madoguchi/mail';
import type { TicketActor } from '@madoguchi/tenancy';
import { CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  type SeeOther,
  seeOtherTo,
  viewerOf,
} from '../../web';
import { OUTBOX_TEXTS } from './outbox.texts';
import { renderAdminOutbox, renderOutboxDiscardConfirm } from './outbox.view';

const O = OUTBOX_TEXTS;
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
export class AdminOutboxController {
  constructor(private readonly outbox: OutboxAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderAdminOutbox({
        viewer: viewerOf(user),
        overview: await this.outbox.overview(),
        notice: noticeFrom(O.notices, done),
      }),
    );
  }

  @Post(':jobId/retry')
  async retry(
    @CurrentActor() actor: TicketActor,
    @Param('jobId', ID_PIPE) jobId: number,
    @Body() body: unknown,
  ): Promise<SeeOther> {
    // A mail changed since the page was drawn is a 409 error page (the error filter).
    await this.outbox.retry(jobId, expectedState(body), actor);
    return seeOtherTo('/admin/outbox?done=retried');
  }

  /** The confirm step of a discard (it cannot be undone); the discard stays POST :jobId/discard. */
  @Get(':jobId/discard/confirm')
  async confirmDiscard(
    @CurrentUser() user: AuthenticatedUser,
    @Param('jobId', ID_PIPE) jobId: number,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderOutboxDiscardConfirm({ viewer: viewerOf(user), row: await this.outbox.row(jobId) }),
    );
  }

  @Post(':jobId/discard')
  async discard(
    @CurrentActor() actor: TicketActor,
    @Param('jobId', ID_PIPE) jobId: number,
    @Body() body: unknown,
  ): Promise<SeeOther> {
    // A mail changed since the page was drawn is a 409 error page (the error filter).
    await this.outbox.discard(jobId, expectedState(body), actor);
    return seeOtherTo('/admin/outbox?done=discarded');
  }
}
