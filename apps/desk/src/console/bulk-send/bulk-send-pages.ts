import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import {
  type BulkSendRequest,
  type BulkSendSelection,
  BulkSendService,
} from '@madoguchi/incident-response';
import { type TenantScope } from '@madoguchi/tenancy';
import type { TicketActor } from '@madoguchi/tenancy';
import {
  formFailureOf,
  FormValues,
  type HtmlPage,
  htmlPage,
  type SeeOther,
  seeOtherTo,
  submitForm,
  viewerOf,
} from '../../web';
import { BULK_SEND_TEXTS } from './bulk-send.texts';
import {
  type BulkSendArea,
  bulkSendBase,
  type BulkSendFormErrors,
  type BulkSendFormValues,
  renderBulkSendForm,
  renderBulkSendList,
  renderBulkSendPreview,
  renderBulkSendRun,
} from './bulk-send.view';

const NOTICES = {
  started: BULK_SEND_TEXTS.run.started,
  cancelled: BULK_SEND_TEXTS.run.cancelled,
} as const;

/**
 * The bulk-send pages, shared by the supervisors' (/supervisor/bulk-sends) and the merchant
 * admins' (/portal/bulk-sends) controllers: the scope decides what each sees. A preview is a
 * GET (it changes nothing); starting and cancelling are POSTs with the CSRF token.
 */
@Injectable()
export class BulkSendPages {
  constructor(private readonly bulkSends: BulkSendService) {}

  async list(area: BulkSendArea, user: AuthenticatedUser, scope: TenantScope): Promise<HtmlPage> {
    const runs = await this.bulkSends.list(scope);
    return htmlPage(renderBulkSendList({ viewer: viewerOf(user), area, runs }));
  }

  async form(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TenantScope,
    query: unknown,
    status = 200,
    errors: BulkSendFormErrors = {},
  ): Promise<HtmlPage> {
    const options = await this.bulkSends.options(scope);
    return htmlPage(
      renderBulkSendForm({
        viewer: viewerOf(user),
        area,
        options,
        values: formValues(query),
        errors,
      }),
      status,
    );
  }

  preview(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TenantScope,
    query: unknown,
  ): Promise<HtmlPage> {
    return this.previewOrForm(area, user, scope, query, 200);
  }

  async start(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TenantScope,
    body: unknown,
    actor: TicketActor,
  ): Promise<HtmlPage | SeeOther> {
    const expectedCount = new FormValues(body).positiveInt('expectedCount') ?? 0;
    try {
      return await submitForm({
        run: () => this.bulkSends.start(scope, { ...requestOf(body), expectedCount }, actor),
        done: (id) => `${bulkSendBase(area)}/${id}?done=started`,
        rerender: async ({ errors }) =>
          (await this.form(area, user, scope, body, 400, errors)).html,
      });
    } catch (error) {
      // A changed selection, or (issue 13.1) a leak answer no selected ticket's determination
      // allows: 409 with the fresh preview (its evidence and what is left out) and the reason,
      // so the user confirms again (or, if it cannot be sent any more, the form with the reason).
      if (
        error instanceof DomainException &&
        (error.code === ErrorCode.BulkSelectionChanged ||
          error.code === ErrorCode.DeterminationMismatch)
      ) {
        return this.previewOrForm(area, user, scope, body, 409, error.message);
      }
      throw error;
    }
  }

  async run(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TenantScope,
    id: string,
    query: unknown,
  ): Promise<HtmlPage> {
    const form = new FormValues(query);
    const { run, items } = await this.bulkSends.get(
      scope,
      Number(id),
      form.positiveInt('page') ?? 1,
    );
    const done = form.text('done');
    return htmlPage(
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
    scope: TenantScope,
    id: string,
    actor: TicketActor,
  ): Promise<SeeOther> {
    await this.bulkSends.cancel(scope, Number(id), actor);
    return seeOtherTo(`${bulkSendBase(area)}/${Number(id)}?done=cancelled`);
  }

  /** The selection as it is now; a selection that cannot be previewed is the form with its errors (400). */
  private async previewOrForm(
    area: BulkSendArea,
    user: AuthenticatedUser,
    scope: TenantScope,
    source: unknown,
    status: 200 | 409,
    reason?: string,
  ): Promise<HtmlPage> {
    try {
      const preview = await this.bulkSends.preview(scope, requestOf(source));
      return htmlPage(
        renderBulkSendPreview({ viewer: viewerOf(user), area, preview, error: reason }),
        status,
      );
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      return this.form(area, user, scope, source, 400, errors);
    }
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
  const failure = formFailureOf<keyof BulkSendFormValues>(error, {});
  return failure?.status === 400 ? failure.errors : null;
}
