import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FaqPageService } from '@madoguchi/incident-response';
import {
  ATTACHMENT_LIMITS,
  InquiryService,
  normaliseTicketReference,
  validateInquiryInput,
} from '@madoguchi/tickets';
import type { SiteWithMerchant } from '@madoguchi/tenancy';
import { AttachmentChecker } from '../attachments/attachment-checker.service';
import { ATTACHMENT_FIELD, readIntakeForm } from '../attachments/intake-multipart.hook';
import { INTAKE_TEXTS } from '../i18n/ja';
import {
  FROM_FAQ_FIELD,
  HONEYPOT_FIELD,
  renderInquiryForm,
  renderIntakeClosed,
  renderThankYou,
} from '../views';
import { redirectSeeOther, sendHtml } from './html-reply.util';
import { IntakeClosedException, IntakeSiteService } from './intake-site.service';
import { issueMessage } from './issue-messages';
import { brandingOf } from './site-branding.util';

const FORM_FIELDS = ['name', 'email', 'phone', 'orderNumber', 'category', 'message'] as const;
const CATEGORY_OPTIONS = Object.entries(INTAKE_TEXTS.categories).map(([value, label]) => ({
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
      ignoredFields: [HONEYPOT_FIELD, FROM_FAQ_FIELD],
    });
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
        }),
      );
      return;
    }
    const { reference } = await this.inquiries.submit(target, validation.value, {
      ip: request.ip,
      // Reached through the incident page's link: counted per site and day (no cookie, no id).
      fromFaq: fields[FROM_FAQ_FIELD] === '1',
      attachments: checked.files,
    });
    const files = checked.files.length > 0 ? `&files=${checked.files.length}` : '';
    redirectSeeOther(
      reply,
      `/s/${target.site.slug}/thanks?ref=${encodeURIComponent(reference)}${files}`,
    );
  }

  /** Shows the reference it is given (nothing secret: a reference opens nothing by itself). */
  @Get(':site/thanks')
  async thanks(
    @Param('site') slug: string,
    @Query('ref') ref: string | undefined,
    @Query('files') files: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.sites.find(slug);
    const reference = typeof ref === 'string' ? normaliseTicketReference(ref) : null;
    sendHtml(
      reply,
      200,
      renderThankYou({ site: brandingOf(target), reference, filesReceived: fileCountOf(files) }),
    );
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
