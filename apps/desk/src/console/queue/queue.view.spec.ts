import type { QueueSummary } from '@madoguchi/tickets';
import { agent, item, viewer } from '../../../../../test/support/console-view-fixtures';
import { renderQueueOverview } from './queue-overview.view';
import { QUEUE_TEXTS } from './queue.texts';
import { renderQueueList } from './queue.view';
import { SHARED_TEXTS } from '../../web';

const S = SHARED_TEXTS;

describe('renderQueueOverview', () => {
  const summary: QueueSummary = {
    id: 3,
    name: 'デモA 窓口',
    merchantId: 1,
    merchantName: 'デモA',
    countsByStatus: {
      new: 2,
      open: 1,
      pending_customer: 1,
      pending_merchant: 1,
      resolved: 0,
      closed: 0,
      handed_back: 0,
    },
    countsBySla: { breached: 1, due_soon: 0, on_track: 3 },
    unassigned: 2,
  };

  it('should show counts per queue and mark breached counts', () => {
    const out = renderQueueOverview({ viewer: agent, queues: [summary] });
    expect(out).toContain('<a href="/queues/3">デモA 窓口</a>');
    expect(out).toContain('<strong class="count count--breached">1</strong>');
    expect(out).toContain('data-live-queues="3"');
  });
});

describe('renderQueueList', () => {
  const base = {
    viewer: agent,
    queue: { id: 3, name: 'デモA 窓口', merchantName: 'デモA' },
    filter: {
      status: '',
      category: 'payment',
      channel: '',
      assignee: 'me',
      incident: '',
      determination: '',
    },
  };

  it('should keep the order it is given and label breached and due-soon rows in words', () => {
    const out = renderQueueList({
      ...base,
      page: {
        items: [
          item({ reference: 'AAAA-AAAA', slaState: 'breached' }),
          item({ reference: 'BBBB-BBBB', slaState: 'due_soon' }),
          item({ reference: 'CCCC-CCCC' }),
        ],
        total: 3,
        page: 1,
        pageSize: 25,
      },
    });
    expect(out.indexOf('AAAA-AAAA')).toBeLessThan(out.indexOf('BBBB-BBBB'));
    expect(out.indexOf('BBBB-BBBB')).toBeLessThan(out.indexOf('CCCC-CCCC'));
    expect(out).toContain('ticket-row--breached');
    expect(out).toContain(`${S.sla.breached}</span`);
    expect(out).toContain(`${S.sla.due_soon}</span`);
  });

  it('should keep the filters selected and in the paging links', () => {
    const out = renderQueueList({
      ...base,
      page: { items: [item()], total: 60, page: 2, pageSize: 25 },
    });
    expect(out).toContain('<option value="payment" selected>');
    expect(out).toContain('<option value="me" selected>');
    expect(out).toContain('href="/queues/3?category=payment&amp;assignee=me&amp;page=1"');
    expect(out).toContain('href="/queues/3?category=payment&amp;assignee=me&amp;page=3"');
    expect(out).toContain(
      'data-live-url="/queues/3?category=payment&amp;assignee=me&amp;page=2&amp;fragment=rows"',
    );
  });

  it('should offer take-next only to users who may work tickets', () => {
    const page = { items: [], total: 0, page: 1, pageSize: 25 };
    const out = renderQueueList({ ...base, page });
    expect(out).toMatch(
      /<form\s+class="take-next"\s+method="post"\s+action="\/queues\/3\/take-next"/,
    );
    expect(out).toContain(QUEUE_TEXTS.empty);
    expect(renderQueueList({ ...base, viewer, page })).not.toContain('take-next"');
  });
});
