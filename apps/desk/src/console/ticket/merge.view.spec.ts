import type { MergePreview, RequesterHistoryItem, TicketDetail } from '@madoguchi/tickets';
import { agent, item, viewer } from '../../../../../test/support/console-view-fixtures';
import { MERGE_TEXTS } from './merge.texts';
import {
  mergeNotices,
  renderMergeConfirm,
  renderMergePick,
  requesterHistoryCard,
} from './merge.view';

function detail(overrides: Partial<TicketDetail> = {}): TicketDetail {
  return {
    ...item({ reference: 'AAAA-BBBB' }),
    siteId: 2,
    requester: { name: '山田 花子', email: 'hanako@example.jp', phone: null, orderNumber: null },
    firstResponseDueAt: null,
    firstRespondedAt: null,
    resolutionDueAt: null,
    resolvedAt: null,
    closedAt: null,
    merchantContact: { url: null, text: null },
    messages: [],
    allowedStatuses: ['open'],
    incident: null,
    ...overrides,
  };
}

function history(overrides: Partial<RequesterHistoryItem> = {}): RequesterHistoryItem {
  return {
    reference: 'CCCC-DDDD',
    status: 'open',
    category: 'payment',
    channel: 'web',
    siteName: '<b>ショップ</b>',
    createdAt: new Date('2026-11-24T01:00:00Z'),
    matchedBy: ['email', 'phone'],
    mergedInto: null,
    ...overrides,
  };
}

function preview(overrides: Partial<MergePreview> = {}): MergePreview {
  const side = {
    status: 'open' as const,
    category: 'payment' as const,
    channel: 'web' as const,
    siteName: 'ショップ',
    createdAt: new Date('2026-11-24T01:00:00Z'),
    messages: 2,
    version: 3,
  };
  return {
    merged: { ...side, reference: 'AAAA-BBBB' },
    survivor: { ...side, reference: 'CCCC-DDDD', version: 5 },
    related: true,
    refusal: null,
    ...overrides,
  };
}

describe('merge views', () => {
  it("should list the requester's other tickets escaped, with what matched, and offer the merge to agents only", () => {
    const ticket = detail({ requesterHistory: [history()] });
    const card = String(requesterHistoryCard(ticket, agent));
    expect(card).toContain('data-reference="CCCC-DDDD"');
    expect(card).toContain('&lt;b&gt;ショップ&lt;/b&gt;');
    expect(card).toContain('メール・電話');
    expect(card).toContain('href="/tickets/AAAA-BBBB/merge"');
    expect(String(requesterHistoryCard(ticket, viewer))).not.toContain('/merge');
    expect(String(requesterHistoryCard(detail(), agent))).toContain(MERGE_TEXTS.historyNone);
  });

  it('should say where a merged ticket went and name a probable original', () => {
    expect(String(mergeNotices(detail({ mergedInto: 'CCCC-DDDD' })))).toContain(
      'href="/tickets/CCCC-DDDD"',
    );
    const duplicate = String(mergeNotices(detail({ probableDuplicateOf: 'EEEE-FFFF' })));
    expect(duplicate).toContain('data-probable-duplicate-of="EEEE-FFFF"');
    expect(String(mergeNotices(detail()))).toBe('');
  });

  it('should offer open tickets of the requester as survivors, not closed or merged ones', () => {
    const html = renderMergePick({
      viewer: agent,
      ticket: detail({
        requesterHistory: [
          history(),
          history({ reference: 'GGGG-HHHH', status: 'closed' }),
          history({ reference: 'JJJJ-KKKK', mergedInto: 'CCCC-DDDD' }),
        ],
      }),
    });
    expect(html).toContain('href="/tickets/AAAA-BBBB/merge?into=CCCC-DDDD"');
    expect(html).not.toContain('into=GGGG-HHHH');
    expect(html).not.toContain('into=JJJJ-KKKK');
  });

  it('should post both versions on the confirm step, and hold back an unrelated merge from an agent', () => {
    const related = renderMergeConfirm({
      viewer: agent,
      preview: preview(),
      mayConfirmUnrelated: false,
    });
    expect(related).toContain('name="version" value="3"');
    expect(related).toContain('name="intoVersion" value="5"');
    expect(related).toContain('name="into" value="CCCC-DDDD"');
    expect(related).not.toContain('confirmUnrelated');

    const unrelated = preview({ related: false });
    const forAgent = renderMergeConfirm({
      viewer: agent,
      preview: unrelated,
      mayConfirmUnrelated: false,
    });
    expect(forAgent).toContain(MERGE_TEXTS.unrelatedNeedsSupervisor);
    expect(forAgent).not.toContain('action="/tickets/AAAA-BBBB/merge"');
    const forSupervisor = renderMergeConfirm({
      viewer: agent,
      preview: unrelated,
      mayConfirmUnrelated: true,
    });
    expect(forSupervisor).toContain('name="confirmUnrelated"');
  });
});
