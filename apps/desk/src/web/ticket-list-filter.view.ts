import { TICKET_CATEGORY_KEYS, TICKET_CHANNELS, TICKET_STATUSES } from '@madoguchi/tickets';
import {
  filterForm,
  html,
  type HtmlValue,
  SafeHtml,
  selectField,
  selectOptions,
} from '@madoguchi/ui';
import { SHARED_TEXTS } from './shared.texts';
import type { TicketListFilterValues } from './ticket-list-filter';

const S = SHARED_TEXTS;
const F = S.listFilter;

export interface TicketListFilterFormParams {
  /** The list's path: the form GETs to it and its reset link returns to it. */
  action: string;
  values: TicketListFilterValues & { assignee?: string };
  /** Offers the assignee filter (a queue's list). */
  assignee?: boolean;
  /** Incidents to filter by; the filter shows only when there are any. */
  incidents?: readonly { id: number; title: string }[];
  /** Controls after the shared ones (e.g. the determination filter of the ticket screens). */
  extraFields?: readonly HtmlValue[];
}

/** The incident filter of the ticket lists; nothing when there is no incident to choose. */
export function incidentFilterField(
  incidents: readonly { id: number; title: string }[] | undefined,
  value: string | undefined,
): SafeHtml {
  if (!incidents || incidents.length === 0) return html``;
  return selectField({
    name: 'incident',
    label: F.incident,
    options: selectOptions([
      ['', F.incidentAny],
      ...incidents.map((i) => [String(i.id), i.title] as const),
    ]),
    value: value ?? '',
  });
}

/** The filter form of a ticket list: status, category, channel, (assignee), incident, extras. */
export function ticketListFilterForm(p: TicketListFilterFormParams): SafeHtml {
  const statuses = selectOptions([
    ['', F.statusActive],
    ['all', F.statusAll],
    ...TICKET_STATUSES.map((s) => [s, S.statuses[s]] as const),
  ]);
  const categories = selectOptions([
    ['', F.any],
    ...TICKET_CATEGORY_KEYS.map((c) => [c, S.categories[c]] as const),
  ]);
  const channels = selectOptions([
    ['', F.any],
    ...TICKET_CHANNELS.map((c) => [c, S.channels[c]] as const),
  ]);
  const assignees = selectOptions([
    ['', F.assigneeAnyone],
    ['me', F.assigneeMe],
    ['unassigned', F.assigneeUnassigned],
  ]);
  const v = p.values;
  return filterForm({
    action: p.action,
    heading: F.heading,
    applyLabel: F.apply,
    resetLabel: F.reset,
    fields: [
      selectField({ name: 'status', label: F.status, options: statuses, value: v.status }),
      selectField({ name: 'category', label: F.category, options: categories, value: v.category }),
      selectField({ name: 'channel', label: F.channel, options: channels, value: v.channel }),
      p.assignee &&
        selectField({ name: 'assignee', label: F.assignee, options: assignees, value: v.assignee }),
      incidentFilterField(p.incidents, v.incident),
      ...(p.extraFields ?? []),
    ],
  });
}
