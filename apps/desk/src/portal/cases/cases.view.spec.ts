import type { TicketListItem } from '@madoguchi/tickets';
import type { ConsoleViewer } from '../../web';
import { renderPortalCases } from './cases.view';
import { renderPortalHandBacks } from './hand-backs.view';

const viewer: ConsoleViewer = {
  id: 9,
  displayName: '加盟店 花子',
  role: 'merchant_viewer',
  csrfToken: 'csrf-tok',
  canWork: false,
  mayOpen: (href) => ['/portal/cases', '/portal/incidents', '/portal/stats'].includes(href),
};

const item: TicketListItem = {
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
};

const noFilter = { status: '', category: '', channel: '', incident: '', determination: '' };

describe('renderPortalCases', () => {
  it('should list the cases with the reference as the row header and link to the case page', () => {
    const out = renderPortalCases({
      viewer,
      merchantName: '<デモA>',
      filter: noFilter,
      page: { items: [item], total: 1, page: 1, pageSize: 25 },
    });
    expect(out).toContain('&lt;デモA&gt;');
    expect(out).toMatch(/<tr class="ticket-row" data-reference="ABCD-EFGH">/);
    expect(out).toMatch(
      /<th scope="row">\s*<a class="ticket-link" href="\/portal\/cases\/ABCD-EFGH"\s*>ABCD-EFGH<\/a\s*>/,
    );
    expect(out).toMatch(/<td class="sla-cell">/);
  });

  it('should keep the filters selected and in the paging links', () => {
    const out = renderPortalCases({
      viewer,
      merchantName: 'デモA',
      filter: { ...noFilter, status: 'all', channel: 'phone' },
      page: { items: [item], total: 60, page: 2, pageSize: 25 },
    });
    expect(out).toMatch(/<form\s+class="filters"\s+method="get"\s+action="\/portal\/cases"/);
    expect(out).toMatch(/<option value="all" selected>/);
    expect(out).toContain('href="/portal/cases?status=all&amp;channel=phone&amp;page=3"');
  });

  it('should show a refused search beside the search box, without the list', () => {
    const out = renderPortalCases({
      viewer,
      merchantName: 'デモA',
      filter: noFilter,
      page: null,
      search: { query: 'x', results: null, error: '検索語が短すぎます。' },
    });
    expect(out).toContain('検索語が短すぎます。');
    expect(out).not.toContain('class="filters"');
  });
});

describe('renderPortalHandBacks', () => {
  it('should head the last column by the state and mark the current state link', () => {
    const counts = { questions: 0, handBacks: 1 };
    const handBack = {
      reference: 'WXYZ-0000',
      channel: 'web' as const,
      category: 'leak_check' as const,
      createdAt: new Date('2026-11-24T01:00:00Z'),
      handedBackAt: new Date('2026-11-24T02:00:00Z'),
      reminderDueAt: new Date('2026-11-26T02:00:00Z'),
      remindedAt: null,
      answeredAt: null,
    };
    const out = renderPortalHandBacks({
      viewer,
      merchantName: 'デモA',
      state: 'open',
      items: [handBack],
      counts,
    });
    expect(out).toMatch(/<tr class="ticket-row" data-reference="WXYZ-0000">/);
    expect(out).toContain('リマインド');
    expect(out).toMatch(/href="\/portal\/handbacks"\s+aria-current="page"/);
  });
});
