import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { scopedCallQuery } from '@madoguchi/calls';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { Merchant } from '@madoguchi/tenancy';
import { html } from '@madoguchi/ui';
import {
  type HandBackContact,
  HandBackService,
  TicketDeterminationService,
  isDeterminationFilter,
  isTicketCategory,
  isTicketChannel,
  isTicketStatus,
  IncidentAnswerService,
  QueueService,
  TICKET_STATUSES,
  type TicketListFilter,
  type TicketScope,
  TicketSearchService,
  TicketWorkService,
} from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../auth';
import {
  consoleActor,
  FormValues,
  seeOther,
  sendPage,
  viewerOf,
} from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import { type PortalCaseCall, renderPortalCase } from '../views/portal-case.view';
import {
  portalCaseTabs,
  portalWaitingBar,
  renderPortalHandBacks,
} from '../views/portal-hand-back.view';
import {
  PORTAL_CASES_PATH,
  type PortalCaseFilterValues,
  renderPortalCases,
} from '../views/portal-cases.view';
import { merchantScopeOf, PORTAL_ROLES } from './portal-http.util';

export const PORTAL_CASES_PAGE_SIZE = 25;

const P = DESK_TEXTS.portal;

/** Reads the filter form; values outside the fixed lists are dropped, so a bad link still lists. */
export function parsePortalCaseFilter(query: unknown): {
  values: PortalCaseFilterValues;
  filter: TicketListFilter;
} {
  const form = new FormValues(query);
  const status = form.text('status');
  const category = form.text('category');
  const channel = form.text('channel');
  const values: PortalCaseFilterValues = {
    status: status === 'all' || isTicketStatus(status) ? status : '',
    category: isTicketCategory(category) ? category : '',
    channel: isTicketChannel(channel) ? channel : '',
    incident: form.positiveInt('incident') === null ? '' : String(form.positiveInt('incident')),
    determination: isDeterminationFilter(form.text('determination'))
      ? form.text('determination')
      : '',
  };
  const filter: TicketListFilter = {};
  if (values.status === 'all') filter.status = [...TICKET_STATUSES];
  else if (isTicketStatus(values.status)) filter.status = [values.status];
  if (isTicketCategory(values.category)) filter.category = values.category;
  if (isTicketChannel(values.channel)) filter.channel = values.channel;
  if (values.incident) filter.incident = Number(values.incident);
  if (isDeterminationFilter(values.determination)) filter.determination = values.determination;
  return { values, filter };
}

/**
 * The merchant's cases: list with filters and paging, exact-match search, the case page (read,
 * answer the desk's question, act on a hand-back), and the hand-back list with its counts. The scope is the merchant's own (resolved by the session guard); every read goes through
 * the tickets lib's scoped queries, so another merchant's reference is 404 like an unknown one.
 */
@ApiExcludeController()
@Controller('portal')
@Roles(...PORTAL_ROLES)
@RequirePermission('ticket.read')
export class PortalCasesController {
  constructor(
    private readonly queues: QueueService,
    private readonly work: TicketWorkService,
    private readonly search: TicketSearchService,
    private readonly dataSource: DataSource,
    private readonly answers: IncidentAnswerService,
    private readonly handBacks: HandBackService,
    private readonly determinations: TicketDeterminationService,
  ) {}

  @Get()
  home(@Res() reply: FastifyReply): void {
    seeOther(reply, PORTAL_CASES_PATH);
  }

  @Get('cases')
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const merchantScope = merchantScopeOf(scope);
    const viewer = viewerOf(user);
    const merchantName = await this.merchantName(merchantScope.merchantId);
    const form = new FormValues(query);
    const { values, filter } = parsePortalCaseFilter(query);
    if (query !== null && typeof query === 'object' && 'q' in query) {
      const q = form.text('q');
      try {
        const results = await this.search.search(scope, q, consoleActor(user, request));
        sendPage(
          reply,
          200,
          renderPortalCases({
            viewer,
            merchantName,
            filter: values,
            page: null,
            search: { query: q, results },
          }),
        );
      } catch (error) {
        if (!(error instanceof DomainException && error.code === ErrorCode.ValidationFailed))
          throw error;
        const message = error.fieldErrors[0]?.message ?? error.message;
        sendPage(
          reply,
          400,
          renderPortalCases({
            viewer,
            merchantName,
            filter: values,
            page: null,
            search: { query: q, results: null, error: message },
          }),
        );
      }
      return;
    }
    const page = await this.queues.listTickets(
      scope,
      null,
      filter,
      { page: form.positiveInt('page') ?? 1, pageSize: PORTAL_CASES_PAGE_SIZE },
      user.id,
    );
    const incidents = await this.answers.filterOptions(scope);
    const counts = await this.handBacks.counts(scope);
    sendPage(
      reply,
      200,
      renderPortalCases({
        viewer,
        merchantName,
        filter: values,
        page,
        incidents,
        waiting: html`${portalWaitingBar(counts)} ${portalCaseTabs('all', counts)}`,
      }),
    );
  }

  /** Handed-back cases: open (not yet marked answered) by default, or `?state=answered`. */
  @Get('handbacks')
  async handBackList(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const merchantScope = merchantScopeOf(scope);
    const state = new FormValues(query).text('state') === 'answered' ? 'answered' : 'open';
    const [items, counts, merchantName] = await Promise.all([
      this.handBacks.list(scope, state),
      this.handBacks.counts(scope),
      this.merchantName(merchantScope.merchantId),
    ]);
    sendPage(
      reply,
      200,
      renderPortalHandBacks({ viewer: viewerOf(user), merchantName, state, items, counts }),
    );
  }

  @Get('cases/:reference')
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    merchantScopeOf(scope);
    // The audited view (ticket.viewed with the user and IP); NotFound outside the scope.
    const ticket = await this.work.detail(scope, reference, consoleActor(user, request));
    const calls = await this.linkedCalls(scope, ticket.reference);
    const done = new FormValues(query).text('done');
    const answer = { draft: '', error: null, sent: done === 'answered' };
    sendPage(
      reply,
      200,
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
   * The audited view of a handed-back case's contact and message (`handback.contact_viewed`):
   * a POST, so a prefetch or a shared link never reveals it; the page comes back with it shown.
   */
  @Post('cases/:reference/contact')
  async revealContact(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    merchantScopeOf(scope);
    const actor = consoleActor(user, request);
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
    sendPage(
      reply,
      error ? 409 : 200,
      renderPortalCase({
        viewer: viewerOf(user),
        ticket,
        calls,
        handBack: { state: await this.handBacks.stateOf(scope, ticket.reference), contact },
        notice: error,
      }),
    );
  }

  /** The merchant answered the shopper of a handed-back case: audited; the case leaves the list. */
  @Post('cases/:reference/hand-back-answered')
  async markHandBackAnswered(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    merchantScopeOf(scope);
    const form = new FormValues(body);
    const actor = consoleActor(user, request);
    try {
      await this.work.markHandBackAnswered(
        scope,
        reference,
        { expectedVersion: form.positiveInt('version') ?? undefined },
        actor,
      );
    } catch (error) {
      const refused =
        error instanceof DomainException &&
        [ErrorCode.StaleVersion, ErrorCode.InvalidStatusTransition].includes(error.code);
      if (!refused) throw error;
      const ticket = await this.work.detail(scope, reference, actor);
      const calls = await this.linkedCalls(scope, ticket.reference);
      sendPage(
        reply,
        409,
        renderPortalCase({
          viewer: viewerOf(user),
          ticket,
          calls,
          handBack: {
            state: await this.handBacks.stateOf(scope, ticket.reference),
            error: error.message,
          },
        }),
      );
      return;
    }
    seeOther(reply, `${PORTAL_CASES_PATH}/${encodeURIComponent(reference)}?done=handBackAnswered`);
  }

  /** The merchant answers an agent's question; the ticket goes back to the queue (open). */
  @Post('cases/:reference/answer')
  async answer(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    merchantScopeOf(scope);
    const form = new FormValues(body);
    const draft = form.text('body');
    const expectedVersion = form.positiveInt('version') ?? undefined;
    try {
      await this.work.answerAsMerchant(
        scope,
        reference,
        { body: draft, expectedVersion },
        consoleActor(user, request),
      );
    } catch (error) {
      const refused =
        error instanceof DomainException &&
        [
          ErrorCode.ValidationFailed,
          ErrorCode.StaleVersion,
          ErrorCode.InvalidStatusTransition,
        ].includes(error.code);
      if (!refused) throw error;
      const status = error.code === ErrorCode.ValidationFailed ? 400 : 409;
      const message = error.fieldErrors[0]?.message ?? error.message;
      const ticket = await this.work.detail(scope, reference, consoleActor(user, request));
      const calls = await this.linkedCalls(scope, ticket.reference);
      sendPage(
        reply,
        status,
        renderPortalCase({
          viewer: viewerOf(user),
          ticket,
          calls,
          answer: { draft, error: message, sent: false },
        }),
      );
      return;
    }
    seeOther(reply, `${PORTAL_CASES_PATH}/${encodeURIComponent(reference)}?done=answered`);
  }

  /** Calls linked to the case, through the calls lib's scoped query (the merchant's own calls). */
  private async linkedCalls(scope: TicketScope, reference: string): Promise<PortalCaseCall[]> {
    const calls = await scopedCallQuery(this.dataSource.manager, scope)
      .innerJoin('call.ticket', 'ticket')
      .leftJoin('call.agent', 'agent')
      .addSelect(['agent.id', 'agent.displayName'])
      .andWhere('ticket.reference = :reference', { reference })
      .orderBy('call.createdAt', 'ASC')
      .addOrderBy('call.id', 'ASC')
      .getMany();
    return calls.map((call) => ({
      id: call.id,
      startedAt: call.startedAt,
      outcome: (call.outcome as PortalCaseCall['outcome']) ?? null,
      talkSeconds: call.talkSeconds,
      agentName: call.agent?.displayName ?? null,
    }));
  }

  private async merchantName(merchantId: number): Promise<string> {
    const merchant = await this.dataSource.manager.findOneBy(Merchant, { id: merchantId });
    return merchant?.name ?? '';
  }
}
