import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import {
  CallLogService,
  CallStatsService,
  CallWorkService,
  isCallOutcome,
  VoiceTokenService,
  type WrapUpInput,
} from '@madoguchi/calls';
import { DomainException, ErrorCode } from '@madoguchi/common';
import type { TicketCategory, TicketScope } from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, hasPermission, RequirePermission } from '../auth';
import {
  consoleActor,
  FormValues,
  seeOther,
  sendFragment,
  sendPage,
  viewerOf,
} from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import { callIdOf } from './calls-api.controller';
import { renderCallStatsPage } from './call-stats.view';
import {
  type CallLogFilterValues,
  type CallsViewer,
  renderCallbacksPage,
  renderCallLogPage,
  renderCallPage,
  renderWaitingPage,
  renderWaitingRows,
  type WrapUpDrafts,
} from './calls.view';
import { formatText } from '@madoguchi/ui';

const C = DESK_TEXTS.calls;
const PAGE_SIZE = 25;

function fieldErrorsOf(error: unknown): Record<string, string> | null {
  if (!(error instanceof DomainException) || error.code !== ErrorCode.ValidationFailed) return null;
  const errors: Record<string, string> = {};
  for (const fieldError of error.fieldErrors) errors[fieldError.field] ??= fieldError.message;
  if (error.fieldErrors.length === 0) errors.form = error.message;
  return errors;
}

/**
 * The phone pages of the agent console (permission call.take; statistics call.stats): waiting
 * calls with the browser phone, one call with its wrap-up form, the callback to-do list, the
 * call log and the statistics. Merchant users get 403 here; another merchant's call is 404.
 */
@ApiExcludeController()
@Controller('calls')
@RequirePermission('call.take')
export class CallPagesController {
  constructor(
    private readonly work: CallWorkService,
    private readonly log: CallLogService,
    private readonly stats: CallStatsService,
    private readonly voice: VoiceTokenService,
  ) {}

  @Get()
  async waiting(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const calls = await this.work.waiting(scope);
    if (query.fragment === 'waiting') {
      sendFragment(reply, renderWaitingRows(calls).toString());
      return;
    }
    sendPage(reply, 200, renderWaitingPage(callsViewer(user), calls, this.voice.isConfigured()));
  }

  @Get('callbacks')
  async callbacks(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(query);
    const page = await this.work.callbacks(scope, {
      page: form.positiveInt('page') ?? 1,
      pageSize: PAGE_SIZE,
    });
    const notice = query.done === 'callback' ? C.notices.callbackDone : null;
    sendPage(reply, 200, renderCallbacksPage(callsViewer(user), page, notice));
  }

  @Get('log')
  async callLog(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(query);
    const filter: CallLogFilterValues = {
      from: form.text('from').trim(),
      to: form.text('to').trim(),
      outcome: isCallOutcome(form.text('outcome')) ? form.text('outcome') : '',
      merchantId: form.positiveInt('merchantId') === null ? '' : form.text('merchantId').trim(),
    };
    const merchants = await this.work.merchantsFor(scope);
    const request = { page: form.positiveInt('page') ?? 1, pageSize: PAGE_SIZE };
    let status = 200;
    let errors: Record<string, string> = {};
    let page;
    try {
      page = await this.log.list(scope, request, {
        from: filter.from || undefined,
        to: filter.to || undefined,
        outcome: isCallOutcome(filter.outcome) ? filter.outcome : undefined,
        merchantId: filter.merchantId ? Number(filter.merchantId) : undefined,
      });
    } catch (error) {
      const fieldErrors = fieldErrorsOf(error);
      if (!fieldErrors) throw error;
      status = 400;
      errors = fieldErrors;
      page = { items: [], total: 0, page: 1, pageSize: PAGE_SIZE };
    }
    sendPage(
      reply,
      status,
      renderCallLogPage({ viewer: callsViewer(user), page, filter, merchants, errors }),
    );
  }

  @Get('stats')
  @RequirePermission('call.stats')
  async callStats(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(query);
    const filter = {
      from: form.text('from').trim(),
      to: form.text('to').trim(),
      merchantId: form.positiveInt('merchantId') === null ? '' : form.text('merchantId').trim(),
    };
    const merchants = await this.work.merchantsFor(scope);
    const merchantId = filter.merchantId ? Number(filter.merchantId) : undefined;
    try {
      const stats = await this.stats.stats(scope, {
        from: filter.from || undefined,
        to: filter.to || undefined,
        merchantId,
      });
      sendPage(
        reply,
        200,
        renderCallStatsPage({ viewer: callsViewer(user), stats, merchants, filter, errors: {} }),
      );
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      const stats = await this.stats.stats(scope, { merchantId });
      sendPage(
        reply,
        400,
        renderCallStatsPage({ viewer: callsViewer(user), stats, merchants, filter, errors }),
      );
    }
  }

  @Get(':id')
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const call = await this.work.detail(scope, callIdOf(id), consoleActor(user, request));
    const reference = typeof query.ref === 'string' ? query.ref : '';
    const notice =
      query.done === 'created'
        ? formatText(C.notices.created, { reference })
        : query.done === 'linked'
          ? formatText(C.notices.linked, { reference })
          : query.done === 'callback'
            ? C.notices.callbackDone
            : null;
    sendPage(
      reply,
      200,
      renderCallPage({ viewer: callsViewer(user), call, drafts: {}, errors: {}, notice }),
    );
  }

  @Post(':id/wrap-up')
  async wrapUp(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const drafts: WrapUpDrafts = {
      mode: form.text('mode'),
      summary: form.text('summary'),
      merchantId: form.text('merchantId'),
      category: form.text('category'),
      reference: form.text('reference'),
      requesterName: form.text('requesterName'),
    };
    const input: WrapUpInput = {
      mode:
        drafts.mode === 'link'
          ? 'link'
          : drafts.mode === 'create'
            ? 'create'
            : (drafts.mode as never),
      summary: drafts.summary ?? '',
      merchantId: form.positiveInt('merchantId') ?? 0,
      category: drafts.category as TicketCategory,
      reference: drafts.reference,
      requesterName: drafts.requesterName,
    };
    const actor = consoleActor(user, request);
    try {
      const result = await this.work.wrapUp(scope, callIdOf(id), input, actor);
      seeOther(
        reply,
        `/calls/${result.callId}?done=${result.created ? 'created' : 'linked'}&ref=${encodeURIComponent(result.reference)}`,
      );
    } catch (error) {
      const errors = fieldErrorsOf(error);
      const conflict =
        error instanceof DomainException && error.code === ErrorCode.InvalidStatusTransition;
      const notFoundReference =
        error instanceof DomainException &&
        error.code === ErrorCode.NotFound &&
        input.mode === 'link';
      if (!errors && !conflict && !notFoundReference) throw error;
      // The call itself is looked up again: a 404 for the call stays a 404 page.
      const call = await this.work.detail(scope, callIdOf(id), actor);
      const status = errors ? 400 : conflict ? 409 : 404;
      const fieldErrors =
        errors ?? (notFoundReference ? { reference: (error as Error).message } : {});
      sendPage(
        reply,
        status,
        renderCallPage({
          viewer: callsViewer(user),
          call,
          drafts,
          errors: fieldErrors,
          alert: conflict ? (error as Error).message : null,
        }),
      );
    }
  }

  @Post(':id/callback-done')
  async callbackDone(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.work.markCallbackDone(scope, callIdOf(id), consoleActor(user, request));
    seeOther(reply, '/calls/callbacks?done=callback');
  }
}

function callsViewer(user: AuthenticatedUser): CallsViewer {
  return { ...viewerOf(user), canSeeStats: hasPermission(user.role, 'call.stats') };
}
