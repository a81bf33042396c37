import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { AnswerTemplateService, type IncidentInput, IncidentService } from '@madoguchi/incidents';
import { IncidentAnswerService, type TicketScope } from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission } from '../auth';
import { FormValues, noticeFrom, seeOther, sendPage, viewerOf } from '../console/console-http.util';
import { DESK_TEXTS } from '../i18n/ja';
import {
  formErrorsOf,
  type IncidentFormValues,
  renderAdminIncidentEdit,
  renderAdminIncidentList,
  type TemplateFormValues,
} from '../views/admin-incidents.view';
import { renderOutdatedReceivers } from '../views/outdated-receivers.view';
import { adminActor } from './merchant-form.util';

const NOTICES = DESK_TEXTS.incidents.notices;
const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });
export const OUTDATED_PAGE_SIZE = 50;

/** Every value of a repeated form field. */
function allValues(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** The incident form: texts, dates, and one line per `merchant` field sent. */
export function incidentFormOf(body: unknown): IncidentFormValues & IncidentInput {
  const form = new FormValues(body);
  const merchants = allValues(body, 'merchant')
    .filter((id) => /^[1-9]\d{0,9}$/.test(id))
    .map((id) => ({
      merchantId: Number(id),
      affected: form.text(`affected_${id}`) === 'yes',
      noticeDate: form.text(`noticeDate_${id}`),
    }));
  return {
    title: form.text('title'),
    description: form.text('description'),
    leakedItems: form.text('leakedItems'),
    occurredFrom: form.text('occurredFrom'),
    occurredTo: form.text('occurredTo'),
    merchants,
  };
}

/** Field errors of a validation failure; null (rethrow) for anything else. */
function validationErrors(error: unknown): Record<string, string> | null {
  if (!(error instanceof DomainException && error.code === ErrorCode.ValidationFailed)) return null;
  const errors = formErrorsOf(error.fieldErrors);
  if (Object.keys(errors).length === 0) errors.title = error.message;
  return errors;
}

/**
 * Incidents and their answer templates (admins and supervisors: setup.manage). Each edit of a
 * template's text is a new immutable version; the page shows each affected merchant's decision
 * per version, and links to the tickets that received an older version.
 */
@ApiExcludeController()
@Controller('admin/incidents')
@RequirePermission('setup.manage')
export class IncidentPagesController {
  constructor(
    private readonly incidents: IncidentService,
    private readonly templates: AnswerTemplateService,
    private readonly answers: IncidentAnswerService,
  ) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPage(reply, 200, await this.listPage(user, { notice: noticeFrom(NOTICES, done) }));
  }

  @Post()
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const values = incidentFormOf(body);
    let id: number;
    try {
      id = (await this.incidents.create(values, adminActor(user, request))).id;
    } catch (error) {
      const errors = validationErrors(error);
      if (!errors) throw error;
      sendPage(reply, 400, await this.listPage(user, { values, errors }));
      return;
    }
    seeOther(reply, `/admin/incidents/${id}?done=incidentCreated`);
  }

  @Get('templates/:templateId/outdated')
  async outdated(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Param('templateId', ID) templateId: number,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const template = await this.answers.templateFor(scope, templateId);
    const page = await this.answers.listOutdatedReceivers(scope, templateId, {
      page: new FormValues(query).positiveInt('page') ?? 1,
      pageSize: OUTDATED_PAGE_SIZE,
    });
    sendPage(
      reply,
      200,
      renderOutdatedReceivers({ viewer: viewerOf(user), template, page, area: 'admin' }),
    );
  }

  @Post('templates/:templateId')
  async editTemplate(
    @CurrentUser() user: AuthenticatedUser,
    @Param('templateId', ID) templateId: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const editValues = { title: form.text('title'), body: form.text('body') };
    const template = await this.templates.getTemplate(templateId);
    try {
      await this.templates.edit(templateId, editValues, adminActor(user, request));
    } catch (error) {
      const editErrors = validationErrors(error);
      if (!editErrors) throw error;
      sendPage(
        reply,
        400,
        await this.editPage(user, template.incidentId, {
          editTemplateId: templateId,
          editValues,
          editErrors,
        }),
      );
      return;
    }
    seeOther(
      reply,
      `/admin/incidents/${template.incidentId}?done=templateSaved#template-${templateId}-heading`,
    );
  }

  @Get(':id')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Query('done') done: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendPage(reply, 200, await this.editPage(user, id, { notice: noticeFrom(NOTICES, done) }));
  }

  @Post(':id')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const values = incidentFormOf(body);
    try {
      await this.incidents.update(id, values, adminActor(user, request));
    } catch (error) {
      const errors = validationErrors(error);
      if (!errors) throw error;
      sendPage(reply, 400, await this.editPage(user, id, { values, errors }));
      return;
    }
    seeOther(reply, `/admin/incidents/${id}?done=incidentSaved`);
  }

  @Post(':id/templates')
  async addTemplate(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const templateValues: TemplateFormValues = {
      title: form.text('title'),
      purpose: form.text('purpose'),
      body: form.text('body'),
    };
    let templateId: number;
    try {
      templateId = (await this.templates.create(id, templateValues, adminActor(user, request))).id;
    } catch (error) {
      const templateErrors = validationErrors(error);
      if (!templateErrors) throw error;
      sendPage(reply, 400, await this.editPage(user, id, { templateValues, templateErrors }));
      return;
    }
    seeOther(reply, `/admin/incidents/${id}?done=templateCreated#template-${templateId}-heading`);
  }

  private async listPage(
    user: AuthenticatedUser,
    extra: { values?: IncidentFormValues; errors?: Record<string, string>; notice?: string | null },
  ): Promise<string> {
    const [incidents, merchants] = await Promise.all([
      this.incidents.list(),
      this.incidents.merchantLines(),
    ]);
    return renderAdminIncidentList({ viewer: viewerOf(user), incidents, merchants, ...extra });
  }

  private async editPage(
    user: AuthenticatedUser,
    id: number,
    extra: Omit<Parameters<typeof renderAdminIncidentEdit>[0], 'viewer' | 'incident' | 'templates'>,
  ): Promise<string> {
    const incident = await this.incidents.get(id);
    const templates = await this.templates.listForIncident(id);
    return renderAdminIncidentEdit({ viewer: viewerOf(user), incident, templates, ...extra });
  }
}
