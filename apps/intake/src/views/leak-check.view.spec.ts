import { leakCheckSection } from './leak-check.view';

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
    const pending = leakCheckSection({ ...offer, showCodeForm: true }).toString();
    expect(pending).toContain('name="code"');
    expect(pending).toContain('autocomplete="one-time-code"');
    expect(pending).toContain('確認コードを再送する');
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
