import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Param, ParseIntPipe, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import {
  AttachmentService,
  CannedResponseService,
  sendAttachment,
  TicketWorkService,
} from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlFragment,
  htmlFragment,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  viewerOf,
} from '../../web';
import { TicketPageRenderer } from './ticket-page.renderer';
import { TICKET_TEXTS as K } from './ticket.texts';
import { renderTicketConversation, type TicketDrafts } from './ticket.view';

/**
 * The ticket page. Its forms post to {@link TicketActionsController}; `?done=` names the notice
 * shown after a successful write, `?canned=` and `?answer=` fill the reply box without JS.
 */
@ApiExcludeController()
@Controller('tickets')
@RequirePermission('ticket.read')
export class TicketController {
  constructor(
    private readonly page: TicketPageRenderer,
    private readonly canned: CannedResponseService,
    private readonly attachments: AttachmentService,
    private readonly work: TicketWorkService,
  ) {}

  @Get(':reference')
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage | HtmlFragment> {
    const form = new FormValues(query);
    // Issue 15: the conversation alone, swapped in by console.js when a new message arrived.
    // It shows the messages, so it is an audited view like the page (asked for only then).
    if (form.text('fragment') === 'conversation') {
      const ticket = await this.work.detail(scope, reference, actor);
      return htmlFragment(renderTicketConversation(ticket));
    }
    const drafts: TicketDrafts = {};
    const cannedId = form.positiveInt('canned');
    const viewer = viewerOf(user);
    // Without JS, 挿入 reloads the page with the chosen text filled in for this ticket.
    if (cannedId !== null && viewer.canWork) {
      drafts.reply = await this.canned.renderFor(scope, reference, cannedId, actor);
      drafts.cannedId = String(cannedId);
    }
    // 挿入 of an approved incident answer: the renderer fills it in from the ticket it reads.
    const answerId = form.positiveInt('answer');
    if (answerId !== null && cannedId === null && viewer.canWork) {
      drafts.answerVersionId = String(answerId);
    }
    return htmlPage(
      await this.page.render({
        user,
        scope,
        actor,
        reference,
        drafts,
        notice: noticeFrom(K.notices, query.done),
      }),
    );
  }

  /**
   * One of the ticket's files, as a download: found only through the caller's scope (another
   * merchant's or an unknown id is 404; a merchant user never reaches a note's file), audited
   * (`attachment.viewed`) before the bytes go out, never shown inline.
   */
  @Get(':reference/attachments/:id')
  async attachment(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', new ParseIntPipe({ errorHttpStatusCode: 404 })) id: number,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendAttachment(reply, await this.attachments.openInScope(scope, id, actor));
  }
}
