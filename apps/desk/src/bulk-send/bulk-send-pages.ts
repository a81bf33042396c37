import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import {
  type BulkSendRequest,
  type BulkSendSelection,
  BulkSendService,
  type TicketScope,
} from '@madoguchi/tickets';
import {
  consoleActor,
  FormValues,
  seeOther,
  sendPage,
  viewerOf,
} from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type BulkSendArea,
  bulkSendBase,
  type BulkSendFormErrors,
  type BulkSendFormValues,
  renderBulkSendForm,
  renderBulkSendList,
  renderBulkSendPreview,
  renderBulkSendRun,
} from '../views/bulk-send.view';

const NOTICES = {
  started: DESK_TEXTS.bulkSend.run.started,
  cancelled: DESK_TEXTS.bulkSend.run.cancelled,
} as const;

/**
 * The bulk-send pages, shared by the supervisors' (/supervisor/bulk-sends) and the merchant
 * admins' (/portal/bulk-sends) controllers: the scope decides what each sees. A preview is a
 * GET (it changes nothing); starting and cancelling are POSTs with the CSRF token.
 */
@Injectable()
export class BulkSendPages {
  constructor(private readonly bulkSends: BulkSendService) {}

  async list(area: BulkSendArea, user: AuthenticatedUser, scope: TicketScope, reply: FastifyReply) {
    const runs = await this.bulkSends.list(scope);
    sendPage(reply, 200, renderBulkSendList({ viewer: viewerOf(user), area, runs }));
  }

  async form(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TicketScope,
    query: unknown,
    reply: FastifyReply,
    status = 200,
    errors: BulkSendFormErrors = {},
  ) {
    const options = await this.bulkSends.options(scope);
    sendPage(
      reply,
      status,
      renderBulkSendForm({
        viewer: viewerOf(user),
        area,
        options,
        values: formValues(query),
        errors,
      }),
    );
  }

  async preview(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TicketScope,
    query: unknown,
    reply: FastifyReply,
  ) {
    try {
      const preview = await this.bulkSends.preview(scope, requestOf(query));
      sendPage(reply, 200, renderBulkSendPreview({ viewer: viewerOf(user), area, preview }));
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      await this.form(area, user, scope, query, reply, 400, errors);
    }
  }

  async start(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TicketScope,
    body: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const expectedCount = new FormValues(body).positiveInt('expectedCount') ?? 0;
    try {
      const id = await this.bulkSends.start(
        scope,
        { ...requestOf(body), expectedCount },
        consoleActor(user, request),
      );
      seeOther(reply, `${bulkSendBase(area)}/${id}?done=started`);
    } catch (error) {
      // A changed selection, or (issue 13.1) a leak answer no selected ticket's determination
      // allows: 409 with the fresh preview (its evidence and what is left out) and the reason.
      if (
        error instanceof DomainException &&
        (error.code === ErrorCode.BulkSelectionChanged ||
          error.code === ErrorCode.DeterminationMismatch)
      ) {
        // Show the selection as it is now, with the reason, so the user confirms again (or,
        // if it cannot be sent any more, the form with the reason).
        try {
          const preview = await this.bulkSends.preview(scope, requestOf(body));
          sendPage(
            reply,
            409,
            renderBulkSendPreview({ viewer: viewerOf(user), area, preview, error: error.message }),
          );
        } catch (previewError) {
          const errors = fieldErrorsOf(previewError);
          if (!errors) throw previewError;
          await this.form(area, user, scope, body, reply, 400, errors);
        }
        return;
      }
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      await this.form(area, user, scope, body, reply, 400, errors);
    }
  }

  async run(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TicketScope,
    id: string,
    query: unknown,
    reply: FastifyReply,
  ) {
    const form = new FormValues(query);
    const { run, items } = await this.bulkSends.get(
      scope,
      Number(id),
      form.positiveInt('page') ?? 1,
    );
    const done = form.text('done');
    sendPage(
      reply,
      200,
      renderBulkSendRun({
        viewer: viewerOf(user),
        area,
        run,
        items,
        notice: done === 'started' || done === 'cancelled' ? NOTICES[done] : null,
      }),
    );
  }

  async cancel(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TicketScope,
    id: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    await this.bulkSends.cancel(scope, Number(id), consoleActor(user, request));
    seeOther(reply, `${bulkSendBase(area)}/${Number(id)}?done=cancelled`);
  }
}

function formValues(source: unknown): BulkSendFormValues {
  const form = new FormValues(source);
  return {
    merchantId: form.text('merchantId').trim(),
    templateId: form.text('templateId').trim(),
    selection: form.text('selection').trim(),
  };
}

function requestOf(source: unknown): BulkSendRequest {
  const form = new FormValues(source);
  return {
    merchantId: form.positiveInt('merchantId') ?? 0,
    templateId: form.positiveInt('templateId') ?? 0,
    selection: form.text('selection').trim() as BulkSendSelection,
  };
}

/** A validation failure as field errors for the form; anything else is not the form's to show. */
function fieldErrorsOf(error: unknown): BulkSendFormErrors | null {
  if (!(error instanceof DomainException) || error.code !== ErrorCode.ValidationFailed) return null;
  const errors: BulkSendFormErrors = {};
  for (const fieldError of error.fieldErrors) {
    const field = fieldError.field as keyof BulkSendFormValues;
    errors[field] ??= fieldError.message;
  }
  return errors;
}
