import { item } from '../../../../../test/support/console-view-fixtures';
import { SHARED_TEXTS } from '../../web';
import { QUEUE_TEXTS } from '../queue/queue.texts';
import { ticketTable } from './ticket-table.view';

const T = QUEUE_TEXTS.triage;

describe('ticketTable with triage (issue 15)', () => {
  const triaged = (overrides: Partial<Parameters<typeof ticketTable>[0][number]['triage']> = {}) =>
    item({
      reference: 'TRIA-GE22',
      priority: 'urgent',
      ...{
        triage: {
          requesterName: '山田 <b>太郎</b>',
          latestCustomerLine: 'カードが不正利用されました…',
          customerReplied: true,
          hasAttachments: true,
          ...overrides,
        },
      },
    });

  it('should show the requester, the latest line, the replied flag, the priority badge and the 📎 marker', () => {
    const out = ticketTable([triaged()], { caption: 'c' }).toString();
    expect(out).toContain(`<th scope="col">${QUEUE_TEXTS.columns.requester}</th>`);
    // Escaped: a name is text, never markup.
    expect(out).toContain('山田 &lt;b&gt;太郎&lt;/b&gt;');
    expect(out).toContain('カードが不正利用されました…');
    expect(out).toContain(
      `<span class="badge badge--customer-replied">${T.customerReplied}</span>`,
    );
    expect(out).toMatch(
      new RegExp(`class="attachment-marker"\\s+role="img"\\s+aria-label="${T.attachments}"`),
    );
    expect(out).toMatch(/class="badge priority priority--urgent"\s*>緊急<\/span/);
    expect(out).toContain(SHARED_TEXTS.priorities.urgent);
  });

  it('should leave the flags out when they do not apply and name a missing requester', () => {
    const out = ticketTable(
      [triaged({ requesterName: null, customerReplied: false, hasAttachments: false })],
      { caption: 'c' },
    ).toString();
    expect(out).toContain(T.noName);
    expect(out).not.toContain('badge--customer-replied');
    expect(out).not.toContain('attachment-marker');
  });

  it('should have no requester column for rows without triage (merchant users)', () => {
    const out = ticketTable([item()], { caption: 'c' }).toString();
    expect(out).not.toContain(QUEUE_TEXTS.columns.requester);
  });
});
