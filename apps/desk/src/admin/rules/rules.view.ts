import {
  type RuleKind,
  type RuleView,
  TICKET_CATEGORIES,
  TICKET_CATEGORY_KEYS,
  TICKET_CHANNEL_LABELS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_PRIORITY_LABELS,
} from '@madoguchi/tickets';
import {
  checkboxField,
  dataTable,
  formatText,
  html,
  phrases,
  type SafeHtml,
  selectField,
  textArea,
  textField,
} from '@madoguchi/ui';
import {
  alertBox,
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import { confirmStepLink, renderConfirmStep } from '../../web/parts/confirm-step.view';
import { adminSubnav } from '../shared/admin-subnav.view';
import { RULES_TEXTS } from './rules.texts';

const T = SHARED_TEXTS;
const R = RULES_TEXTS;
const F = R.form;

export const ADMIN_RULES_PATH = '/admin/rules';

export type AdminRule = RuleView & { merchantName: string | null };

export interface RuleFormValues {
  name: string;
  merchantId: string;
  enabled: boolean;
  stopProcessing: boolean;
  channels: string[];
  categories: string[];
  keywords: string;
  priority: string;
  category: string;
  remindAfterDays: string;
  reminderText: string;
  resolveAfterDays: string;
  resolutionText: string;
}

export const RULE_FORM_FIELDS = [
  'kind',
  'name',
  'merchantId',
  'channels',
  'categories',
  'keywords',
  'priority',
  'category',
  'remindAfterDays',
  'reminderText',
  'resolveAfterDays',
  'resolutionText',
] as const;
export type RuleFormField = (typeof RULE_FORM_FIELDS)[number];
export type RuleFormErrors = Partial<Record<RuleFormField, string>>;

export function rulePath(id: number, action?: string): string {
  return `${ADMIN_RULES_PATH}/${id}${action ? `/${action}` : ''}`;
}

export function emptyRuleValues(): RuleFormValues {
  return {
    name: '',
    merchantId: '',
    enabled: true,
    stopProcessing: false,
    channels: [],
    categories: [],
    keywords: '',
    priority: '',
    category: '',
    remindAfterDays: '3',
    reminderText: '',
    resolveAfterDays: '5',
    resolutionText: '',
  };
}

export function ruleValuesOf(rule: RuleView): RuleFormValues {
  return {
    name: rule.name,
    merchantId: rule.merchantId === null ? '' : String(rule.merchantId),
    enabled: rule.enabled,
    stopProcessing: rule.stopProcessing,
    channels: rule.conditions.channels,
    categories: rule.conditions.categories,
    keywords: rule.conditions.keywords.join('\n'),
    priority: rule.intake?.priority ?? '',
    category: rule.intake?.category ?? '',
    remindAfterDays: String(rule.pending?.remindAfterDays ?? ''),
    reminderText: rule.pending?.reminderText ?? '',
    resolveAfterDays: String(rule.pending?.resolveAfterDays ?? ''),
    resolutionText: rule.pending?.resolutionText ?? '',
  };
}

export interface AdminRulesParams {
  viewer: ConsoleViewer;
  rules: readonly AdminRule[];
  notice?: string | null;
  alert?: string | null;
}

export function renderAdminRules(p: AdminRulesParams): string {
  const intake = p.rules.filter((rule) => rule.kind === 'intake');
  const pending = p.rules.filter((rule) => rule.kind === 'pending_customer');
  const main = html`${adminSubnav('rules', p.viewer)}
    <h1>${phrases(R.heading)}</h1>
    ${alertBox(p.alert)} ${noticeBox(p.notice)}
    <section class="card" aria-labelledby="intake-rules-heading">
      <h2 id="intake-rules-heading">${phrases(R.kinds.intake)}</h2>
      <p>${R.intro}</p>
      <p>
        <a class="btn btn--primary" href="${ADMIN_RULES_PATH}/new?kind=intake">${R.newIntake}</a>
      </p>
    </section>
    ${ruleTable(p.viewer, intake, R.intakeCaption)}
    <section class="card" aria-labelledby="pending-rules-heading">
      <h2 id="pending-rules-heading">${phrases(R.kinds.pending_customer)}</h2>
      <p>${R.pendingIntro}</p>
      <p>
        <a class="btn btn--primary" href="${ADMIN_RULES_PATH}/new?kind=pending_customer"
          >${R.newPending}</a
        >
      </p>
    </section>
    ${ruleTable(p.viewer, pending, R.pendingCaption)}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: R.title,
    section: 'admin',
    main,
    hasErrors: Boolean(p.alert),
  });
}

function ruleTable(viewer: ConsoleViewer, rules: readonly AdminRule[], caption: string): SafeHtml {
  if (rules.length === 0) return html`<p class="empty card">${R.empty}</p>`;
  return dataTable({
    caption,
    rows: rules,
    columns: [
      { header: R.columns.order, cell: (rule) => String(rules.indexOf(rule) + 1) },
      {
        header: R.columns.name,
        cell: (rule) =>
          html`<a
            href="${rulePath(rule.id)}"
            aria-label="${formatText(R.editLabel, { name: rule.name })}"
            >${rule.name}</a
          >`,
      },
      { header: R.columns.merchant, cell: (rule) => rule.merchantName ?? R.allMerchants },
      { header: R.columns.conditions, cell: (rule) => conditionsSummary(rule) },
      { header: R.columns.actions, cell: (rule) => actionsSummary(rule) },
      {
        header: R.columns.state,
        cell: (rule) =>
          html`<span class="badge ${rule.enabled ? 'badge--open' : 'badge--closed'}"
            >${rule.enabled ? R.enabled : R.disabled}</span
          >`,
      },
      {
        header: R.columns.operations,
        cell: (rule) => rowActions(viewer, rule, rules.indexOf(rule), rules.length),
      },
    ],
  });
}

function conditionsSummary(rule: RuleView): SafeHtml {
  const { channels, categories, keywords } = rule.conditions;
  const lines: [string, string][] = [];
  if (rule.kind === 'intake') {
    lines.push([
      R.channelsLabel,
      channels.length ? channels.map((c) => TICKET_CHANNEL_LABELS[c]).join('・') : R.any,
    ]);
  }
  lines.push([
    R.categoriesLabel,
    categories.length ? categories.map((c) => TICKET_CATEGORIES[c]).join('・') : R.any,
  ]);
  if (rule.kind === 'intake') {
    lines.push([R.keywordsLabel, keywords.length ? keywords.join('、') : R.any]);
  }
  return html`<ul class="plain-list">
    ${lines.map(([label, value]) => html`<li>${label}: ${value}</li>`)}
  </ul>`;
}

function actionsSummary(rule: RuleView): SafeHtml {
  if (rule.pending) {
    return html`${formatText(R.pendingSummary, {
      remind: rule.pending.remindAfterDays,
      resolve: rule.pending.resolveAfterDays,
    })}`;
  }
  const parts: string[] = [];
  if (rule.intake?.priority) {
    parts.push(
      formatText(R.setPriority, { priority: TICKET_PRIORITY_LABELS[rule.intake.priority] }),
    );
  }
  if (rule.intake?.category) {
    parts.push(formatText(R.setCategory, { category: TICKET_CATEGORIES[rule.intake.category] }));
  }
  if (rule.stopProcessing) parts.push(R.stop);
  return html`<ul class="plain-list">
    ${parts.map((part) => html`<li>${part}</li>`)}
  </ul>`;
}

function rowActions(viewer: ConsoleViewer, rule: RuleView, index: number, count: number): SafeHtml {
  const post = (action: string, label: string, fields: Record<string, string>, aria?: string) =>
    html`<form method="post" action="${rulePath(rule.id, action)}">
      ${csrfField(viewer.csrfToken)}
      <input type="hidden" name="version" value="${rule.version}" />
      ${Object.entries(fields).map(
        ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
      )}
      <button
        class="btn btn--ghost btn--small"
        type="submit"
        ${aria ? html`aria-label="${aria}"` : ''}
      >
        ${label}
      </button>
    </form>`;
  return html`<div class="button-row">
    ${
      index > 0
        ? post('move', R.up, { direction: 'up' }, formatText(R.upLabel, { name: rule.name }))
        : ''
    }
    ${
      index < count - 1
        ? post('move', R.down, { direction: 'down' }, formatText(R.downLabel, { name: rule.name }))
        : ''
    }
    ${post('enabled', rule.enabled ? R.disable : R.enable, {
      enabled: rule.enabled ? 'false' : 'true',
    })}
    ${confirmStepLink({
      action: rulePath(rule.id, 'delete'),
      label: R.deleteStart,
      accessibleLabel: formatText(R.deleteLabel, { name: rule.name }),
      small: true,
    })}
  </div>`;
}

export interface RuleFormParams {
  viewer: ConsoleViewer;
  kind: RuleKind;
  /** Null: a new rule. */
  rule: RuleView | null;
  merchants: readonly { id: number; name: string }[];
  values: RuleFormValues;
  errors?: RuleFormErrors;
  alert?: string | null;
}

export function renderRuleForm(p: RuleFormParams): string {
  const errors = p.errors ?? {};
  const v = p.values;
  const marks = { requiredMark: T.common.requiredMark };
  const title = p.rule
    ? formatText(F.editTitle, { name: p.rule.name })
    : formatText(F.newTitle, { kind: R.kinds[p.kind] });
  const checkboxes = (
    name: 'channels' | 'categories',
    legend: string,
    options: readonly (readonly [string, string])[],
    checked: readonly string[],
  ) =>
    html`<fieldset class="fieldset${errors[name] ? ' field--error' : ''}" id="f-${name}">
      <legend class="field__label">${legend}</legend>
      ${errors[name] ? html`<p class="field__error">${errors[name]}</p>` : ''}
      ${options.map(([value, label]) =>
        checkboxField({
          name,
          id: `f-${name}-${value}`,
          label,
          value,
          checked: checked.includes(value),
        }),
      )}
    </fieldset>`;
  const categoryOptions = TICKET_CATEGORY_KEYS.map((key) => [key, TICKET_CATEGORIES[key]] as const);
  const intakeFields = html` ${checkboxes(
    'channels',
    F.channels,
    TICKET_CHANNELS.map((c) => [c, TICKET_CHANNEL_LABELS[c]] as const),
    v.channels,
  )}
  ${checkboxes('categories', F.categories, categoryOptions, v.categories)}
  ${textArea({
    name: 'keywords',
    label: F.keywords,
    hint: F.keywordsHint,
    value: v.keywords,
    error: errors.keywords,
    rows: 4,
    maxLength: 6000,
  })}
  ${selectField({
    name: 'priority',
    label: F.priority,
    options: [
      { value: '', label: F.unchanged },
      ...TICKET_PRIORITIES.map((key) => ({ value: key, label: TICKET_PRIORITY_LABELS[key] })),
    ],
    value: v.priority,
    error: errors.priority,
  })}
  ${selectField({
    name: 'category',
    label: F.category,
    options: [
      { value: '', label: F.unchanged },
      ...categoryOptions.map(([value, label]) => ({ value, label })),
    ],
    value: v.category,
    error: errors.category,
  })}
  ${checkboxField({ name: 'stopProcessing', label: F.stop, checked: v.stopProcessing })}`;
  const pendingFields = html` ${checkboxes('categories', F.pendingCategories, categoryOptions, v.categories)}
  ${textField({
    ...marks,
    name: 'remindAfterDays',
    label: F.remindAfterDays,
    hint: F.remindHint,
    value: v.remindAfterDays,
    error: errors.remindAfterDays,
    required: true,
    inputmode: 'numeric',
    maxLength: 2,
    autocomplete: 'off',
  })}
  ${textArea({
    ...marks,
    name: 'reminderText',
    label: F.reminderText,
    hint: F.textHint,
    value: v.reminderText,
    error: errors.reminderText,
    required: true,
    rows: 6,
    maxLength: 5000,
  })}
  ${textField({
    ...marks,
    name: 'resolveAfterDays',
    label: F.resolveAfterDays,
    hint: F.resolveHint,
    value: v.resolveAfterDays,
    error: errors.resolveAfterDays,
    required: true,
    inputmode: 'numeric',
    maxLength: 2,
    autocomplete: 'off',
  })}
  ${textArea({
    ...marks,
    name: 'resolutionText',
    label: F.resolutionText,
    hint: F.textHint,
    value: v.resolutionText,
    error: errors.resolutionText,
    required: true,
    rows: 6,
    maxLength: 5000,
  })}`;
  const action = p.rule ? rulePath(p.rule.id) : ADMIN_RULES_PATH;
  const main = html`${fieldErrorSummary(RULE_FORM_FIELDS, errors)} ${adminSubnav('rules', p.viewer)}
    <h1>${phrases(title)}</h1>
    ${alertBox(p.alert)}
    <section class="card">
      <form class="form" method="post" action="${action}" accept-charset="UTF-8" novalidate>
        ${csrfField(p.viewer.csrfToken)}
        <input type="hidden" name="kind" value="${p.kind}" />
        ${p.rule ? html`<input type="hidden" name="version" value="${p.rule.version}" />` : ''}
        ${textField({
          ...marks,
          name: 'name',
          label: F.name,
          value: v.name,
          error: errors.name,
          required: true,
          maxLength: 100,
          autocomplete: 'off',
        })}
        ${selectField({
          name: 'merchantId',
          label: F.merchant,
          hint: F.merchantHint,
          options: [
            { value: '', label: R.allMerchants },
            ...p.merchants.map((m) => ({ value: String(m.id), label: m.name })),
          ],
          value: v.merchantId,
          error: errors.merchantId,
        })}
        ${p.kind === 'intake' ? intakeFields : pendingFields}
        ${checkboxField({ name: 'enabled', label: F.enabled, checked: v.enabled })}
        <div class="button-row">
          <button class="btn btn--primary" type="submit">${p.rule ? F.save : F.create}</button>
          <a class="btn btn--ghost" href="${ADMIN_RULES_PATH}">${F.cancel}</a>
        </div>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title,
    section: 'admin',
    main,
    hasErrors: Object.keys(errors).length > 0 || Boolean(p.alert),
  });
}

export function renderRuleDeleteConfirm(p: { viewer: ConsoleViewer; rule: RuleView }): string {
  const D = R.deleteConfirm;
  return renderConfirmStep({
    viewer: p.viewer,
    section: 'admin',
    title: formatText(D.title, { name: p.rule.name }),
    facts: [
      [D.name, p.rule.name],
      [D.kind, R.kinds[p.rule.kind]],
    ],
    consequences: D.items,
    action: rulePath(p.rule.id, 'delete'),
    fields: { version: String(p.rule.version) },
    confirmLabel: R.delete,
    cancelLabel: T.common.cancel,
    cancelHref: ADMIN_RULES_PATH,
  });
}
