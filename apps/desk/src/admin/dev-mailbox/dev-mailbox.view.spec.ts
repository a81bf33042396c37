import { linkifiedText } from './dev-mailbox.view';

describe('linkifiedText (the dev mailbox’s mail text)', () => {
  it('should make http(s) URLs links and leave the text around them as it was', () => {
    const text = '状況確認ページ：\nhttps://intake.test/status/abc_DEF-123\nご確認ください。';
    expect(String(linkifiedText(text))).toBe(
      '状況確認ページ：\n<a href="https://intake.test/status/abc_DEF-123" rel="noopener noreferrer" target="_blank">https://intake.test/status/abc_DEF-123</a>\nご確認ください。',
    );
  });

  it('should end a URL before Japanese text and sentence punctuation', () => {
    const html = String(linkifiedText('詳しくは http://example.test/a?b=1&c=2.をご覧ください'));
    expect(html).toContain('href="http://example.test/a?b=1&amp;c=2"');
    expect(html).toContain('</a>.をご覧ください');
  });

  it('should escape markup and never link another scheme', () => {
    const html = String(
      linkifiedText('<script>alert(1)</script> javascript:alert(2) "x" data:text/html,<b>'),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<a ');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('should keep a quote inside an attribute from breaking out of it', () => {
    const html = String(linkifiedText(`https://example.test/x'"onmouseover=alert(1)`));
    expect(html).not.toMatch(/<a [^>]*onmouseover/);
    expect(html).toMatch(/^<a href="https:\/\/example\.test\/x" /);
  });
});
