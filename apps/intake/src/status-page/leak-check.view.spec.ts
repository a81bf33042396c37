import { flat } from '../../../../test/support/intake-view-fixtures';
import { LEAK_CHECK_TEXTS as L } from './leak-check.texts';
import { leakCheckHasError, leakCheckSection } from './leak-check.view';

const offer = {
  kind: 'offer' as const,
  requestAction: '/status/t/leak-check',
  verifyAction: '/status/t/leak-check/verify',
  validMinutes: 10,
};

describe('leakCheckSection', () => {
  it('should render nothing when the check does not apply', () => {
    expect(leakCheckSection(null).toString()).toBe('');
  });

  it('should offer the button, and the code field only while a code is live', () => {
    const first = leakCheckSection({ ...offer, showCodeForm: false }).toString();
    expect(first).toContain('action="/status/t/leak-check"');
    expect(first).not.toContain('name="code"');
    const pending = flat(leakCheckSection({ ...offer, showCodeForm: true }).toString());
    expect(pending).toContain('name="code"');
    expect(pending).toContain('autocomplete="one-time-code"');
    expect(pending).toContain(L.requestAgain);
  });

  it('should make the primary and the secondary button differ in words and style', () => {
    const first = flat(leakCheckSection({ ...offer, showCodeForm: false }).toString());
    // Alone, the request is the filled button, and it does not repeat the heading.
    expect(first).toContain(`<button class="button" type="submit">${L.request}</button>`);
    expect(L.request).not.toBe(L.heading);
    const pending = flat(leakCheckSection({ ...offer, showCodeForm: true }).toString());
    expect(pending).toContain(`<button class="button" type="submit">${L.verify}</button>`);
    expect(pending).toContain(
      `<button class="button button--secondary" type="submit">${L.requestAgain}</button>`,
    );
    expect(L.verify).not.toBe(L.requestAgain);
  });

  it('should summarise a refused code in a focused alert linked to the field, and mark the field', () => {
    const section = {
      ...offer,
      showCodeForm: true,
      error: { step: 'verify' as const, message: '確認コードが<正しく>ありません。' },
    };
    const page = flat(leakCheckSection(section).toString());
    const summary = page.slice(page.indexOf('class="error-summary"'), page.indexOf('<form'));
    expect(summary).toContain('role="alert"');
    expect(summary).toContain('tabindex="-1" autofocus');
    expect(summary).toContain(L.verifyErrorTitle);
    expect(summary).toContain('<a href="#f-code">確認コードが&lt;正しく&gt;ありません。</a>');
    expect(page).toMatch(/<input[^>]*id="f-code"[^>]*aria-invalid="true"/);
    expect(leakCheckHasError(section)).toBe(true);
    expect(leakCheckHasError({ ...offer, showCodeForm: true })).toBe(false);
  });

  it('should summarise a refused request without a field link, right above the request button', () => {
    const page = flat(
      leakCheckSection({
        ...offer,
        showCodeForm: false,
        error: { step: 'request', message: '請求が多すぎます。' },
      }).toString(),
    );
    expect(page).toContain(L.requestErrorTitle);
    expect(page).toContain('<li>請求が多すぎます。</li>');
    expect(page).not.toContain('name="code"');
    expect(page.indexOf('error-summary')).toBeLessThan(page.indexOf(L.request));
  });

  it('should explain, without a button, when the ticket has no email', () => {
    const html = leakCheckSection({ kind: 'no_email' }).toString();
    expect(html).toContain('メールアドレスのご登録がないため');
    expect(html).not.toContain('<form');
  });

  it('should escape the approved answer and fall back to the neutral text', () => {
    const answer = leakCheckSection({ kind: 'result', answer: '<script>x</script> 様' }).toString();
    expect(answer).toContain('&lt;script&gt;x&lt;/script&gt; 様');
    expect(answer).not.toContain('<script>');
    const neutral = leakCheckSection({ kind: 'result', answer: null }).toString();
    expect(neutral).toContain('担当者からこのページでご回答いたします');
  });
});
