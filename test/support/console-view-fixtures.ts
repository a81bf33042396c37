import type { TicketListItem } from '@madoguchi/tickets';
import type { ConsoleViewer } from '../../apps/desk/src/web';

/** Viewers and a ticket row for the console's view specs (queue, ticket). */
/** The pages an agent's and a merchant viewer's menus offer (the app asks the route table). */
const AGENT_PAGES = ['/', '/search', '/calls'];
const MERCHANT_VIEWER_PAGES = ['/portal/cases', '/portal/incidents', '/portal/stats'];

export const agent: ConsoleViewer = {
  id: 7,
  displayName: '佐藤 一郎',
  role: 'agent',
  csrfToken: 'csrf-<tok>',
  canWork: true,
  mayOpen: (href) => AGENT_PAGES.includes(href),
};
export const viewer: ConsoleViewer = {
  ...agent,
  id: 9,
  role: 'merchant_viewer',
  canWork: false,
  mayOpen: (href) => MERCHANT_VIEWER_PAGES.includes(href),
};

export function item(overrides: Partial<TicketListItem> = {}): TicketListItem {
  return {
    reference: 'ABCD-EFGH',
    merchantId: 1,
    merchantName: 'デモA',
    siteName: 'デモAショップ',
    queueId: 3,
    channel: 'web',
    category: 'leak_check',
    status: 'new',
    priority: 'normal',
    assignee: null,
    createdAt: new Date('2026-11-24T01:00:00Z'),
    updatedAt: new Date('2026-11-24T01:00:00Z'),
    slaDueAt: new Date('2026-11-25T01:00:00Z'),
    slaState: 'on_track',
    version: 1,
    ...overrides,
  };
}
