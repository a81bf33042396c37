import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { AnswerTemplateService, type IncidentInput, IncidentService } from '@madoguchi/incidents';
import { IncidentAnswerService } from '@madoguchi/incident-response';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  noticeFrom,
  type SeeOther,
  submitForm,
  viewerOf,
} from '../../web';
import { INCIDENTS_TEXTS } from './incidents.texts';
import {
  type FormErrors,
  type IncidentFormValues,
  renderAdminIncidentEdit,
  renderAdminIncidentList,
  type TemplateFormValues,
} from './incidents.view';
import { renderOutdatedReceivers } from './outdated-receivers.view';

const NOTICES = INCIDENTS_TEXTS.notices;
const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });
export const OUTDATED_PAGE_SIZE = 50;
/** The incident forms keep the service's field names; an error without a field goes on the title. */
const UNPLACED_TO = 'title';

/** A form failure's errors as the incident views take them (every value set). */
function formErrors(errors: Partial<Record<string, string>>): FormErrors {
  return Object.fromEntries(
    Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

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

/**
 * Incidents and their answer templates (admins and supervisors: setup.manage). Each edit of a
 * template's text is a new immutable version; the page shows each affected merchant's decision
 * per version, and links to the tickets that received an older version.
 */
@ApiExcludeController()
@Controller('admin/incidents')
@RequirePermission('setup.manage')
export class AdminIncidentsController {
  constructor(
    private readonly incidents: IncidentService,
    private readonly templates: AnswerTemplateService,
    private readonly answers: IncidentAnswerService,
  ) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(await this.listPage(user, { notice: noticeFrom(NOTICES, done) }));
  }

  @Post()
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const values = incidentFormOf(body);
    return submitForm({
      unplacedTo: UNPLACED_TO,
      run: () => this.incidents.create(values, actor),
      done: (incident) => `/admin/incidents/${incident.id}?done=incidentCreated`,
      rerender: ({ errors }) => this.listPage(user, { values, errors: formErrors(errors) }),
    });
  }

  @Get('templates/:templateId/outdated')
  async outdated(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Param('templateId', ID) templateId: number,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const template = await this.answers.templateFor(scope, templateId);
    const page = await this.answers.listOutdatedReceivers(scope, templateId, {
      page: new FormValues(query).positiveInt('page') ?? 1,
      pageSize: OUTDATED_PAGE_SIZE,
    });
    return htmlPage(
      renderOutdatedReceivers({ viewer: viewerOf(user), template, page, area: 'admin' }),
    );
  }

  @Post('templates/:templateId')
  async editTemplate(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('templateId', ID) templateId: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const editValues = { title: form.text('title'), body: form.text('body') };
    const template = await this.templates.getTemplate(templateId);
    return submitForm({
      unplacedTo: UNPLACED_TO,
      run: () => this.templates.edit(templateId, editValues, actor),
      done: `/admin/incidents/${template.incidentId}?done=templateSaved#template-${templateId}-heading`,
      rerender: ({ errors }) =>
        this.editPage(user, template.incidentId, {
          editTemplateId: templateId,
          editValues,
          editErrors: formErrors(errors),
        }),
    });
  }

  @Get(':id')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(await this.editPage(user, id, { notice: noticeFrom(NOTICES, done) }));
  }

  @Post(':id')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const values = incidentFormOf(body);
    return submitForm({
      unplacedTo: UNPLACED_TO,
      run: () => this.incidents.update(id, values, actor),
      done: `/admin/incidents/${id}?done=incidentSaved`,
      rerender: ({ errors }) => this.editPage(user, id, { values, errors: formErrors(errors) }),
    });
  }

  @Post(':id/templates')
  async addTemplate(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const templateValues: TemplateFormValues = {
      title: form.text('title'),
      purpose: form.text('purpose'),
      body: form.text('body'),
    };
    return submitForm({
      unplacedTo: UNPLACED_TO,
      run: () => this.templates.create(id, templateValues, actor),
      done: (template) =>
        `/admin/incidents/${id}?done=templateCreated#template-${template.id}-heading`,
      rerender: ({ errors }) =>
        this.editPage(user, id, { templateValues, templateErrors: formErrors(errors) }),
    });
  }

  private async listPage(
    user: AuthenticatedUser,
    extra: { values?: IncidentFormValues; errors?: FormErrors; notice?: string | null },
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
