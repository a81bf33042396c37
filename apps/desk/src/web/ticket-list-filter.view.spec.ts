import { html } from '@madoguchi/ui';
import { ticketListFilterForm } from './ticket-list-filter.view';

const values = {
  status: 'all',
  category: 'payment',
  channel: '',
  incident: '2',
  determination: '',
};

function selectNames(out: string): string[] {
  return [...out.matchAll(/<select[^>]* name="([^"]+)"/g)].map((match) => match[1]);
}

describe('ticketListFilterForm', () => {
  it('should render the queue filter: assignee, incident and extra fields, in form order', () => {
    const out = ticketListFilterForm({
      action: '/queues/3',
      values: { ...values, assignee: 'me' },
      assignee: true,
      incidents: [{ id: 2, title: '流出 <1>' }],
      extraFields: [html`<p id="extra"></p>`],
    }).toString();
    expect(selectNames(out)).toEqual(['status', 'category', 'channel', 'assignee', 'incident']);
    expect(out).toContain('action="/queues/3"');
    expect(out).toContain('<option value="all" selected>すべて</option>');
    expect(out).toContain('<option value="me" selected>自分</option>');
    expect(out).toContain('<option value="2" selected>流出 &lt;1&gt;</option>');
    expect(out.indexOf('id="extra"')).toBeGreaterThan(out.indexOf('name="incident"'));
  });

  it('should leave out the assignee and, without incidents, the incident filter', () => {
    const out = ticketListFilterForm({ action: '/portal/cases', values }).toString();
    expect(selectNames(out)).toEqual(['status', 'category', 'channel']);
    expect(out).toContain('href="/portal/cases"');
  });
});
