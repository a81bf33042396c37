import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import {
  AffectedListIndicatorService,
  CannedResponseService,
  type CannedResponseView,
  HandBackService,
  IncidentAnswerService,
  type TicketCategory,
  TicketDeterminationService,
  TicketClaimService,
  type TicketPriority,
  type TicketDetail,
  type TicketScope,
  type TicketStatus,
  TicketWorkService,
} from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { DESK_TEXTS } from '../i18n/ja';
import {
  renderHandBackConfirm,
  renderTicketPage,
  type TicketDrafts,
  type TicketFieldErrors,
} from '../views';
import type { DeterminationFormState } from '../views/determination.view';
import {
  consoleActor,
  FormValues,
  noticeFrom,
  seeOther,
  sendPage,
  viewerOf,
} from './console-http.util';

const K = DESK_TEXTS.ticket;

type NoticeKey = keyof typeof K.notices;

/** How a service's field names map to this page's fields, per form. */
type FieldMap = Readonly<Record<string, keyof TicketFieldErrors>>;

/** Everything a write needs to answer: the form's drafts (kept on 400/409) and its field names. */
interface WriteContext {
  user: AuthenticatedUser;
  scope: TicketScope;
  reference: string;
  request: FastifyRequest;
  reply: FastifyReply;
  drafts: TicketDrafts;
  fields: FieldMap;
  done: NoticeKey;
}

/** Errors that send the agent back to the page with what they typed (409). */
const CONFLICTS: readonly ErrorCode[] = [
  ErrorCode.InvalidStatusTransition,
  ErrorCode.TicketAlreadyClaimed,
  ErrorCode.TicketFinished,
  ErrorCode.AnswerNotApproved,
  ErrorCode.DeterminationMismatch,
];

/** Tickets that can carry a determination: linked to an incident, or asking whether they leaked. */
function hasDetermination(ticket: TicketDetail): boolean {
  return ticket.incident !== null || ticket.category === 'leak_check';
}

/**
 * The ticket page and its forms. Every form posts `_csrf` (checked by the session guard) and the
 * `version` the agent read; a write on a newer ticket is refused (409) and the page comes back
 * with a warning and the typed text. Success answers 303 back to the page (post/redirect/get).
 * Writes need only `ticket.read` here: the service looks the ticket up in the scope first, so
 * another merchant's ticket is 404 (never 403), and then refuses merchant users their own (403).
 */
@ApiExcludeController()
@Controller('tickets')
@RequirePermission('ticket.read')
export class TicketPagesController {
  constructor(
    private readonly work: TicketWorkService,
    private readonly claims: TicketClaimService,
    private readonly canned: CannedResponseService,
    private readonly affectedList: AffectedListIndicatorService,
    private readonly answers: IncidentAnswerService,
    private readonly handBacks: HandBackService,
    private readonly determinations: TicketDeterminationService,
  ) {}

  /**
   * An agent's explicit determination (issue 13.1): outcome and a required reason. No reason or
   * outcome: 400 with the form as typed; another merchant's ticket: 404; merchant users: 403
   * (the service finds the ticket in the scope first). No version: it changes no ticket field.
   */
  @Post(':reference/determinations')
  async determine(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const typed = { outcome: form.text('outcome').trim(), reason: form.text('reason') };
    try {
      await this.determinations.recordByAgent(scope, reference, typed, consoleActor(user, request));
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      const base = { user, scope, reference, request };
      if (error.code === ErrorCode.ValidationFailed) {
        const errors: { outcome?: string; reason?: string } = {};
        for (const fieldError of error.fieldErrors) {
          if (fieldError.field === 'outcome' || fieldError.field === 'reason') {
            errors[fieldError.field] ??= fieldError.message;
          }
        }
        await this.render(reply, 400, {
          ...base,
          determinationForm: { ...typed, errors },
          alert: error.fieldErrors.length === 0 ? error.message : null,
        });
        return;
      }
      if (CONFLICTS.includes(error.code) || error.code === ErrorCode.StaleVersion) {
        await this.render(reply, 409, {
          ...base,
          determinationForm: typed,
          alert: error.message,
        });
        return;
      }
      throw error;
    }
    seeOther(reply, `/tickets/${encodeURIComponent(reference)}?done=determined`);
  }

  @Get(':reference')
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(query);
    const drafts: TicketDrafts = {};
    const cannedId = form.positiveInt('canned');
    const viewer = viewerOf(user);
    // Without JS, 挿入 reloads the page with the chosen text filled in for this ticket.
    if (cannedId !== null && viewer.canWork) {
      drafts.reply = await this.canned.renderFor(
        scope,
        reference,
        cannedId,
        consoleActor(user, request),
      );
      drafts.cannedId = String(cannedId);
    }
    // 挿入 of an approved incident answer: render() fills it in from the ticket it reads.
    const answerId = form.positiveInt('answer');
    if (answerId !== null && cannedId === null && viewer.canWork) {
      drafts.answerVersionId = String(answerId);
    }
    await this.render(reply, 200, {
      user,
      scope,
      reference,
      request,
      drafts,
      notice: noticeFrom(K.notices, query.done),
    });
  }

  @Post(':reference/replies')
  async replyTo(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const answerField = form.text('answerVersionId').trim();
    const drafts: TicketDrafts = {
      reply: form.text('body'),
      nextStatus: form.text('nextStatus') || undefined,
      answerVersionId: answerField || undefined,
    };
    const context: WriteContext = {
      user,
      scope,
      reference,
      request,
      reply,
      drafts,
      fields: { body: 'reply-body', nextStatus: 'reply-body' },
      done: 'replied',
    };
    await this.write(context, form, (expectedVersion) =>
      this.work.reply(
        scope,
        reference,
        {
          body: drafts.reply ?? '',
          expectedVersion,
          nextStatus: drafts.nextStatus as TicketStatus | undefined,
          // Anything but a positive id is a version no merchant approved: refused, never dropped.
          answerVersionId:
            answerField === '' ? undefined : (form.positiveInt('answerVersionId') ?? -1),
        },
        consoleActor(user, request),
      ),
    );
  }

  @Post(':reference/notes')
  async note(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const drafts: TicketDrafts = { note: form.text('body') };
    const context: WriteContext = {
      user,
      scope,
      reference,
      request,
      reply,
      drafts,
      fields: { body: 'note-body' },
      done: 'noted',
    };
    await this.write(context, form, (expectedVersion) =>
      this.work.addNote(
        scope,
        reference,
        { body: drafts.note ?? '', expectedVersion },
        consoleActor(user, request),
      ),
    );
  }

  /** A question to the merchant (merchant_query): the ticket waits on the merchant; issue 13.4. */
  @Post(':reference/merchant-questions')
  async askMerchant(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const drafts: TicketDrafts = { question: form.text('body') };
    const context: WriteContext = {
      user,
      scope,
      reference,
      request,
      reply,
      drafts,
      fields: { body: 'question-body' },
      done: 'questionAsked',
    };
    await this.write(context, form, (expectedVersion) =>
      this.work.askMerchant(
        scope,
        reference,
        { body: drafts.question ?? '', expectedVersion },
        consoleActor(user, request),
      ),
    );
  }

  @Post(':reference/status')
  async status(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const drafts: TicketDrafts = { status: form.text('status') };
    const context: WriteContext = {
      user,
      scope,
      reference,
      request,
      reply,
      drafts,
      fields: { status: 'new-status' },
      done: 'statusChanged',
    };
    await this.write(context, form, (expectedVersion) =>
      this.work.changeStatus(
        scope,
        reference,
        { status: drafts.status as TicketStatus, expectedVersion },
        consoleActor(user, request),
      ),
    );
  }

  @Post(':reference/properties')
  async properties(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const drafts: TicketDrafts = {
      category: form.text('category'),
      priority: form.text('priority'),
    };
    const context: WriteContext = {
      user,
      scope,
      reference,
      request,
      reply,
      drafts,
      fields: { category: 'category', priority: 'priority' },
      done: 'updated',
    };
    await this.write(context, form, (expectedVersion) =>
      this.work.update(
        scope,
        reference,
        {
          category: drafts.category as TicketCategory,
          priority: drafts.priority as TicketPriority,
          expectedVersion,
        },
        consoleActor(user, request),
      ),
    );
  }

  @Post(':reference/assignment')
  async assignment(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const choice = form.text('assignee');
    const context: WriteContext = {
      user,
      scope,
      reference,
      request,
      reply,
      drafts: {},
      fields: { assignee: 'assignee', assigneeId: 'assignee' },
      done: 'assigned',
    };
    let assigneeId: number | null;
    if (choice === 'me') assigneeId = user.id;
    else if (choice === 'release') assigneeId = null;
    else {
      const id = form.positiveInt('assignee');
      if (id === null) {
        await this.rerender(context, 400, {
          errors: { assignee: DESK_TEXTS.errors.badRequest.message },
        });
        return;
      }
      assigneeId = id;
    }
    await this.write(context, form, (expectedVersion) =>
      this.claims.assign(
        scope,
        reference,
        assigneeId,
        expectedVersion,
        consoleActor(user, request),
      ),
    );
  }

  /** Without confirm=yes: the page that says what a hand-back does. With it: the hand-back. */
  @Post(':reference/hand-back')
  async handBack(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('reference') reference: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const context: WriteContext = {
      user,
      scope,
      reference,
      request,
      reply,
      drafts: {},
      fields: {},
      done: 'handedBack',
    };
    if (form.text('confirm') !== 'yes') {
      const version = form.version();
      const ticket = await this.work.detail(scope, reference, consoleActor(user, request));
      if (version === null || version !== ticket.version) {
        await this.rerender(context, 409, { alert: K.staleWarning });
        return;
      }
      sendPage(reply, 200, renderHandBackConfirm({ viewer: viewerOf(user), ticket, version }));
      return;
    }
    await this.write(context, form, (expectedVersion) =>
      this.work.handBack(scope, reference, { expectedVersion }, consoleActor(user, request)),
    );
  }

  /**
   * Runs a write with the form's version. A missing version is treated like a stale one: the
   * page cannot know what the agent saw, so it refuses rather than overwrite.
   */
  private async write(
    context: WriteContext,
    form: FormValues,
    action: (expectedVersion: number) => Promise<unknown>,
  ): Promise<void> {
    const version = form.version();
    if (version === null) {
      await this.rerender(context, 409, { alert: K.staleWarning });
      return;
    }
    try {
      await action(version);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === ErrorCode.StaleVersion) {
        await this.rerender(context, 409, { alert: K.staleWarning });
        return;
      }
      if (CONFLICTS.includes(error.code)) {
        // A refused answer version is not offered again: the agent picks the approved one.
        if (error.code === ErrorCode.AnswerNotApproved) delete context.drafts.answerVersionId;
        await this.rerender(context, 409, { alert: error.message });
        return;
      }
      if (error.code === ErrorCode.ValidationFailed) {
        const errors: TicketFieldErrors = {};
        const unplaced: string[] = [];
        for (const fieldError of error.fieldErrors) {
          const field = context.fields[fieldError.field];
          if (field) errors[field] ??= fieldError.message;
          else unplaced.push(fieldError.message);
        }
        if (error.fieldErrors.length === 0) unplaced.push(error.message);
        await this.rerender(context, 400, { errors, alert: unplaced.join(' ') || null });
        return;
      }
      throw error;
    }
    seeOther(
      context.reply,
      `/tickets/${encodeURIComponent(context.reference)}?done=${context.done}`,
    );
  }

  private async rerender(
    context: WriteContext,
    status: number,
    extra: { errors?: TicketFieldErrors; alert?: string | null },
  ): Promise<void> {
    await this.render(context.reply, status, { ...context, ...extra });
  }

  private async render(
    reply: FastifyReply,
    status: number,
    p: {
      user: AuthenticatedUser;
      scope: TicketScope;
      reference: string;
      request: FastifyRequest;
      drafts?: TicketDrafts;
      errors?: TicketFieldErrors;
      alert?: string | null;
      notice?: string | null;
      determinationForm?: DeterminationFormState;
    },
  ): Promise<void> {
    // Reading the ticket is the audited view of its personal data (ticket.viewed, actor and IP).
    const ticket = await this.work.detail(p.scope, p.reference, consoleActor(p.user, p.request));
    const viewer = viewerOf(p.user);
    const canned: CannedResponseView[] = viewer.canWork
      ? await this.canned.listFor(p.scope, ticket.merchantId)
      : [];
    const answers = viewer.canWork ? await this.answers.forTicket(ticket, p.user.displayName) : [];
    const drafts = { ...p.drafts };
    // An inserted answer (?answer=) fills the reply; one not offered here is ignored.
    const inserted = answers.find((answer) => String(answer.versionId) === drafts.answerVersionId);
    if (inserted && p.drafts?.reply === undefined) drafts.reply = inserted.filledBody;
    sendPage(
      reply,
      status,
      renderTicketPage({
        viewer,
        ticket,
        canned,
        agents: viewer.canWork ? await this.claims.assignableStaff(p.scope, p.reference) : [],
        affectedList: await this.affectedList.forTicket(p.scope, p.reference),
        handBack: await this.handBacks.stateOf(p.scope, p.reference),
        determination: hasDetermination(ticket)
          ? await this.determinations.forTicket(p.scope, p.reference)
          : null,
        determinationForm: p.determinationForm,
        answers,
        drafts,
        errors: p.errors,
        alert: p.alert,
        notice: p.notice,
      }),
    );
  }
}
