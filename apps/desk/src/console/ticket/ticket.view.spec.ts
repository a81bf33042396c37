import type { TicketDetail } from '@madoguchi/tickets';
import { SHARED_TEXTS } from '../../web';
import { THREAD_TEXTS } from '../../web/parts/ticket-thread.texts';
import { agent, item, viewer } from '../../../../../test/support/console-view-fixtures';
import { renderHandBackConfirm, renderTicketPage, type TicketPageParams } from './ticket.view';
import { TICKET_TEXTS } from './ticket.texts';

const S = SHARED_TEXTS;

function detail(overrides: Partial<TicketDetail> = {}): TicketDetail {
  return {
    ...item(),
    siteId: 2,
    requester: {
      name: '<script>alert(1)</script>',
      email: 'hanako@example.jp',
      phone: '+819012345678',
      orderNumber: 'ORD-1',
    },
    firstResponseDueAt: new Date('2026-11-25T01:00:00Z'),
    firstRespondedAt: null,
    resolutionDueAt: new Date('2026-11-30T01:00:00Z'),
    resolvedAt: null,
    closedAt: null,
    merchantContact: { url: 'https://shop.example.jp/contact', text: '0120-000-000' },
    messages: [
      {
        id: 2,
        kind: 'note',
        body: '社内向けメモ',
        author: { id: 7, displayName: '佐藤 一郎' },
        deliveryState: null,
        answerVersionId: null,
        answerVersion: null,
        answerProvenance: null,
        correctsMessageId: null,
        createdAt: new Date('2026-11-24T03:00:00Z'),
      },
      {
        id: 1,
        kind: 'customer',
        body: '<img src=x onerror=alert(1)>',
        author: null,
        deliveryState: null,
        answerVersionId: null,
        answerVersion: null,
        answerProvenance: null,
        correctsMessageId: null,
        createdAt: new Date('2026-11-24T01:00:00Z'),
      },
    ],
    allowedStatuses: ['open', 'pending_customer', 'resolved', 'handed_back'],
    incident: null,
    version: 4,
    ...overrides,
  };
}

function page(overrides: Partial<TicketPageParams> = {}): string {
  return renderTicketPage({
    viewer: agent,
    ticket: detail(),
    canned: [],
    agents: [],
    ...overrides,
  });
}

/** Every <form method="post"> of a page, as text. */
function postForms(html: string): string[] {
  return [...html.matchAll(/<form[^>]*method="post"[\s\S]*?<\/form>/g)].map((m) => m[0]);
}

describe('renderTicketPage', () => {
  it('should escape the requester and the messages', () => {
    const out = page();
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('<img src=x');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('should show the conversation oldest first and label notes as internal', () => {
    const out = page();
    expect(out.indexOf('msg--customer')).toBeLessThan(out.indexOf('msg--note'));
    expect(out).toContain(`<span class="msg__kind">${THREAD_TEXTS.messageKinds.note}</span>`);
  });

  it('should put the CSRF token and the version into every form that posts', () => {
    const forms = postForms(page());
    expect(forms.length).toBeGreaterThanOrEqual(6);
    for (const form of forms) {
      if (form.includes('action="/logout"')) continue;
      expect(form).toContain('name="_csrf" value="csrf-&lt;tok&gt;"');
      expect(form).toContain('name="version" value="4"');
    }
  });

  it('should offer only the allowed statuses', () => {
    const out = page({ ticket: detail({ allowedStatuses: ['open'] }) });
    const select = /<select[^>]*id="f-new-status"[\s\S]*?<\/select>/.exec(out)?.[0] ?? '';
    expect(select).toContain('value="open"');
    expect(select).not.toContain('value="resolved"');
    expect(out).not.toContain('/hand-back');
  });

  it('should render no write form for a read-only user', () => {
    const out = page({ viewer });
    expect(postForms(out).filter((f) => !f.includes('/logout'))).toEqual([]);
    expect(out).toContain(S.common.readOnly);
  });

  it('should show the stale warning and keep the typed reply', () => {
    const out = page({
      alert: TICKET_TEXTS.staleWarning,
      drafts: { reply: 'お返事<です>', nextStatus: 'resolved' },
    });
    expect(out).toContain('role="alert"');
    expect(out).toContain(TICKET_TEXTS.staleWarning);
    expect(out).toContain('>\nお返事&lt;です&gt;</textarea>');
    expect(out).toMatch(/value="resolved"\s+checked/);
  });

  it('should put a validation error beside the reply box and in the summary', () => {
    const out = page({ errors: { 'reply-body': '本文を入力してください。' } });
    expect(out).toContain('<a href="#f-reply-body">本文を入力してください。</a>');
    expect(out).toContain('id="f-reply-body-error"');
    expect(out).toContain('<title>エラー: ');
  });

  it('should say who works the ticket when it is someone else', () => {
    const out = page({ ticket: detail({ assignee: { id: 99, displayName: '鈴木' } }) });
    expect(out).toContain('鈴木さんが対応中です。');
    expect(page({ ticket: detail({ assignee: { id: 7, displayName: '佐藤 一郎' } }) })).toContain(
      TICKET_TEXTS.assignedToMe,
    );
  });

  it('should offer canned responses with a no-JS insert form', () => {
    const out = page({
      canned: [{ id: 5, merchantId: null, title: '<お礼>', body: 'x', updatedAt: new Date() }],
      drafts: { reply: '挿入済み' },
    });
    expect(out).toMatch(/<form\s+class="canned"\s+method="get"\s+action="\/tickets\/ABCD-EFGH"/);
    expect(out).toContain('<option value="5">&lt;お礼&gt;</option>');
  });

  it('should offer a call note instead of a reply on a ticket without email (issue 15)', () => {
    const base = detail();
    const out = page({
      ticket: { ...base, requester: { ...base.requester, email: null } },
      drafts: { reply: '古いページから送った返信' },
    });
    expect(out).not.toContain('action="/tickets/ABCD-EFGH/replies"');
    expect(out).toContain('action="/tickets/ABCD-EFGH/call-notes"');
    expect(out).toContain(TICKET_TEXTS.undeliverable.submit);
    // A reply posted from an old page comes back in the call-note box.
    expect(out).toMatch(/id="f-call-note-body"[^>]*>\s*古いページから送った返信/);
    expect(page()).toContain('action="/tickets/ABCD-EFGH/replies"');
  });

  it('should show who else is on the ticket, escaped, and the newest message for the script', () => {
    const out = page({
      live: {
        lastMessageId: 2,
        others: [
          { userId: 9, displayName: '<b>山田</b>', state: 'writing', lastSeenAt: new Date() },
        ],
      },
    });
    expect(out).toContain('data-presence-url="/api/v1/tickets/ABCD-EFGH/presence"');
    expect(out).toContain('data-last-message-id="2"');
    expect(out).toContain('&lt;b&gt;山田&lt;/b&gt;さんが返信を入力中');
    expect(out).toContain('data-conversation-url="/tickets/ABCD-EFGH?fragment=conversation"');
    expect(page()).not.toContain('id="ticket-presence"');
  });

  it('should say that a hand-back without email mails the shopper nothing', () => {
    const base = detail();
    const ticket = { ...base, requester: { ...base.requester, email: null } };
    const out = renderHandBackConfirm({ viewer: agent, ticket, version: 4 });
    expect(out).toContain('お客様へは何も送りません');
    expect(out).not.toContain('案内する定型の返信をメールで送ります');
  });

  it('should explain a hand-back before confirming it', () => {
    const out = renderHandBackConfirm({ viewer: agent, ticket: detail(), version: 4 });
    expect(out).toContain('name="confirm" value="yes"');
    expect(out).toContain('href="https://shop.example.jp/contact"');
    expect(out).toContain('name="version" value="4"');
  });
});
