import { caseExportCells, CASE_EXPORT_HEADER } from '@madoguchi/reporting';
import {
  TICKET_CATEGORY_KEYS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketStatus,
} from '@madoguchi/tickets';
import { statusBadge } from './layout.view';
import { SHARED_TEXTS as T } from './shared.texts';

/** The text a badge shows, without its markup. */
function textOf(markup: string): string {
  return markup.replace(/<[^>]*>/g, '').trim();
}

function cell(row: string[], header: (typeof CASE_EXPORT_HEADER)[number]): string {
  return row[CASE_EXPORT_HEADER.indexOf(header)];
}

function exportRow(overrides: Partial<Parameters<typeof caseExportCells>[0]> = {}): string[] {
  return caseExportCells({
    reference: 'ABCD-EFGH',
    createdAt: new Date('2026-04-01T01:00:00Z'),
    status: 'new',
    category: 'other',
    channel: 'web',
    priority: 'normal',
    firstRespondedAt: null,
    resolvedAt: null,
    ...overrides,
  });
}

describe('one word per ticket status, channel, priority and category (issue 19)', () => {
  it.each(TICKET_STATUSES.map((status) => [status]))(
    'should name the status %s in the CSV export as the page badge does',
    (status: TicketStatus) => {
      const page = textOf(statusBadge(status).toString());
      expect(cell(exportRow({ status }), '状態')).toBe(page);
    },
  );

  it('should call お客様の返答待ち by one name on the page and in the CSV', () => {
    expect(textOf(statusBadge('pending_customer').toString())).toBe('お客様の返答待ち');
    expect(cell(exportRow({ status: 'pending_customer' }), '状態')).toBe('お客様の返答待ち');
  });

  it('should label channels, priorities and categories in the CSV as the pages do', () => {
    for (const channel of TICKET_CHANNELS) {
      expect(cell(exportRow({ channel }), '経路')).toBe(T.channels[channel]);
    }
    for (const priority of TICKET_PRIORITIES) {
      expect(cell(exportRow({ priority }), '優先度')).toBe(T.priorities[priority]);
    }
    for (const category of TICKET_CATEGORY_KEYS) {
      expect(cell(exportRow({ category }), '種別')).toBe(T.categories[category]);
    }
  });
});
