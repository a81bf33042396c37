import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BusinessCalendar } from '@madoguchi/calendar';
import { Clock, isMaskedEmailAddress, maskEmailAddress } from '@madoguchi/common';
import { generateSecretToken } from '@madoguchi/crypto';
import { FaqPageService } from '@madoguchi/incident-response';
import {
  ATTACHMENT_LIMITS,
  expectedAnswerSentence,
  expectedFirstAnswer,
  generalExpectedAnswerSentence,
  InquiryService,
  normaliseTicketReference,
  SlaPolicyService,
  validateInquiryInput,
} from '@madoguchi/tickets';
import type { SiteWithMerchant } from '@madoguchi/tenancy';
import { AttachmentChecker } from '../attachments/attachment-checker.service';
import { ATTACHMENT_FIELD, readIntakeForm } from '../attachments/intake-multipart.hook';
import { FROM_FAQ_FIELD } from '../incident-page/incident-page.view';
import { redirectSeeOther, sendHtml } from '../web/html-reply.util';
import { renderIntakeClosed } from '../web/intake-closed.view';
import { IntakeClosedException, IntakeSiteService } from '../web/intake-site.service';
import { INTAKE_SHARED_TEXTS } from '../web/shared.texts';
import { brandingOf } from '../web/site-branding.util';
import { FORM_TOKEN_FIELD, HONEYPOT_FIELD, renderInquiryForm } from './inquiry-form.view';
import { issueMessage } from './issue-messages';
import { renderThankYou } from './thank-you.view';

const FORM_FIELDS = ['name', 'email', 'phone', 'orderNumber', 'category', 'message'] as const;
const CATEGORY_OPTIONS = Object.entries(INTAKE_SHARED_TEXTS.categories).map(([value, label]) => ({
  value,
  label,
}));

/** The merchant-branded HTML form; works without JavaScript. No session, so no CSRF token. */
@Controller('s')
export class InquiryFormController {
  constructor(
    private readonly sites: IntakeSiteService,
    private readonly inquiries: InquiryService,
    private readonly faq: FaqPageService,
    private readonly attachments: AttachmentChecker,
    private readonly calendar: BusinessCalendar,
    private readonly clock: Clock,
    private readonly slaPolicies: SlaPolicyService,
  ) {}

  @Get(':site')
  async form(
    @Param('site') slug: string,
    @Query(FROM_FAQ_FIELD) fromFaq: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.openSiteOrClosedPage(slug, reply);
    if (!target) return;
    sendHtml(
      reply,
      200,
      renderInquiryForm({
        site: brandingOf(target),
        categories: CATEGORY_OPTIONS,
        values: {},
        errors: {},
        action: `/s/${target.site.slug}`,
        incidentPageUrl: await this.incidentPageUrl(target),
        fromFaq: fromFaq === '1',
        expectedAnswer: await this.generalExpectedAnswer(target),
        // Issue 15: one token per form shown, consumed by the ticket it makes.
        formToken: generateSecretToken(),
      }),
    );
  }

  /**
   * Form-encoded, or multipart with up to ATTACHMENT_LIMITS files in `attachments`. The text and
   * the files are checked together; any problem re-renders the form (400) with the text kept
   * and nothing stored (the files must be chosen again, and the form says so).
   */
  @Post(':site')
  async submit(
    @Param('site') slug: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.openSiteOrClosedPage(slug, reply);
    if (!target) return;
    const form = await readIntakeForm(request);
    const fields = form.fields;
    // A bot fills the hidden field: answer as if accepted, store nothing.
    if (typeof fields[HONEYPOT_FIELD] === 'string' && fields[HONEYPOT_FIELD] !== '') {
      redirectSeeOther(reply, `/s/${target.site.slug}/thanks`);
      return;
    }
    const validation = validateInquiryInput(fields, {
      consentFromCheckbox: true,
      ignoredFields: [HONEYPOT_FIELD, FROM_FAQ_FIELD, FORM_TOKEN_FIELD],
    });
    const postedToken = fields[FORM_TOKEN_FIELD];
    const formToken = typeof postedToken === 'string' ? postedToken : null;
    const checked = await this.attachments.check(form);
    if (!validation.ok || !checked.ok) {
      const values: Record<string, string> = {};
      for (const field of FORM_FIELDS)
        if (typeof fields[field] === 'string') values[field] = fields[field] as string;
      const errors: Record<string, string> = {};
      if (!validation.ok)
        for (const issue of validation.issues) errors[issue.field] ??= issueMessage(issue);
      if (!checked.ok) errors[ATTACHMENT_FIELD] = checked.error;
      sendHtml(
        reply,
        400,
        renderInquiryForm({
          site: brandingOf(target),
          categories: CATEGORY_OPTIONS,
          values: {
            ...values,
            consent: typeof fields.consent === 'string' && fields.consent !== '',
          },
          errors,
          filesSent: form.filesSent,
          action: `/s/${target.site.slug}`,
          incidentPageUrl: await this.incidentPageUrl(target),
          fromFaq: fields[FROM_FAQ_FIELD] === '1',
          expectedAnswer: await this.generalExpectedAnswer(target),
          // The corrected form keeps its token: still one submission.
          formToken: formToken ?? generateSecretToken(),
        }),
      );
      return;
    }
    const { reference, firstResponseDueAt } = await this.inquiries.submit(
      target,
      validation.value,
      {
        ip: request.ip,
        // Reached through the incident page's link: counted per site and day (no cookie, no id).
        fromFaq: fields[FROM_FAQ_FIELD] === '1',
        attachments: checked.files,
        // Issue 15: Back + 送信 makes no second ticket (the token, or the same text again).
        form: { token: formToken, sameTextWindow: true },
      },
    );
    // What the thank-you page shows, carried by the redirect: the address only masked (the
    // query is never logged), the due as an instant. Nothing here opens the ticket.
    const query = new URLSearchParams({ ref: reference });
    if (checked.files.length > 0) query.set('files', String(checked.files.length));
    const receiptTo = maskEmailAddress(validation.value.email);
    if (receiptTo !== null) query.set('to', receiptTo);
    if (firstResponseDueAt !== null) query.set('due', firstResponseDueAt.toISOString());
    redirectSeeOther(reply, `/s/${target.site.slug}/thanks?${query.toString()}`);
  }

  /**
   * Shows the reference, the masked receipt address and the due it is given (nothing secret: a
   * reference opens nothing by itself). Each is shown only in the shape the form's redirect
   * gives it, so a crafted link cannot put other words on the merchant's page.
   */
  @Get(':site/thanks')
  async thanks(
    @Param('site') slug: string,
    @Query('ref') ref: string | undefined,
    @Query('files') files: string | undefined,
    @Query('to') to: string | undefined,
    @Query('due') due: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.sites.find(slug);
    const reference = typeof ref === 'string' ? normaliseTicketReference(ref) : null;
    sendHtml(
      reply,
      200,
      renderThankYou({
        site: brandingOf(target),
        reference,
        filesReceived: fileCountOf(files),
        receiptTo: typeof to === 'string' && isMaskedEmailAddress(to) ? to : null,
        expectedAnswer: await this.expectedAnswer(target, due),
      }),
    );
  }

  /**
   * The due the redirect carried, as the ticket's promise; the general one for anything else.
   * A real due lies no later than a ticket opened now would get (a later one was made up), and
   * a past one says nothing any more (the page may be reopened long after; the answer may be in).
   */
  private async expectedAnswer(target: SiteWithMerchant, due: string | undefined): Promise<string> {
    const now = this.clock.now();
    const dueAt = typeof due === 'string' ? new Date(due) : null;
    const targets = await this.slaPolicies.shopperFirstResponse(target.merchant.id);
    const latest = this.calendar.addBusinessHours(now, targets.longestMinutes / 60);
    const expected =
      dueAt === null || Number.isNaN(dueAt.getTime()) || dueAt > latest
        ? null
        : expectedFirstAnswer(
            { status: 'new', firstRespondedAt: null, firstResponseDueAt: dueAt },
            now,
            this.calendar,
          );
    return expected?.kind === 'due'
      ? expectedAnswerSentence(expected)
      : generalExpectedAnswerSentence(this.calendar, targets.minutes);
  }

  /** The form's promise: the merchant's SLA policy for the default priority (issue 15). */
  private async generalExpectedAnswer(target: SiteWithMerchant): Promise<string> {
    const targets = await this.slaPolicies.shopperFirstResponse(target.merchant.id);
    return generalExpectedAnswerSentence(this.calendar, targets.minutes);
  }

  /** The site's public incident page, when it has at least one approved answer to show. */
  private async incidentPageUrl(target: SiteWithMerchant): Promise<string | null> {
    const answers = await this.faq.answers(target);
    return answers.length > 0 ? `/s/${target.site.slug}/incident` : null;
  }

  private async openSiteOrClosedPage(slug: string, reply: FastifyReply) {
    try {
      return await this.sites.findOpen(slug);
    } catch (error) {
      if (!(error instanceof IntakeClosedException)) throw error;
      sendHtml(
        reply,
        410,
        renderIntakeClosed({
          site: brandingOf(error.target),
          reason: error.reason,
          contactUrl: error.target.site.contactUrl,
          contactText: error.target.site.contactText,
        }),
      );
      return null;
    }
  }
}

/** The count the form's redirect carries (nothing secret); anything else shows no count. */
function fileCountOf(value: string | undefined): number {
  const count = /^[1-9][0-9]?$/.test(value ?? '') ? Number(value) : 0;
  return count <= ATTACHMENT_LIMITS.maxFiles ? count : 0;
}
