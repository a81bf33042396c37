import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
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
  ) {}

  @Get()
  async waiting(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage | HtmlFragment> {
    const calls = await this.work.waiting(scope);
    if (query.fragment === 'waiting') return htmlFragment(renderWaitingRows(calls));
    return htmlPage(renderWaitingPage(callsViewer(user), calls, this.voice.isConfigured()));
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
    const notice = query.done === 'callback' ? C.notices.callbackDone : null;
    return htmlPage(renderCallbacksPage(callsViewer(user), page, notice));
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
            : null;
    return htmlPage(
      renderCallPage({ viewer: callsViewer(user), call, drafts: {}, errors: {}, notice }),
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

function callsViewer(user: AuthenticatedUser): CallsViewer {
  return { ...viewerOf(user), canSeeStats: hasPermission(user.role, 'call.stats') };
}
