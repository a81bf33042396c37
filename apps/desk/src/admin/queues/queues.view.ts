import type { AgentOption, QueueAdminMerchant, QueueAdminQueue } from '@madoguchi/tenant-admin';
import {
  errorSummary,
  type ErrorSummaryItem,
  formatText,
  html,
  phrases,
  SafeHtml,
  selectField,
  textField,
} from '@madoguchi/ui';
import { type AdminFormErrors } from '../users/users.view';
import {
  type ConsoleViewer,
  csrfField,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import { confirmStepLink, renderConfirmStep } from '../../web/parts/confirm-step.view';
import { adminSubnav } from '../shared/admin-subnav.view';
import { QUEUES_TEXTS } from './queues.texts';

const T = SHARED_TEXTS;
const Q = QUEUES_TEXTS;

export interface AdminQueuesParams {
  viewer: ConsoleViewer;
  merchants: readonly QueueAdminMerchant[];
  agents: readonly AgentOption[];
  errors?: AdminFormErrors;
  /** The merchant whose new-queue form the errors belong to. */
  errorMerchantId?: number | null;
  notice?: string | null;
}

/** The POST route that takes an agent off a queue. */
export function queueMemberRemovePath(queueId: number, userId: number): string {
  return `/admin/queues/${queueId}/members/${userId}/remove`;
}

function queueCard(p: AdminQueuesParams, queue: QueueAdminQueue): SafeHtml {
  const csrf = csrfField(p.viewer.csrfToken);
  const memberIds = new Set(queue.members.map((m) => m.userId));
  const candidates = p.agents.filter((agent) => !memberIds.has(agent.id));
  const members = queue.members.length
    ? html`<ul class="admin-queue__members">
        ${queue.members.map(
          (member) =>
            html`<li>
              ${member.displayName}${member.disabled ? Q.disabledMark : ''}
              ${confirmStepLink({
                action: queueMemberRemovePath(queue.id, member.userId),
                label: Q.removeStart,
                accessibleLabel: `${Q.removeStart} ${member.displayName}`,
                style: 'ghost',
                small: true,
              })}
            </li>`,
        )}
      </ul>`
    : html`<p class="muted small">${Q.noMembers}</p>`;
  const addForm = candidates.length
    ? html`<form class="form form--inline" method="post" action="/admin/queues/${queue.id}/members">
        ${csrf}
        ${selectField({
          name: 'userId',
          id: `queue-${queue.id}-agent`,
          label: `${Q.agent}（${queue.name}）`,
          options: candidates.map((a) => ({ value: String(a.id), label: a.displayName })),
          required: true,
          requiredMark: T.common.requiredMark,
        })}
        <button class="btn btn--small" type="submit">${Q.add}</button>
      </form>`
    : html``;
  return html`<li class="admin-queue">
    <h3>${queue.name}${queue.isDefault ? Q.defaultQueue : ''}</h3>
    <p class="small">${Q.members}</p>
    ${members} ${addForm}
  </li>`;
}

export function renderAdminQueues(p: AdminQueuesParams): string {
  const errors = p.errors ?? {};
  const items: ErrorSummaryItem[] = (['name', 'merchantId', 'userId'] as const).flatMap((field) =>
    errors[field] ? [{ field, message: errors[field] }] : [],
  );
  const merchants = p.merchants.map((merchant) => {
    const own = p.errorMerchantId === merchant.id;
    return html`<section class="card" aria-labelledby="merchant-${merchant.id}-heading">
      <h2 id="merchant-${merchant.id}-heading">${phrases(merchant.name)}</h2>
      ${
        merchant.queues.length
          ? html`<ul class="admin-queues">
              ${merchant.queues.map((queue) => queueCard(p, queue))}
            </ul>`
          : html`<p class="muted">${Q.noQueues}</p>`
      }
      <form class="form form--inline" method="post" action="/admin/queues" novalidate>
        ${csrfField(p.viewer.csrfToken)}
        <input type="hidden" name="merchantId" value="${merchant.id}" />
        ${textField({
          name: 'name',
          id: `merchant-${merchant.id}-queue-name`,
          label: `${Q.newQueue}: ${Q.queueName}`,
          error: own ? errors.name : undefined,
          required: true,
          requiredMark: T.common.requiredMark,
          maxLength: 100,
          autocomplete: 'off',
        })}
        <button class="btn btn--small" type="submit">${Q.create}</button>
      </form>
    </section>`;
  });
  const main = html`${errorSummary(items, T.validation.summaryTitle)}
    ${adminSubnav('queues', p.viewer)}
    <h1>${phrases(Q.heading)}</h1>
    ${noticeBox(p.notice)}
    <p>${Q.intro}</p>
    ${p.merchants.length ? merchants : html`<p class="empty card">${Q.noMerchants}</p>`}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: Q.title,
    section: 'admin',
    main,
    hasErrors: items.length > 0,
  });
}

/** The confirm step of taking an agent off a queue. */
export function renderQueueMemberRemoveConfirm(p: {
  viewer: ConsoleViewer;
  merchant: QueueAdminMerchant;
  queue: QueueAdminQueue;
  member: QueueAdminQueue['members'][number];
}): string {
  const C = Q.removeConfirm;
  const names = { name: p.member.displayName, queue: p.queue.name };
  return renderConfirmStep({
    viewer: p.viewer,
    section: 'admin',
    title: formatText(C.title, names),
    facts: [
      [C.merchant, p.merchant.name],
      [C.queue, p.queue.name],
      [C.member, p.member.displayName],
    ],
    consequences: C.items.map((item) => formatText(item, names)),
    action: queueMemberRemovePath(p.queue.id, p.member.userId),
    confirmLabel: Q.remove,
    cancelLabel: T.common.cancel,
    cancelHref: '/admin/queues',
  });
}
