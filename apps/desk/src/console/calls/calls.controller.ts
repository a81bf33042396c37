import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BusinessCalendar } from '@madoguchi/calendar';
import { AppConfig } from '@madoguchi/config';
import type { AuthenticatedUser } from '@madoguchi/auth';
import {
  AgentAvailabilityService,
  type CallbackAttemptOutcome,
  CallbackService,
  CallLogService,
  CallRecordingService,
  CallStatsService,
  CallWorkService,
  isCallOutcome,
  VoiceTokenService,
  windowStatusAt,
  type WindowStatus,
  type WrapUpInput,
} from '@madoguchi/calls';
import { Clock, DomainException, ErrorCode } from '@madoguchi/common';
import type { TicketCategory } from '@madoguchi/tickets';
import type { TenantScope, TicketActor } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, hasPermission, RequirePermission } from '../../auth';
import {
  CurrentActor,
  formFailureOf,
  FormValues,
  type HtmlFragment,
  htmlFragment,
  type HtmlPage,
  htmlPage,
  type SeeOther,
  seeOtherTo,
  submitForm,
  viewerOf,
} from '../../web';
import { callIdOf } from './calls-api.controller';
import { renderCallStatsPage } from './call-stats.view';
import { sendRecording } from './call-recording.response';
import {
  type CallbackAttemptDrafts,
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
import { CALLS_TEXTS } from './calls.texts';

const C = CALLS_TEXTS;
const PAGE_SIZE = 25;

/** Refused input as field errors (a message that names no field goes to `form`); else null. */
function fieldErrorsOf(error: unknown): Record<string, string> | null {
  const failure = formFailureOf<string>(error, { unplacedTo: 'form' });
  return failure?.status === 400 ? (failure.errors as Record<string, string>) : null;
}

/**
 * The phone pages of the agent console (permission call.take; statistics call.stats): waiting
 * calls with the browser phone, one call with its wrap-up form, the callback to-do list, the
 * call log and the statistics. Merchant users get 403 here; another merchant's call is 404.
 */
@ApiExcludeController()
@Controller('calls')
@RequirePermission('call.take')
export class CallsController {
  constructor(
    private readonly work: CallWorkService,
    private readonly log: CallLogService,
    private readonly stats: CallStatsService,
    private readonly voice: VoiceTokenService,
    private readonly callbacksService: CallbackService,
    private readonly availability: AgentAvailabilityService,
    private readonly recordings: CallRecordingService,
    private readonly calendar: BusinessCalendar,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private window(): WindowStatus {
    return windowStatusAt(this.calendar, this.clock.now(), this.config.twilio.windowNumber);
  }

  @Get()
  async waiting(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage | HtmlFragment> {
    const calls = await this.work.waiting(scope);
    if (query.fragment === 'waiting') return htmlFragment(renderWaitingRows(calls));
    const current = user.callAvailability ?? 'available';
    return htmlPage(
      renderWaitingPage(callsViewer(user), calls, this.voice.isConfigured(), {
        window: this.window(),
        availability: current,
        counts: await this.availability.counts(),
        overflowMinutes: this.config.telephony.overflowMinutes,
        notice:
          query.done === 'availability'
            ? formatText(C.availability.saved, { state: C.availability.states[current] })
            : null,
      }),
    );
  }

  /**
   * The availability control (the /calls page and the desk header): back to the page it was
   * posted from when that is a desk page, else to /calls.
   */
  @Post('availability')
  async setAvailability(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: unknown,
    @Headers('referer') referer?: string,
  ): Promise<SeeOther> {
    await this.availability.set(user.id, new FormValues(body).text('availability'));
    return seeOtherTo(backTo(referer, this.config.http.deskPublicUrl));
  }

  @Get('callbacks')
  async callbacks(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const form = new FormValues(query);
    const page = await this.work.callbacks(scope, {
      page: form.positiveInt('page') ?? 1,
      pageSize: PAGE_SIZE,
    });
    const notice =
      query.done === 'callback'
        ? C.notices.callbackDone
        : query.done === 'claimed'
          ? C.notices.claimed
          : null;
    return htmlPage(renderCallbacksPage(callsViewer(user), page, notice));
  }

  /** Takes a callback; another agent's is a 409 page naming them. */
  @Post(':id/claim')
  async claim(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id') id: string,
  ): Promise<HtmlPage | SeeOther> {
    return submitForm({
      run: () => this.callbacksService.claim(scope, callIdOf(id), actor),
      done: `/calls/${callIdOf(id)}?done=claimed#callback`,
      conflicts: [ErrorCode.CallbackAlreadyClaimed, ErrorCode.InvalidStatusTransition],
      rerender: async ({ alert }) =>
        renderCallbacksPage(
          callsViewer(user),
          await this.work.callbacks(scope, { page: 1, pageSize: PAGE_SIZE }),
          null,
          alert,
        ),
    });
  }

  /** A callback attempt: outcome and note (the note is sealed; the ticket gets a call note). */
  @Post(':id/callback-attempt')
  async callbackAttempt(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const drafts: CallbackAttemptDrafts = {
      outcome: form.text('outcome'),
      note: form.text('note'),
    };
    const page = async (attemptErrors: Record<string, string>, alert: string | null) =>
      renderCallPage({
        viewer: callsViewer(user),
        call: await this.work.detail(scope, callIdOf(id), actor),
        drafts: {},
        errors: {},
        alert,
        voiceReady: this.voice.isConfigured(),
        window: this.window(),
        attemptDrafts: drafts,
        attemptErrors,
      });
    return submitForm({
      run: () =>
        this.callbacksService.attempt(
          scope,
          callIdOf(id),
          { outcome: drafts.outcome as CallbackAttemptOutcome, note: drafts.note },
          actor,
        ),
      done: (result) =>
        result.done
          ? `/calls/callbacks?done=callback`
          : `/calls/${result.callId}?done=attempt#callback`,
      unplacedTo: 'outcome',
      conflicts: [ErrorCode.CallbackAlreadyClaimed, ErrorCode.InvalidStatusTransition],
      rerender: ({ status, errors, alert }) =>
        status === 400 ? page(errors as Record<string, string>, null) : page({}, alert),
    });
  }

  /** The recording, streamed to staff in scope (audited); another merchant's call is 404. */
  @Get(':id/recording')
  async recording(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendRecording(reply, await this.recordings.open(scope, callIdOf(id), actor));
  }

  @Get('log')
  async callLog(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
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
    return htmlPage(
      renderCallLogPage({ viewer: callsViewer(user), page, filter, merchants, errors }),
      status,
    );
  }

  @Get('stats')
  @RequirePermission('call.stats')
  async callStats(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
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
      return htmlPage(
        renderCallStatsPage({ viewer: callsViewer(user), stats, merchants, filter, errors: {} }),
      );
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      const stats = await this.stats.stats(scope, { merchantId });
      return htmlPage(
        renderCallStatsPage({ viewer: callsViewer(user), stats, merchants, filter, errors }),
        400,
      );
    }
  }

  @Get(':id')
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const call = await this.work.detail(scope, callIdOf(id), actor);
    const reference = typeof query.ref === 'string' ? query.ref : '';
    const notice =
      query.done === 'created'
        ? formatText(C.notices.created, { reference })
        : query.done === 'linked'
          ? formatText(C.notices.linked, { reference })
          : query.done === 'callback'
            ? C.notices.callbackDone
            : query.done === 'claimed'
              ? C.notices.claimed
              : query.done === 'attempt'
                ? C.notices.attempt
                : null;
    // 「このお問い合わせに紐づける」: the wrap-up opens set to link that ticket.
    const link = typeof query.link === 'string' ? query.link.slice(0, 32) : '';
    return htmlPage(
      renderCallPage({
        viewer: callsViewer(user),
        call,
        drafts: link ? { mode: 'link', reference: link } : {},
        errors: {},
        notice,
        voiceReady: this.voice.isConfigured(),
        window: this.window(),
      }),
    );
  }

  @Post(':id/wrap-up')
  async wrapUp(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
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
    // The call itself is looked up again: a 404 for the call stays a 404 page.
    const callPage = async (errors: Record<string, string>, alert: string | null) =>
      renderCallPage({
        viewer: callsViewer(user),
        call: await this.work.detail(scope, callIdOf(id), actor),
        drafts,
        errors,
        alert,
        voiceReady: this.voice.isConfigured(),
        window: this.window(),
      });
    try {
      return await submitForm({
        run: () => this.work.wrapUp(scope, callIdOf(id), input, actor),
        done: (result) =>
          `/calls/${result.callId}?done=${result.created ? 'created' : 'linked'}&ref=${encodeURIComponent(result.reference)}`,
        unplacedTo: 'form',
        conflicts: [ErrorCode.InvalidStatusTransition],
        rerender: ({ status, errors, alert }) =>
          status === 400 ? callPage(errors, null) : callPage({}, alert),
      });
    } catch (error) {
      // A ticket to link that is not found: 404, with the message beside the reference field.
      const notFoundReference =
        error instanceof DomainException &&
        error.code === ErrorCode.NotFound &&
        input.mode === 'link';
      if (!notFoundReference) throw error;
      return htmlPage(await callPage({ reference: error.message }, null), 404);
    }
  }

  @Post(':id/callback-done')
  async callbackDone(
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id') id: string,
  ): Promise<SeeOther> {
    await this.work.markCallbackDone(scope, callIdOf(id), actor);
    return seeOtherTo('/calls/callbacks?done=callback');
  }
}

/** The desk page a form was posted from (same origin, a path), else /calls. */
export function backTo(referer: string | undefined, deskPublicUrl: string): string {
  if (!referer) return '/calls?done=availability';
  try {
    const url = new URL(referer);
    const base = new URL(deskPublicUrl);
    if (url.origin !== base.origin || !url.pathname.startsWith('/')) {
      return '/calls?done=availability';
    }
    if (url.pathname === '/calls') return '/calls?done=availability';
    return `${url.pathname}${url.search}`;
  } catch {
    return '/calls?done=availability';
  }
}

function callsViewer(user: AuthenticatedUser): CallsViewer {
  return { ...viewerOf(user), canSeeStats: hasPermission(user.role, 'call.stats') };
}
