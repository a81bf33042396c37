import { escapeHtml, html, isSafeHtml, raw, SafeHtml } from './html.util';

describe('escapeHtml', () => {
  it('should escape every character that can open a tag or end an attribute', () => {
    expect(escapeHtml(`&<>"'\``)).toBe('&amp;&lt;&gt;&quot;&#39;&#96;');
  });

  it('should leave ordinary Japanese text alone', () => {
    expect(escapeHtml('山田 太郎／テスト')).toBe('山田 太郎／テスト');
  });
});

describe('html', () => {
  it('should escape a <script> in an interpolated value', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<p>${name}</p>`.toString()).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('should stop a value from breaking out of a double- or single-quoted attribute', () => {
    const evil = `x" onmouseover="alert(1)`;
    const evil2 = `x' onfocus='alert(1)`;
    // prettier-ignore
    const out = html`<input value="${evil}"><input value='${evil2}'>`.toString();
    expect(out).toBe(
      '<input value="x&quot; onmouseover=&quot;alert(1)"><input value=\'x&#39; onfocus=&#39;alert(1)\'>',
    );
    expect(out).not.toContain('"alert');
  });

  it('should double-escape an already escaped string, since a string is never trusted', () => {
    expect(html`${'&lt;'}`.toString()).toBe('&amp;lt;');
  });

  it('should keep nested html fragments as markup', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><b>&lt;i&gt;</b></p>');
  });

  it('should keep raw() markup as is', () => {
    expect(html`<div>${raw('<hr>')}</div>`.toString()).toBe('<div><hr></div>');
  });

  it('should join arrays, escaping strings and keeping fragments', () => {
    const items = ['<a>', html`<li>${'b&c'}</li>`, ['<nested>', raw('<br>')]];
    // prettier-ignore
    const out = html`<ul>${items}</ul>`.toString();
    expect(out).toBe('<ul>&lt;a&gt;<li>b&amp;c</li>&lt;nested&gt;<br></ul>');
  });

  it('should render null, undefined and false as nothing, and numbers as text', () => {
    expect(html`[${null}${undefined}${false}${0}${42}]`.toString()).toBe('[042]');
  });

  it('should render a condition that is false as nothing and one that holds as its fragment', () => {
    const show = (on: boolean): SafeHtml => html`<p>${on && html`<em>on</em>`}</p>`;
    expect(show(false).toString()).toBe('<p></p>');
    expect(show(true).toString()).toBe('<p><em>on</em></p>');
  });

  it('should not trust an object that merely looks like SafeHtml', () => {
    const fake = { toString: () => '<script>' } as unknown as SafeHtml;
    expect(isSafeHtml(fake)).toBe(false);
    expect(html`${fake}`.toString()).toBe('&lt;script&gt;');
  });

  it('should return SafeHtml that works with string concatenation', () => {
    const out = html`<p>${'x'}</p>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(`${out}`).toBe('<p>x</p>');
  });
});
