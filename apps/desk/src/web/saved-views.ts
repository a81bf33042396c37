import type { SavedView, SavedViewService, TicketListFilter } from '@madoguchi/tickets';
import type { TenantScope } from '@madoguchi/tenancy';
import { type AssigneeFilterValues, parseAssigneeTicketListFilter } from './ticket-list-filter';

/** The three views every staff member has (issue 15); not rows, so nobody can delete them. */
export const BUILT_IN_VIEWS = [
  { key: 'mine', name: '自分の担当', query: 'assignee=me' },
  { key: 'replied', name: 'お客様から返信あり', query: 'replied=1' },
  { key: 'breached', name: 'SLA超過', query: 'sla=breached' },
] as const;
export type BuiltInViewKey = (typeof BUILT_IN_VIEWS)[number]['key'];

/** A view as the pages and the API show it: built-in or saved, with its parsed filter. */
export interface ListedView {
  /** `mine`, `replied`, `breached`, or a saved view's id as text. */
  key: string;
  name: string;
  builtIn: boolean;
  shared: boolean;
  /** Whose view (null: built-in). */
  ownerUserId: number | null;
  queueId: number | null;
  /** The filter's query string without `?`. */
  query: string;
  values: AssigneeFilterValues;
  filter: TicketListFilter;
  /** Where the list lives: `/views/{key}`. */
  href: string;
}

/** Reads a stored view's query string with the queue list's one filter parser. */
export function parseViewQuery(query: string): {
  values: AssigneeFilterValues;
  filter: TicketListFilter;
} {
  return parseAssigneeTicketListFilter(Object.fromEntries(new URLSearchParams(query)));
}

function listed(
  key: string,
  name: string,
  query: string,
  extra: Pick<ListedView, 'builtIn' | 'shared' | 'ownerUserId' | 'queueId'>,
): ListedView {
  return {
    key,
    name,
    query,
    ...extra,
    ...parseViewQuery(query),
    href: `/views/${encodeURIComponent(key)}`,
  };
}

export function listedSavedView(view: SavedView): ListedView {
  return listed(String(view.id), view.name, view.query, {
    builtIn: false,
    shared: view.shared,
    ownerUserId: view.ownerUserId,
    queueId: view.queueId,
  });
}

/** The built-in views, then the shared ones, then the user's own. */
export async function visibleViews(
  views: SavedViewService,
  scope: TenantScope,
): Promise<ListedView[]> {
  const builtIns = BUILT_IN_VIEWS.map((view) =>
    listed(view.key, view.name, view.query, {
      builtIn: true,
      shared: true,
      ownerUserId: null,
      queueId: null,
    }),
  );
  return [...builtIns, ...(await views.list(scope)).map(listedSavedView)];
}

/** One view by its key (built-in name or saved id); null when the user has no such view. */
export async function findView(
  views: SavedViewService,
  scope: TenantScope,
  key: string,
): Promise<ListedView | null> {
  return (await visibleViews(views, scope)).find((view) => view.key === key) ?? null;
}

/** Every visible view with its count (one grouped query, see SavedViewService.counts). */
export async function viewsWithCounts(
  views: SavedViewService,
  scope: TenantScope,
): Promise<Array<ListedView & { count: number }>> {
  const listedViews = await visibleViews(views, scope);
  const counts = await views.counts(
    scope,
    listedViews.map((view) => ({ key: view.key, filter: view.filter, queueId: view.queueId })),
  );
  return listedViews.map((view) => ({ ...view, count: counts.get(view.key) ?? 0 }));
}
