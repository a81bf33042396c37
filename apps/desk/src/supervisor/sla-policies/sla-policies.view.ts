import {
  DEFAULT_TICKET_PRIORITY,
  type SlaPolicyView,
  TICKET_PRIORITIES,
  TICKET_CATEGORY_KEYS,
} from '@madoguchi/tickets';
import { dataTable, formatText, html, phrases, selectField, textField } from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import { supervisorSubnav } from '../shared/supervisor-subnav.view';
import { SLA_POLICIES_TEXTS } from './sla-policies.texts';

const S = SHARED_TEXTS;
const P = SLA_POLICIES_TEXTS;

export const SLA_POLICIES_PATH = '/supervisor/sla-policies';
export const SLA_POLICY_FIELDS = [
  'merchantId',
  'priority',
  'category',
  'firstResponseMinutes',
  'resolutionMinutes',
] as const;
export type SlaPolicyField = (typeof SLA_POLICY_FIELDS)[number];
export type SlaPolicyFormValues = Record<SlaPolicyField, string>;

export interface SlaPoliciesPageParams {
  viewer: ConsoleViewer;
  policies: readonly SlaPolicyView[];
  merchants: readonly { id: number; name: string }[];
  values?: SlaPolicyFormValues;
  errors?: Partial<Record<SlaPolicyField, string>>;
  notice?: string | null;
}

/** Business minutes as 「8時間」 or 「1時間30分」. */
export function businessMinutesText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0
    ? formatText(P.hours, { hours })
    : formatText(P.minutes, { hours, minutes: rest });
}

export function renderSlaPoliciesPage(p: SlaPoliciesPageParams): string {
  const table = p.policies.length
    ? dataTable({
        caption: P.caption,
        rows: p.policies,
        columns: [
          { header: P.columns.merchant, cell: (policy) => policy.merchantName },
          {
            header: P.columns.priority,
            cell: (policy) =>
              html`<span class="badge priority priority--${policy.priority}"
                >${S.priorities[policy.priority]}</span
              >`,
          },
          {
            header: P.columns.category,
            cell: (policy) => (policy.category ? S.categories[policy.category] : P.anyCategory),
          },
          {
            header: P.columns.firstResponse,
            cell: (policy) => businessMinutesText(policy.firstResponseMinutes),
          },
          {
            header: P.columns.resolution,
            cell: (policy) => businessMinutesText(policy.resolutionMinutes),
          },
          {
            header: P.columns.actions,
            cell: (policy) =>
              html`<form method="post" action="${SLA_POLICIES_PATH}/${policy.id}/delete">
                ${csrfField(p.viewer.csrfToken)}
                <button
                  class="btn btn--ghost btn--small"
                  type="submit"
                  aria-label="${formatText(P.deleteLabel, {
                    merchant: policy.merchantName,
                    priority: S.priorities[policy.priority],
                    category: policy.category ? S.categories[policy.category] : P.anyCategory,
                  })}"
                >
                  ${P.delete}
                </button>
              </form>`,
          },
        ],
      })
    : html`<p class="empty card">${P.empty}</p>`;
  const values: SlaPolicyFormValues = p.values ?? {
    merchantId: '',
    priority: DEFAULT_TICKET_PRIORITY,
    category: '',
    firstResponseMinutes: '',
    resolutionMinutes: '',
  };
  const errors = p.errors ?? {};
  const marks = { requiredMark: S.common.requiredMark };
  const main = html`${fieldErrorSummary(SLA_POLICY_FIELDS, errors)}
    ${supervisorSubnav('sla', p.viewer)}
    <h1>${phrases(P.heading)}</h1>
    ${noticeBox(p.notice)}
    <div class="card">
      <p>${P.intro}</p>
      <p>${P.propagation}</p>
    </div>
    ${table}
    <section class="card" aria-labelledby="sla-policy-form-heading">
      <h2 id="sla-policy-form-heading">${phrases(P.formHeading)}</h2>
      <p class="small muted">${P.formIntro}</p>
      <form class="form" method="post" action="${SLA_POLICIES_PATH}" accept-charset="UTF-8">
        ${csrfField(p.viewer.csrfToken)}
        ${selectField({
          ...marks,
          name: 'merchantId',
          label: P.merchant,
          value: values.merchantId,
          error: errors.merchantId,
          required: true,
          placeholder: P.chooseMerchant,
          options: p.merchants.map((merchant) => ({
            value: String(merchant.id),
            label: merchant.name,
          })),
        })}
        ${selectField({
          ...marks,
          name: 'priority',
          label: P.priority,
          value: values.priority,
          error: errors.priority,
          required: true,
          options: [...TICKET_PRIORITIES].reverse().map((priority) => ({
            value: priority,
            label: S.priorities[priority],
          })),
        })}
        ${selectField({
          name: 'category',
          label: P.category,
          value: values.category,
          error: errors.category,
          options: [
            { value: '', label: P.anyCategory },
            ...TICKET_CATEGORY_KEYS.map((category) => ({
              value: category,
              label: S.categories[category],
            })),
          ],
        })}
        ${textField({
          ...marks,
          name: 'firstResponseMinutes',
          label: P.firstResponseMinutes,
          hint: P.firstResponseHint,
          inputmode: 'numeric',
          maxLength: 6,
          value: values.firstResponseMinutes,
          error: errors.firstResponseMinutes,
          required: true,
          autocomplete: 'off',
        })}
        ${textField({
          ...marks,
          name: 'resolutionMinutes',
          label: P.resolutionMinutes,
          hint: P.resolutionHint,
          inputmode: 'numeric',
          maxLength: 6,
          value: values.resolutionMinutes,
          error: errors.resolutionMinutes,
          required: true,
          autocomplete: 'off',
        })}
        <button class="btn btn--primary" type="submit">${P.save}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: P.title,
    section: 'supervisor',
    main,
    hasErrors: Object.keys(errors).length > 0,
  });
}
