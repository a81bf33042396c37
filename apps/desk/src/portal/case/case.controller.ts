import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { CallLogService } from '@madoguchi/calls';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import {
  AttachmentService,
  type HandBackContact,
  HandBackService,
  sendAttachment,
  TicketWorkService,
} from '@madoguchi/tickets';
import { TicketDeterminationService } from '@madoguchi/incident-response';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  type SeeOther,
  submitForm,
  viewerOf,
} from '../../web';
import { PORTAL_CASES_PATH } from '../cases/cases.view';
import { merchantScopeOf, PORTAL_ROLES } from '../shared/portal-http.util';
import { CASE_TEXTS } from './case.texts';
import { type PortalCaseCall, renderPortalCase } from './case.view';

const P = CASE_TEXTS;
const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/**
 * One of the merchant's cases: read it, answer the desk's question, reveal a handed-back case's
 * contact (audited) and mark it answered. Every read goes through the tickets lib's scoped
 * queries, so another merchant's reference is 404 like an unknown one.
 */
@ApiExcludeController()
@Controller('portal')
@Roles(...PORTAL_ROLES)
@RequirePermission('ticket.read')
export class PortalCaseController {
  constructor(
    private readonly work: TicketWorkService,
    private readonly calls: CallLogService,
    private readonly handBacks: HandBackService,
    private readonly determinations: TicketDeterminationService,
    private readonly attachments: AttachmentService,
  ) {}

  @Get('cases/:reference')
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    merchantScopeOf(scope);
    // The audited view (ticket.viewed with the user and IP); NotFound outside the scope.
    const ticket = await this.work.detail(scope, reference, actor);
    const calls = await this.linkedCalls(scope, ticket.reference);
    const done = new FormValues(query).text('done');
    const answer = { draft: '', error: null, sent: done === 'answered' };
    return htmlPage(
      renderPortalCase({
        viewer: viewerOf(user),
        ticket,
        calls,
        answer,
        handBack: { state: await this.handBacks.stateOf(scope, ticket.reference) },
        notice: done === 'handBackAnswered' ? P.handBack.marked : null,
        // Issue 13.1: the determination and its evidence, for incident and leak_check cases.
        determination:
          ticket.incident !== null || ticket.category === 'leak_check'
            ? await this.determinations.forTicket(scope, ticket.reference)
            : null,
      }),
    );
  }

  /**
   * A file of one of the case's messages the merchant may see (never an internal note's), as a
   * download: another merchant's or an unknown id is 404; audited (`attachment.viewed`).
   */
  @Get('cases/:reference/attachments/:id')
  async attachment(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendAttachment(reply, await this.attachments.openInScope(merchantScopeOf(scope), id, actor));
  }

  /**
   * The audited view of a handed-back case's contact and message (`handback.contact_viewed`):
   * a POST, so a prefetch or a shared link never reveals it; the page comes back with it shown.
   */
  @Post('cases/:reference/contact')
  async revealContact(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
  ): Promise<HtmlPage> {
    merchantScopeOf(scope);
    let contact: HandBackContact | null = null;
    let error: string | null = null;
    try {
      contact = await this.handBacks.revealContact(scope, reference, actor);
    } catch (caught) {
      if (!(caught instanceof DomainException && caught.code === ErrorCode.InvalidStatusTransition))
        throw caught;
      error = caught.message;
    }
    const ticket = await this.work.detail(scope, reference, actor);
    const calls = await this.linkedCalls(scope, ticket.reference);
    return htmlPage(
      renderPortalCase({
        viewer: viewerOf(user),
        ticket,
        calls,
        handBack: { state: await this.handBacks.stateOf(scope, ticket.reference), contact },
        notice: error,
      }),
      error ? 409 : 200,
    );
  }

  /** The merchant answered the shopper of a handed-back case: audited; the case leaves the list. */
  @Post('cases/:reference/hand-back-answered')
  markHandBackAnswered(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    merchantScopeOf(scope);
    const form = new FormValues(body);
    return submitForm({
      run: () =>
        this.work.markHandBackAnswered(
          scope,
          reference,
          { expectedVersion: form.positiveInt('version') ?? undefined },
          actor,
        ),
      done: `${PORTAL_CASES_PATH}/${encodeURIComponent(reference)}?done=handBackAnswered`,
      conflicts: [ErrorCode.InvalidStatusTransition],
      // Nothing to correct on this form: a validation failure goes to the error filter.
      rerenderInvalid: false,
      rerender: async ({ alert }) => {
        const ticket = await this.work.detail(scope, reference, actor);
        const calls = await this.linkedCalls(scope, ticket.reference);
        return renderPortalCase({
          viewer: viewerOf(user),
          ticket,
          calls,
          handBack: { state: await this.handBacks.stateOf(scope, ticket.reference), error: alert },
        });
      },
    });
  }

  /** The merchant answers an agent's question; the ticket goes back to the queue (open). */
  @Post('cases/:reference/answer')
  answer(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('reference') reference: string,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    merchantScopeOf(scope);
    const form = new FormValues(body);
    const draft = form.text('body');
    const expectedVersion = form.positiveInt('version') ?? undefined;
    return submitForm({
      run: () =>
        this.work.answerAsMerchant(scope, reference, { body: draft, expectedVersion }, actor),
      done: `${PORTAL_CASES_PATH}/${encodeURIComponent(reference)}?done=answered`,
      conflicts: [ErrorCode.InvalidStatusTransition],
      rerender: async ({ message }) => {
        const ticket = await this.work.detail(scope, reference, actor);
        const calls = await this.linkedCalls(scope, ticket.reference);
        return renderPortalCase({
          viewer: viewerOf(user),
          ticket,
          calls,
          answer: { draft, error: message, sent: false },
        });
      },
    });
  }

  /** Calls linked to the case, through the calls lib's scoped query (the merchant's own calls). */
  private async linkedCalls(scope: TenantScope, reference: string): Promise<PortalCaseCall[]> {
    const calls = await this.calls.linkedToTicket(scope, reference);
    return calls.map((call) => ({
      ...call,
      outcome: (call.outcome as PortalCaseCall['outcome']) ?? null,
    }));
  }
}
