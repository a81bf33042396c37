import {
  attributes,
  button,
  checkboxField,
  errorSummary,
  honeypotField,
  selectField,
  textArea,
  textField,
} from './components';
import { html } from './html.util';
import { brandInkColor, renderPage, sanitizeBrandColor } from './layout';
import { formatText, formatTokyoDateTime } from './text.util';
import { isHttpUrl, isSafeImageUrl } from './url.util';

describe('attributes', () => {
  it('should escape values and handle boolean attributes', () => {
    expect(attributes({ value: '"><x', required: true, disabled: false, x: null }).toString()).toBe(
      ' value="&quot;&gt;&lt;x" required',
    );
  });
});

describe('textField', () => {
  it('should bind the label, mark required and wire the error with aria', () => {
    const out = textField({
      name: 'name',
      label: 'お名前',
      required: true,
      error: '入力してください',
    }).toString();
    expect(out).toContain('<label class="field__label" for="f-name">お名前');
    expect(out).toContain('必須');
    expect(out).toMatch(/<input[^>]* required aria-required="true" aria-invalid="true"/);
    expect(out).toContain('aria-describedby="f-name-error"');
    expect(out).toContain('<p class="field__error" id="f-name-error">');
  });

  it('should list error, warning and hint in aria-describedby', () => {
    const out = textField({
      name: 'a',
      label: 'A',
      hint: 'h',
      warning: 'w',
      error: 'e',
    }).toString();
    expect(out).toContain('aria-describedby="f-a-error f-a-warning f-a-hint"');
  });

  it('should set neither aria-invalid nor aria-describedby on a clean optional field', () => {
    const out = textField({ name: 'a', label: 'A', optionalMark: '任意' }).toString();
    expect(out).not.toContain('aria-invalid');
    expect(out).not.toContain('aria-describedby');
    expect(out).not.toContain('required');
    expect(out).toContain('任意');
  });
});

describe('textArea', () => {
  it('should keep the value escaped, with its leading newline surviving the parser', () => {
    const out = textArea({ name: 'm', label: 'M', value: '\n</textarea><script>' }).toString();
    expect(out).toContain('>\n\n&lt;/textarea&gt;&lt;script&gt;</textarea>');
  });
});

describe('selectField', () => {
  it('should select the current value and offer an empty placeholder', () => {
    const out = selectField({
      name: 'c',
      label: 'C',
      placeholder: '選択してください',
      options: [
        { value: 'a', label: 'A' },
        { value: 'b', label: 'B' },
      ],
      value: 'b',
    }).toString();
    expect(out).toMatch(/<option value=""\s*>\s*選択してください\s*<\/option>/);
    expect(out).toContain('<option value="b" selected>B</option>');
  });
});

describe('checkboxField', () => {
  it('should keep its checked state and allow markup in the label', () => {
    const out = checkboxField({ name: 'ok', label: html`<b>同意</b>`, checked: true }).toString();
    expect(out).toMatch(/<input[^>]* checked/);
    expect(out).toContain('<b>同意</b>');
  });
});

describe('errorSummary', () => {
  it('should link each error to its field and render nothing without errors', () => {
    const out = errorSummary(
      [
        { field: 'email', message: '<bad>' },
        { field: null, message: 'other' },
      ],
      '確認',
    ).toString();
    expect(out).toContain('<a href="#f-email">&lt;bad&gt;</a>');
    expect(out).toContain('<li>other</li>');
    expect(errorSummary([], '確認').toString()).toBe('');
  });
});

describe('button', () => {
  it('should draw a secondary button unlike the primary one', () => {
    expect(button('送信する').toString()).toContain('class="button"');
    expect(button('再送する', { variant: 'secondary' }).toString()).toContain(
      'class="button button--secondary"',
    );
  });
});

describe('honeypotField', () => {
  it('should be hidden from people and out of the tab order', () => {
    const out = honeypotField({ name: 'website', label: '空のまま' }).toString();
    expect(out).toContain('class="hp" aria-hidden="true"');
    expect(out).toContain('tabindex="-1"');
    expect(out).toContain('autocomplete="off"');
  });
});

describe('renderPage', () => {
  it('should link the stylesheet, set lang and never inline CSS', () => {
    const out = renderPage({ title: '<t>', body: html`<p>x</p>` });
    expect(out.startsWith('<!doctype html>')).toBe(true);
    expect(out).toContain('<html lang="ja">');
    expect(out).toContain('<title>&lt;t&gt;</title>');
    // The stylesheet and the icon by their content hash: cached for a year, a new build a new URL.
    expect(out).toMatch(/<link rel="stylesheet" href="\/assets\/ui.css\?v=[\w-]{16}"\s*\/?>/);
    expect(out).toMatch(
      /<link rel="icon" href="\/assets\/favicon.svg\?v=[\w-]{16}" type="image\/svg\+xml"\s*\/?>/,
    );
    expect(out).toContain('<meta name="referrer" content="no-referrer"');
    expect(out).toContain('<meta name="robots" content="noindex, nofollow"');
    expect(out).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"');
    expect(out).not.toContain('<style');
  });

  it('should only put a validated #rrggbb colour into the style attribute', () => {
    const evil = renderPage({ title: 't', brandColor: 'red;background:url(x)', body: html`` });
    expect(evil).toContain('style="--brand:#1f4e8c;');
    const ok = renderPage({ title: 't', brandColor: '#AA0011', body: html`` });
    expect(ok).toContain('style="--brand:#aa0011;');
    expect(sanitizeBrandColor('#abc')).toBe('#1f4e8c');
  });

  it('should fall back to ja for a malformed lang', () => {
    expect(renderPage({ title: 't', lang: 'x"><', body: html`` })).toContain('<html lang="ja">');
  });

  it('should pick readable ink for light and dark brand colours', () => {
    expect(brandInkColor('#1f4e8c')).toBe('#ffffff');
    expect(brandInkColor('#ffee00')).toBe('#111111');
  });
});

describe('text and url utils', () => {
  it('should fill placeholders and leave unknown ones visible', () => {
    expect(formatText('{max}文字以内 {x}', { max: 100 })).toBe('100文字以内 {x}');
  });

  it('should format dates in Japan time', () => {
    expect(formatTokyoDateTime(new Date('2026-11-24T12:05:00Z'))).toBe('2026年11月24日 21:05');
    expect(formatTokyoDateTime(new Date('2026-12-31T15:00:00Z'))).toBe('2027年1月1日 00:00');
  });

  it('should accept only https or own-asset images and http(s) links', () => {
    expect(isSafeImageUrl('https://cdn.example.jp/logo.png')).toBe(true);
    expect(isSafeImageUrl('/assets/logo.png')).toBe(true);
    expect(isSafeImageUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeImageUrl('data:image/svg+xml,<svg>')).toBe(false);
    expect(isSafeImageUrl('//evil.example/logo.png')).toBe(false);
    expect(isSafeImageUrl('http://example.jp/logo.png')).toBe(false);
    expect(isHttpUrl('https://shop.example.jp/contact')).toBe(true);
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
    expect(isHttpUrl(null)).toBe(false);
  });
});
