import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@madoguchi/common';
import { TicketDeterminationService } from '@madoguchi/incident-response';
import {
  ATTACHMENT_LIMITS,
  ATTACHMENT_TEXTS,
  AttachmentInspector,
  AttachmentRefusedError,
  type CleanFile,
  type TicketCategory,
  TicketClaimService,
  type TicketPriority,
  type TicketStatus,
  TicketWorkService,
} from '@madoguchi/tickets';
import { CsrfInMultipartParts, type MultipartLimits, RequirePermission } from '../../auth';
import { type MultipartForm, readMultipartForm } from '../../auth/multipart-upload.hook';
import {
  FormValues,
  type HtmlPage,
  htmlPage,
  type SeeOther,
  SHARED_TEXTS,
  submitForm,
  viewerOf,
} from '../../web';
import { ATTACHMENTS_INPUT_NAME } from '../../web/parts/attachments.view';
import { TicketForm, type TicketFormPost } from './ticket-form.decorator';
import { TicketPageRenderer } from './ticket-page.renderer';
import { TICKET_TEXTS as K } from './ticket.texts';
import { renderHandBackConfirm, type TicketDrafts, type TicketFieldErrors } from './ticket.view';

/** How a versioned write answers: the form as typed (kept on 400/409), its fields, its notice. */
interface WriteOptions {
  drafts: TicketDrafts;
  /** How the service's field names map to this page's fields. */
  fields: Readonly<Record<string, keyof TicketFieldErrors>>;
  done: keyof typeof K.notices;
}

/** Errors that send the agent back to the page with what they typed (409). */
const CONFLICTS: readonly ErrorCode[] = [
  ErrorCode.InvalidStatusTransition,
  ErrorCode.TicketAlreadyClaimed,
  ErrorCode.TicketFinished,
  ErrorCode.AnswerNotApproved,
  ErrorCode.DeterminationMismatch,
  ErrorCode.ReplyUndeliverable,
];

function ticketPath(reference: string, done: string): string {
  return `/tickets/${encodeURIComponent(reference)}?done=${done}`;
}

/**
 * The reply and the note take files (multipart): up to the attachment limits, beside a few text
 * fields. A file is read up to one byte past the limit, so the inspector sees that it is too
 * large and says so beside the file input, with the typed text kept.
 */
const ATTACHMENT_UPLOAD: MultipartLimits = {
  files: ATTACHMENT_LIMITS.maxFiles,
  fileBytes: ATTACHMENT_LIMITS.maxFileBytes + 1,
  fields: 8,
  // A 10,000-character text in UTF-8, with room to spare.
  fieldBytes: 64 * 1024,
  overLimit: 'report',
};

/** A form that may carry files: its fields and what was uploaded. */
interface UploadPost {
  post: TicketFormPost;
  upload: MultipartForm;
}

/**
 * The ticket page's forms. Every form posts `_csrf` (checked by the session guard) and the
 * `version` the agent read; a write on a newer ticket is refused (409) and the page comes back
 * with a warning and the typed text. Success answers 303 back to the page (post/redirect/get).
 * Writes need only `ticket.read` here: the service looks the ticket up in the scope first, so
 * another merchant's ticket is 404 (never 403), and then refuses merchant users their own (403).
 */
@ApiExcludeController()
@Controller('tickets')
@RequirePermission('ticket.read')
export class TicketActionsController {
  constructor(
    private readonly page: TicketPageRenderer,
    private readonly work: TicketWorkService,
    private readonly claims: TicketClaimService,
    private readonly determinations: TicketDeterminationService,
    private readonly inspector: AttachmentInspector,
  ) {}

  /**
   * An agent's explicit determination (issue 13.1): outcome and a required reason. No reason or
   * outcome: 400 with the form as typed; another merchant's ticket: 404; merchant users: 403
   * (the service finds the ticket in the scope first). No version: it changes no ticket field.
   */
  @Post(':reference/determinations')
  determine(@TicketForm() post: TicketFormPost): Promise<HtmlPage | SeeOther> {
    const { form, scope, reference, actor } = post;
    const typed = { outcome: form.text('outcome').trim(), reason: form.text('reason') };
    return submitForm({
      run: () => this.determinations.recordByAgent(scope, reference, typed, actor),
      done: ticketPath(reference, 'determined'),
      fields: ['outcome', 'reason'] as const,
      conflicts: CONFLICTS,
      rerender: ({ status, errors, error }) =>
        this.page.render({
          ...post,
          ...(status === 400
            ? {
                determinationForm: { ...typed, errors },
                // Errors of other fields are not this form's to show.
                alert: error.fieldErrors.length === 0 ? error.message : null,
              }
            : { determinationForm: typed, alert: error.message }),
        }),
    });
  }

  /**
   * The reply, with files (multipart, `_csrf` first) or without. The body is read only once the
   * ticket is known to be the caller's to write (another merchant's 404, a merchant user's own
   * 403); the files are inspected, then the reply goes through the one service method with every
   * check of a reply (approved answer, determination, version) before anything is stored; the
   * files go with the mail.
   */
  @Post(':reference/replies')
  @CsrfInMultipartParts(ATTACHMENT_UPLOAD)
  async replyTo(
    @TicketForm() typed: TicketFormPost,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HtmlPage | SeeOther> {
    const { post, upload } = await this.readUpload(typed, request, reply);
    const { form } = post;
    const answerField = form.text('answerVersionId').trim();
    const drafts: TicketDrafts = {
      reply: form.text('body'),
      nextStatus: form.text('nextStatus') || undefined,
      answerVersionId: answerField || undefined,
      replyFilesSent: hasFiles(upload),
    };
    const fields = {
      body: 'reply-body',
      nextStatus: 'reply-body',
      attachments: 'reply-attachments',
    } as const;
    return this.write(post, { drafts, fields, done: 'replied' }, async (expectedVersion) =>
      this.work.reply(
        post.scope,
        post.reference,
        {
          body: drafts.reply ?? '',
          expectedVersion,
          nextStatus: drafts.nextStatus as TicketStatus | undefined,
          // Anything but a positive id is a version no merchant approved: refused, never dropped.
          answerVersionId:
            answerField === '' ? undefined : (form.positiveInt('answerVersionId') ?? -1),
          attachments: await this.inspected(upload),
        },
        post.actor,
      ),
    );
  }

  /** An internal note, with files (kept internal like the note) or without. */
  @Post(':reference/notes')
  @CsrfInMultipartParts(ATTACHMENT_UPLOAD)
  async note(
    @TicketForm() typed: TicketFormPost,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HtmlPage | SeeOther> {
    const { post, upload } = await this.readUpload(typed, request, reply);
    const drafts: TicketDrafts = { note: post.form.text('body'), noteFilesSent: hasFiles(upload) };
    const fields = { body: 'note-body', attachments: 'note-attachments' } as const;
    return this.write(post, { drafts, fields, done: 'noted' }, async (expectedVersion) =>
      this.work.addNote(
        post.scope,
        post.reference,
        { body: drafts.note ?? '', expectedVersion, attachments: await this.inspected(upload) },
        post.actor,
      ),
    );
  }

  /**
   * What was told on the phone, on a ticket without email (issue 15): a call entry in the
   * conversation, never mailed, not a first response by itself.
   */
  @Post(':reference/call-notes')
  callNote(@TicketForm() post: TicketFormPost): Promise<HtmlPage | SeeOther> {
    const drafts: TicketDrafts = { callNote: post.form.text('body') };
    const fields = { body: 'call-note-body' } as const;
    return this.write(post, { drafts, fields, done: 'callNoted' }, (expectedVersion) =>
      this.work.addCallNote(
        post.scope,
        post.reference,
        { body: drafts.callNote ?? '', expectedVersion },
        post.actor,
      ),
    );
  }

  /** A question to the merchant (merchant_query): the ticket waits on the merchant; issue 13.4. */
  @Post(':reference/merchant-questions')
  askMerchant(@TicketForm() post: TicketFormPost): Promise<HtmlPage | SeeOther> {
    const drafts: TicketDrafts = { question: post.form.text('body') };
    const fields = { body: 'question-body' } as const;
    return this.write(post, { drafts, fields, done: 'questionAsked' }, (expectedVersion) =>
      this.work.askMerchant(
        post.scope,
        post.reference,
        { body: drafts.question ?? '', expectedVersion },
        post.actor,
      ),
    );
  }

  @Post(':reference/status')
  status(@TicketForm() post: TicketFormPost): Promise<HtmlPage | SeeOther> {
    const drafts: TicketDrafts = { status: post.form.text('status') };
    const fields = { status: 'new-status' } as const;
    return this.write(post, { drafts, fields, done: 'statusChanged' }, (expectedVersion) =>
      this.work.changeStatus(
        post.scope,
        post.reference,
        { status: drafts.status as TicketStatus, expectedVersion },
        post.actor,
      ),
    );
  }

  @Post(':reference/properties')
  properties(@TicketForm() post: TicketFormPost): Promise<HtmlPage | SeeOther> {
    const drafts: TicketDrafts = {
      category: post.form.text('category'),
      priority: post.form.text('priority'),
    };
    const fields = { category: 'category', priority: 'priority' } as const;
    return this.write(post, { drafts, fields, done: 'updated' }, (expectedVersion) =>
      this.work.update(
        post.scope,
        post.reference,
        {
          category: drafts.category as TicketCategory,
          priority: drafts.priority as TicketPriority,
          expectedVersion,
        },
        post.actor,
      ),
    );
  }

  @Post(':reference/assignment')
  async assignment(@TicketForm() post: TicketFormPost): Promise<HtmlPage | SeeOther> {
    const choice = post.form.text('assignee');
    let assigneeId: number | null;
    if (choice === 'me') assigneeId = post.user.id;
    else if (choice === 'release') assigneeId = null;
    else {
      const id = post.form.positiveInt('assignee');
      if (id === null) {
        const errors = { assignee: SHARED_TEXTS.errors.badRequest.message };
        return htmlPage(await this.page.render({ ...post, errors }), 400);
      }
      assigneeId = id;
    }
    const fields = { assignee: 'assignee', assigneeId: 'assignee' } as const;
    return this.write(post, { drafts: {}, fields, done: 'assigned' }, (expectedVersion) =>
      this.claims.assign(post.scope, post.reference, assigneeId, expectedVersion, post.actor),
    );
  }

  /** Without confirm=yes: the page that says what a hand-back does. With it: the hand-back. */
  @Post(':reference/hand-back')
  async handBack(@TicketForm() post: TicketFormPost): Promise<HtmlPage | SeeOther> {
    if (post.form.text('confirm') !== 'yes') {
      const version = post.form.version();
      const ticket = await this.work.detail(post.scope, post.reference, post.actor);
      if (version === null || version !== ticket.version) {
        return htmlPage(await this.page.render({ ...post, alert: K.staleWarning }), 409);
      }
      return htmlPage(renderHandBackConfirm({ viewer: viewerOf(post.user), ticket, version }));
    }
    return this.write(post, { drafts: {}, fields: {}, done: 'handedBack' }, (expectedVersion) =>
      this.work.handBack(post.scope, post.reference, { expectedVersion }, post.actor),
    );
  }

  /**
   * The form's parts, read only now: after the guards, and after the ticket was found in the
   * scope and the scope may write to it (a refusal closes the connection, so the body is never
   * read); `_csrf` before any file. A plain form post gives its fields and no file.
   */
  private async readUpload(
    typed: TicketFormPost,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<UploadPost> {
    try {
      await this.work.assertWritable(typed.scope, typed.reference);
    } catch (error) {
      void reply.header('connection', 'close');
      throw error;
    }
    const upload = await readMultipartForm(request, reply, typed.user.csrfToken);
    return { post: { ...typed, form: new FormValues(upload.fields) }, upload };
  }

  /** The files as the inspector accepts them; any refusal is one 400 beside the file input. */
  private async inspected(upload: MultipartForm): Promise<CleanFile[]> {
    if (upload.tooManyFiles) throw new AttachmentRefusedError([ATTACHMENT_TEXTS.tooMany]);
    const files = chosenFiles(upload);
    if (files.length === 0) return [];
    try {
      return await this.inspector.inspect(files);
    } catch (error) {
      // Every file's problem at once, in the one place the page shows them.
      if (!(error instanceof AttachmentRefusedError) || error.fieldErrors.length < 2) throw error;
      throw new AttachmentRefusedError([error.fieldErrors.map((e) => e.message).join(' ')]);
    }
  }

  /**
   * Runs a write with the form's version. A missing version is treated like a stale one: the
   * page cannot know what the agent saw, so it refuses rather than overwrite.
   */
  private async write(
    post: TicketFormPost,
    options: WriteOptions,
    action: (expectedVersion: number) => Promise<unknown>,
  ): Promise<HtmlPage | SeeOther> {
    const version = post.form.version();
    const page = { ...post, drafts: options.drafts };
    if (version === null) {
      return htmlPage(await this.page.render({ ...page, alert: K.staleWarning }), 409);
    }
    return submitForm({
      run: () => action(version),
      done: ticketPath(post.reference, options.done),
      fields: options.fields,
      conflicts: CONFLICTS,
      rerender: ({ reason, errors, alert, error }) => {
        if (reason === 'stale') return this.page.render({ ...page, alert: K.staleWarning });
        if (reason === 'invalid') return this.page.render({ ...page, errors, alert });
        // A refused answer version is not offered again: the agent picks the approved one.
        const drafts = { ...options.drafts };
        if (error.code === ErrorCode.AnswerNotApproved) delete drafts.answerVersionId;
        return this.page.render({ ...page, drafts, alert });
      },
    });
  }
}

/** The files of the attachment input; an input left empty still sends one nameless, empty part. */
function chosenFiles(upload: MultipartForm): { filename: string; bytes: Buffer }[] {
  return upload.files
    .filter((file) => file.fieldname === ATTACHMENTS_INPUT_NAME)
    .filter((file) => !(file.filename === '' && file.bytes.length === 0))
    .map(({ filename, bytes }) => ({ filename, bytes }));
}

function hasFiles(upload: MultipartForm): boolean {
  return upload.tooManyFiles || chosenFiles(upload).length > 0;
}
