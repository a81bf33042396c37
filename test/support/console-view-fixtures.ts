import type { TicketListItem } from '@madoguchi/tickets';
import type { ConsoleViewer } from '../../apps/desk/src/web';

/** Viewers and a ticket row for the console's view specs (queue, ticket). */
export const agent: ConsoleViewer = {
  id: 7,
  displayName: '佐藤 一郎',
  role: 'agent',
  csrfToken: 'csrf-<tok>',
  canManageCanned: false,
  canWork: true,
};
export const viewer: ConsoleViewer = { ...agent, id: 9, role: 'merchant_viewer', canWork: false };

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
