import { TICKET_CATEGORY_KEYS, TICKET_CHANNELS, TICKET_STATUSES } from '@madoguchi/tickets';
import { html, SafeHtml, selectField, type SelectOption } from '@madoguchi/ui';
import { DESK_TEXTS } from '../../i18n/ja';
import { SHARED_TEXTS as S, type TicketListFilterValues } from '../../web';
import { determinationFilterField } from '../ticket/determination.view';

/** The words of a list's own filter form (queue list, portal case list). */
export interface TicketFilterLabels {
  status: string;
  statusActive: string;
  statusAll: string;
  category: string;
  channel: string;
  any: string;
}

type Incidents = readonly { id: number; title: string }[] | undefined;

function options(entries: readonly (readonly [string, string])[]): SelectOption[] {
  return entries.map(([value, label]) => ({ value, label }));
}

/** The status, category and channel selects of a ticket list's filter form. */
export function ticketFilterFields(
  filter: Pick<TicketListFilterValues, 'status' | 'category' | 'channel'>,
  labels: TicketFilterLabels,
): SafeHtml[] {
  const statuses = options([
    ['', labels.statusActive],
    ['all', labels.statusAll],
    ...TICKET_STATUSES.map((s) => [s, S.statuses[s]] as const),
  ]);
  const categories = options([
    ['', labels.any],
    ...TICKET_CATEGORY_KEYS.map((c) => [c, S.categories[c]] as const),
  ]);
  const channels = options([
    ['', labels.any],
    ...TICKET_CHANNELS.map((c) => [c, S.channels[c]] as const),
  ]);
  return [
    selectField({ name: 'status', label: labels.status, options: statuses, value: filter.status }),
    selectField({
      name: 'category',
      label: labels.category,
      options: categories,
      value: filter.category,
    }),
    selectField({
      name: 'channel',
      label: labels.channel,
      options: channels,
      value: filter.channel,
    }),
  ];
}

/** The incident filter of the queue list and the portal's case list (incident mode). */
export function incidentFilterField(incidents: Incidents, value: string | undefined): SafeHtml {
  if (!incidents || incidents.length === 0) return html``;
  const F = DESK_TEXTS.incidents.queueFilter;
  return selectField({
    name: 'incident',
    label: F.label,
    options: options([['', F.any], ...incidents.map((i) => [String(i.id), i.title] as const)]),
    value: value ?? '',
  });
}

/** The incident and determination selects: shown only where an incident affects the tickets. */
export function incidentFilterFields(
  incidents: Incidents,
  filter: Pick<TicketListFilterValues, 'incident' | 'determination'>,
): SafeHtml[] {
  return [
    incidentFilterField(incidents, filter.incident),
    determinationFilterField(incidents, filter.determination),
  ];
}
