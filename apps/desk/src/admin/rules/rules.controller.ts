import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { NotFoundException, ValidationFailedException } from '@madoguchi/common';
import type { TicketActor } from '@madoguchi/tenancy';
import { isRuleKind, RuleAdminService, type RuleInput, type RuleKind } from '@madoguchi/tickets';
import { CurrentUser, RequirePermission } from '../../auth';
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
import { RULES_TEXTS } from './rules.texts';
import {
  ADMIN_RULES_PATH,
  emptyRuleValues,
  RULE_FORM_FIELDS,
  type RuleFormValues,
  renderAdminRules,
  renderRuleDeleteConfirm,
  renderRuleForm,
  ruleValuesOf,
} from './rules.view';

const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** `/admin/rules`: intake triggers and the pending-customer automation (admins only; docs/rules.md). */
@ApiExcludeController()
@Controller('admin/rules')
@RequirePermission('rules.manage')
export class AdminRulesController {
  constructor(private readonly rules: RuleAdminService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query('done') done: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderAdminRules({
        viewer: viewerOf(user),
        rules: await this.rules.list(),
        notice: noticeFrom(RULES_TEXTS.notices, done),
      }),
    );
  }

  @Get('new')
  async newForm(
    @CurrentUser() user: AuthenticatedUser,
    @Query('kind') kind: unknown,
  ): Promise<HtmlPage> {
    return htmlPage(
      renderRuleForm({
        viewer: viewerOf(user),
        kind: isRuleKind(kind) ? kind : 'intake',
        rule: null,
        merchants: await this.merchantOptions(),
        values: emptyRuleValues(),
      }),
    );
  }

  @Post()
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const { kind, values, input } = formInput(body);
    return submitForm({
      fields: RULE_FORM_FIELDS,
      unplacedTo: 'name',
      run: () => this.rules.create(input, actor),
      done: `${ADMIN_RULES_PATH}?done=created`,
      rerender: async ({ errors, alert }) =>
        renderRuleForm({
          viewer: viewerOf(user),
          kind,
          rule: null,
          merchants: await this.merchantOptions(),
          values,
          errors,
          alert,
        }),
    });
  }

  @Get(':id')
  async editForm(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
  ): Promise<HtmlPage> {
    const rule = await this.rules.get(id);
    return htmlPage(
      renderRuleForm({
        viewer: viewerOf(user),
        kind: rule.kind,
        rule,
        merchants: await this.merchantOptions(),
        values: ruleValuesOf(rule),
      }),
    );
  }

  @Post(':id')
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const rule = await this.rules.get(id);
    const { values, input } = formInput(body);
    const version = new FormValues(body).version() ?? undefined;
    return submitForm({
      fields: RULE_FORM_FIELDS,
      unplacedTo: 'name',
      run: () => this.rules.update(id, { ...input, kind: rule.kind }, version, actor),
      done: `${ADMIN_RULES_PATH}?done=saved`,
      rerender: async ({ errors, alert }) =>
        renderRuleForm({
          viewer: viewerOf(user),
          kind: rule.kind,
          rule: await this.rules.get(id),
          merchants: await this.merchantOptions(),
          values,
          errors,
          alert,
        }),
    });
  }

  @Post(':id/move')
  move(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const direction = form.text('direction');
    return this.listAction(user, 'moved', async () => {
      if (direction !== 'up' && direction !== 'down') {
        throw new ValidationFailedException([
          { field: 'direction', message: '移動の向きが不正です。' },
        ]);
      }
      await this.rules.move(id, direction, form.version() ?? undefined, actor);
    });
  }

  @Post(':id/enabled')
  setEnabled(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const form = new FormValues(body);
    const enabled = form.text('enabled') === 'true';
    return this.listAction(user, enabled ? 'enabled' : 'disabled', async () => {
      await this.rules.setEnabled(id, enabled, form.version() ?? undefined, actor);
    });
  }

  /** The confirm step of a deletion; the delete itself is POST :id/delete. */
  @Get(':id/delete/confirm')
  async confirmDelete(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ID) id: number,
  ): Promise<HtmlPage> {
    const rule = await this.rules.get(id).catch(() => {
      throw new NotFoundException(RULES_TEXTS.notFound);
    });
    return htmlPage(renderRuleDeleteConfirm({ viewer: viewerOf(user), rule }));
  }

  @Post(':id/delete')
  remove(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Body() body: unknown,
  ): Promise<HtmlPage | SeeOther> {
    const version = new FormValues(body).version() ?? undefined;
    return this.listAction(user, 'deleted', () => this.rules.remove(id, version, actor));
  }

  /** A one-button action of the list: back to the list, or the list again with the refusal (409/400). */
  private listAction(
    user: AuthenticatedUser,
    done: keyof typeof RULES_TEXTS.notices,
    run: () => Promise<unknown>,
  ): Promise<HtmlPage | SeeOther> {
    return submitForm({
      run,
      done: `${ADMIN_RULES_PATH}?done=${done}`,
      rerender: async ({ message }) =>
        renderAdminRules({
          viewer: viewerOf(user),
          rules: await this.rules.list(),
          alert: message,
        }),
    });
  }

  private merchantOptions(): Promise<{ id: number; name: string }[]> {
    return this.rules.merchantOptions();
  }
}

/** The form's fields as typed (for the page again) and as the service takes them. */
function formInput(body: unknown): { kind: RuleKind; values: RuleFormValues; input: RuleInput } {
  const form = new FormValues(body);
  const kindText = form.text('kind');
  const kind: RuleKind = isRuleKind(kindText) ? kindText : 'intake';
  const values: RuleFormValues = {
    name: form.text('name'),
    merchantId: form.text('merchantId'),
    enabled: form.text('enabled') === 'true',
    stopProcessing: form.text('stopProcessing') === 'true',
    channels: listOf(body, 'channels'),
    categories: listOf(body, 'categories'),
    keywords: form.text('keywords'),
    priority: form.text('priority'),
    category: form.text('category'),
    remindAfterDays: form.text('remindAfterDays'),
    reminderText: form.text('reminderText'),
    resolveAfterDays: form.text('resolveAfterDays'),
    resolutionText: form.text('resolutionText'),
  };
  const merchantText = values.merchantId.trim();
  const input: RuleInput = {
    kind: kindText,
    name: values.name,
    merchantId:
      merchantText === '' ? null : /^\d{1,9}$/.test(merchantText) ? Number(merchantText) : NaN,
    enabled: values.enabled,
    stopProcessing: values.stopProcessing,
    channels: values.channels,
    categories: values.categories,
    keywords: values.keywords.split(/[\n,、，]/),
    priority: values.priority,
    category: values.category,
    remindAfterDays: daysOf(values.remindAfterDays),
    reminderText: values.reminderText,
    resolveAfterDays: daysOf(values.resolveAfterDays),
    resolutionText: values.resolutionText,
  };
  return { kind, values, input };
}

/** A checkbox group: one value or several (a form posts the name once per ticked box). */
function listOf(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function daysOf(text: string): number | null {
  const trimmed = text.normalize('NFKC').trim();
  return /^\d{1,3}$/.test(trimmed) ? Number(trimmed) : null;
}
