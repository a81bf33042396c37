import { flat, site, tagWithId } from '../../../../test/support/intake-view-fixtures';
import { STATUS_PAGE_TEXTS } from './status-page.texts';
import { renderStatusPage, type StatusPageParams, statusToneOf } from './status-page.view';

describe('renderStatusPage', () => {
  const base: StatusPageParams = {
    site,
    reference: 'MDG-2611-AB12',
    statusLabel: STATUS_PAGE_TEXTS.statusLabels.open,
    statusTone: 'info',
    categoryLabel: 'その他',
    createdAt: new Date('2026-11-24T12:05:00Z'),
    messages: [
      {
        kind: 'reply',
        body: 'ご連絡ありがとうございます。',
        createdAt: new Date('2026-11-25T01:00:00Z'),
      },
      {
        kind: 'customer',
        body: '<script>x</script>\n2行目',
        createdAt: new Date('2026-11-24T12:05:00Z'),
      },
    ],
    replyAction: '/status/tok/replies',
  };

  it('should show the conversation oldest first, escaped, with Tokyo times and author labels', () => {
    const page = renderStatusPage(base);
    expect(page).toContain('2026年11月24日 21:05');
    expect(page).toContain('<span class="msg__body">&lt;script&gt;x&lt;/script&gt;\n2行目</span>');
    expect(page.indexOf('msg--customer')).toBeLessThan(page.indexOf('msg--reply'));
    expect(flat(page)).toContain('<span class="msg__author">あなた</span>');
    expect(flat(page)).toContain('<span class="msg__author">株式会社デモA</span>');
    expect(page).toContain(STATUS_PAGE_TEXTS.statusLabels.open);
  });

  it('should draw the badge in the tone of the status, never in the brand colour', () => {
    expect(flat(renderStatusPage(base))).toContain(
      '<span class="status-badge status-badge--info">対応中</span>',
    );
    expect(statusToneOf('new')).toBe('info');
    expect(statusToneOf('pending_customer')).toBe('action');
    expect(statusToneOf('resolved')).toBe('done');
    expect(statusToneOf('handed_back')).toBe('closed');
  });

  it('should say when the first answer is due, and nothing once there is none', () => {
    const due = '通常、1営業日以内（12月7日(月) 18:00 頃まで）にご回答します。';
    expect(flat(renderStatusPage({ ...base, expectedAnswer: due }))).toContain(
      `<p class="expected-answer"><strong>回答の目安</strong><span>${due}</span></p>`,
    );
    expect(renderStatusPage({ ...base, expectedAnswer: null })).not.toContain('expected-answer');
  });

  it('should offer a reply form and show its error and the kept value', () => {
    const page = renderStatusPage({ ...base, replyValue: '追記<>', replyError: 'エラー文' });
    expect(page).toContain('action="/status/tok/replies"');
    expect(tagWithId(page, 'f-message')).toContain('aria-describedby="f-message-error');
    expect(tagWithId(page, 'f-message')).toContain('maxlength="4000"');
    expect(page).toContain('>\n追記&lt;&gt;</textarea>');
    expect(page).toContain('href="#f-message"');
  });

  it('should announce a notice in a status region', () => {
    const page = renderStatusPage({ ...base, notice: STATUS_PAGE_TEXTS.replySent });
    expect(flat(page)).toContain('<div class="notice" role="status">送信しました。</div>');
  });

  it('should hide the reply form when replying is closed', () => {
    const page = renderStatusPage({ ...base, replyAction: null });
    expect(page).not.toContain('<form');
    expect(page).toContain(STATUS_PAGE_TEXTS.replyClosed);
  });

  it('should title the page エラー when the leak check refused a code, and only then', () => {
    const offer = {
      kind: 'offer' as const,
      requestAction: '/status/tok/leak-check',
      verifyAction: '/status/tok/leak-check/verify',
      showCodeForm: true,
      validMinutes: 10,
    };
    const refused = renderStatusPage({
      ...base,
      leakCheck: { ...offer, error: { step: 'verify', message: 'x' } },
    });
    expect(refused).toContain('<title>エラー: ');
    expect(renderStatusPage({ ...base, leakCheck: offer })).not.toContain('<title>エラー');
  });
});
