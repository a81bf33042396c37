import {
  isDeterminationFilter,
  isTicketCategory,
  isTicketChannel,
  isTicketStatus,
  TICKET_STATUSES,
  type TicketListFilter,
} from '@madoguchi/tickets';
import { FormValues } from './http.util';

/** A list filter form's values as they came in the query string ('' = not set). */
export interface TicketListFilterValues {
  /** '' (active statuses), 'all', or one status. */
  status: string;
  category: string;
  channel: string;
  /** '' (any) or an incident id. */
  incident: string;
  /** '' (any) or a determination filter: review, included, not_included, none. */
  determination: string;
}

/**
 * The queue list's filter adds the assignee: '' (anyone), 'me' or 'unassigned'; and the saved
 * views' conditions (issue 15): `sla` '' or 'breached', `replied` '' or '1' (customer replied).
 */
export interface AssigneeFilterValues extends TicketListFilterValues {
  assignee: string;
  sla?: string;
  replied?: string;
}

function baseFilter(form: FormValues): {
  values: TicketListFilterValues;
  filter: TicketListFilter;
} {
  const status = form.text('status');
  const category = form.text('category');
  const channel = form.text('channel');
  const incident = form.positiveInt('incident');
  const determination = form.text('determination');
  const values: TicketListFilterValues = {
    status: status === 'all' || isTicketStatus(status) ? status : '',
    category: isTicketCategory(category) ? category : '',
    channel: isTicketChannel(channel) ? channel : '',
    incident: incident === null ? '' : String(incident),
    determination: isDeterminationFilter(determination) ? determination : '',
  };
  const filter: TicketListFilter = {};
  if (values.status === 'all') filter.status = [...TICKET_STATUSES];
  else if (isTicketStatus(values.status)) filter.status = [values.status];
  if (isTicketCategory(values.category)) filter.category = values.category;
  if (isTicketChannel(values.channel)) filter.channel = values.channel;
  if (values.incident) filter.incident = Number(values.incident);
  if (isDeterminationFilter(values.determination)) filter.determination = values.determination;
  return { values, filter };
}

/**
 * Reads a ticket list's filter form (portal cases). Values outside the fixed lists are dropped,
 * so a bad link still lists.
 */
export function parseTicketListFilter(query: unknown): {
  values: TicketListFilterValues;
  filter: TicketListFilter;
} {
  return baseFilter(new FormValues(query));
}

/** The same with the assignee filter (a queue's list). */
export function parseAssigneeTicketListFilter(query: unknown): {
  values: AssigneeFilterValues;
  filter: TicketListFilter;
} {
  const form = new FormValues(query);
  const { values, filter } = baseFilter(form);
  const text = form.text('assignee');
  const assignee = text === 'me' || text === 'unassigned' ? text : '';
  if (assignee === 'me' || assignee === 'unassigned') filter.assignee = assignee;
  const sla = form.text('sla') === 'breached' ? 'breached' : '';
  if (sla === 'breached') filter.sla = 'breached';
  const replied = form.text('replied') === '1' ? '1' : '';
  if (replied === '1') filter.replied = true;
  // Field order is the query string's order in the pager's links: keep the form's order.
  const { status, category, channel, incident, determination } = values;
  return {
    values: { status, category, channel, assignee, incident, determination, sla, replied },
    filter,
  };
}

/** The query string of a list's filter (only set fields, in form order) plus extra parameters. */
export function listQuery(values: object, extra: Readonly<Record<string, string>> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values))
    if (typeof value === 'string' && value) params.set(key, value);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}
