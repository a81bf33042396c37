import type { QueueSummary, TicketDetail, TicketListItem } from '@madoguchi/tickets';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type ConsoleViewer,
  renderCannedEdit,
  renderCannedList,
  renderDeskErrorPage,
  renderHandBackConfirm,
  renderQueueList,
  renderQueueOverview,
  renderSearchPage,
  renderTicketPage,
  type TicketPageParams,
} from './index';

const T = DESK_TEXTS;

const agent: ConsoleViewer = {
  id: 7,
  displayName: '佐藤 一郎',
  role: 'agent',
  csrfToken: 'csrf-<tok>',
  canManageCanned: false,
  canWork: true,
};
const viewer: ConsoleViewer = { ...agent, id: 9, role: 'merchant_viewer', canWork: false };

function item(overrides: Partial<TicketListItem> = {}): TicketListItem {
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

describe('renderConsolePage (through the overview)', () => {
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

  it('should link the stylesheets and the script as files, with no inline script or style element', () => {
    const out = renderQueueOverview({ viewer: agent, queues: [summary] });
    expect(out).toContain('<link rel="stylesheet" href="/assets/console.css"');
    expect(out).toMatch(/<script src="\/assets\/console.js" defer><\/script>/);
    expect(out).not.toMatch(/<script>|<script [^s]|<style/);
  });

  it('should offer a skip link, the nav, the user and a logout form with the CSRF token', () => {
    const out = renderQueueOverview({ viewer: agent, queues: [summary] });
    expect(out).toContain('<a class="skip-link" href="#main">');
    expect(out).toContain('aria-current="page"');
    expect(out).toContain('佐藤 一郎さん（エージェント）');
    expect(out).toMatch(
      /<form method="post" action="\/logout">\s*<input type="hidden" name="_csrf" value="csrf-&lt;tok&gt;" \/>/,
    );
    expect(out).not.toContain('href="/canned-responses"');
    expect(
      renderQueueOverview({ viewer: { ...agent, canManageCanned: true }, queues: [] }),
    ).toContain('href="/canned-responses"');
    expect(out).toContain('aria-live="polite"');
    expect(out).toContain(T.shortcuts.heading);
  });

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
    filter: { status: '', category: 'payment', channel: '', assignee: 'me' },
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
    expect(out).toContain(`${T.sla.breached}</span`);
    expect(out).toContain(`${T.sla.due_soon}</span`);
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
    expect(out).toContain(T.queue.empty);
    expect(renderQueueList({ ...base, viewer, page })).not.toContain('take-next"');
  });
});

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
    expect(out).toContain(`<span class="msg__kind">${T.messageKinds.note}</span>`);
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
    expect(out).toContain(T.common.readOnly);
  });

  it('should show the stale warning and keep the typed reply', () => {
    const out = page({
      alert: T.ticket.staleWarning,
      drafts: { reply: 'お返事<です>', nextStatus: 'resolved' },
    });
    expect(out).toContain('role="alert"');
    expect(out).toContain(T.ticket.staleWarning);
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
      T.ticket.assignedToMe,
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

  it('should explain a hand-back before confirming it', () => {
    const out = renderHandBackConfirm({ viewer: agent, ticket: detail(), version: 4 });
    expect(out).toContain('name="confirm" value="yes"');
    expect(out).toContain('href="https://shop.example.jp/contact"');
    expect(out).toContain('name="version" value="4"');
  });
});

describe('other pages', () => {
  it('should render search results across merchants and a no-result message', () => {
    expect(renderSearchPage({ viewer: agent, query: 'x', results: [] })).toContain(T.search.none);
    const out = renderSearchPage({ viewer: agent, query: '<q>', results: [item()] });
    expect(out).toContain('value="&lt;q&gt;"');
    expect(out).toContain('デモA');
  });

  it('should render canned responses with create and edit forms', () => {
    const list = renderCannedList({
      viewer: agent,
      items: [{ id: 5, merchantId: 1, title: 'お礼', body: 'x', updatedAt: new Date() }],
      merchants: [{ id: 1, name: 'デモA' }],
      errors: { title: '題名を入力してください。' },
    });
    expect(list).toContain('href="/canned-responses/5/edit"');
    expect(list).toContain('action="/canned-responses"');
    expect(list).toContain('題名を入力してください。');
    const edit = renderCannedEdit({
      viewer: agent,
      item: { id: 5, merchantId: 1, title: 'お礼', body: '本文', updatedAt: new Date() },
      merchants: [{ id: 1, name: 'デモA' }],
    });
    expect(edit).toContain('<option value="1" selected>デモA</option>');
    expect(edit).toContain('action="/canned-responses/5/delete"');
  });

  it('should render a Japanese error page without a session', () => {
    const out = renderDeskErrorPage({ ...T.errors.notFound, status: 404 });
    expect(out).toContain(T.errors.notFound.title);
    expect(out).toContain('404');
    expect(out).not.toContain('/logout');
  });
});
