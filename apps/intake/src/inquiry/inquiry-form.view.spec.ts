import { flat, site, tagWithId } from '../../../../test/support/intake-view-fixtures';
import { INTAKE_SHARED_TEXTS } from '../web/shared.texts';
import { INQUIRY_FORM_TEXTS } from './inquiry-form.texts';
import { renderInquiryForm, type InquiryFormParams } from './inquiry-form.view';

const categories = [
  { value: 'leak_check', label: '流出の有無・対象の確認' },
  { value: 'other', label: 'その他' },
];

function form(overrides: Partial<InquiryFormParams> = {}): string {
  return renderInquiryForm({
    site,
    categories,
    values: {},
    errors: {},
    action: '/s/demo-a-shop',
    expectedAnswer: '通常、1営業日以内にご回答します（営業時間は平日10:00〜18:00）。',
    ...overrides,
  });
}

describe('renderInquiryForm', () => {
  it('should say before the fields when an answer can be expected', () => {
    const page = flat(form({ expectedAnswer: '通常、1営業日以内に<ご回答>します。' }));
    expect(page).toContain(
      '<p class="expected-answer"><strong>回答の目安</strong><span>通常、1営業日以内に&lt;ご回答&gt;します。</span></p>',
    );
    expect(page.indexOf('expected-answer')).toBeLessThan(page.indexOf('name="name"'));
  });

  it('should render a Japanese, branded, post form with every contract field', () => {
    const page = flat(form());
    expect(page).toContain('<html lang="ja">');
    expect(page).toContain('style="--brand:#aa3300;');
    expect(page).toContain('デモAショップ お問い合わせ窓口');
    expect(page).toContain(
      '<img class="site-header__logo" src="https://cdn.example.jp/logo.png" alt="デモAショップ"',
    );
    expect(page).toContain('method="post" action="/s/demo-a-shop" accept-charset="UTF-8"');
    expect(page).not.toContain('novalidate');
    for (const name of [
      'name',
      'email',
      'phone',
      'orderNumber',
      'category',
      'message',
      'consent',
    ]) {
      expect(page).toContain(`name="${name}"`);
    }
    expect(page).toContain(
      '<a class="phone-link" href="tel:+81367447492">03-6744-7492</a>（平日10:00〜18:00）',
    );
    expect(page).toContain('お電話の際はショップ番号 101 をご入力ください');
    expect(page).toContain('クレジットカード番号');
    expect(page).toContain('<option value="" selected>選択してください</option>');
  });

  it('should mark required fields and leave optional ones optional', () => {
    const page = form();
    expect(tagWithId(page, 'f-name')).toContain('required aria-required="true"');
    expect(tagWithId(page, 'f-email')).toContain('type="email"');
    expect(tagWithId(page, 'f-email')).toContain('maxlength="254"');
    expect(tagWithId(page, 'f-message')).toContain('maxlength="4000"');
    expect(tagWithId(page, 'f-consent')).toContain('required');
    expect(tagWithId(page, 'f-phone')).not.toContain('required');
    expect(tagWithId(page, 'f-phone')).toContain('type="tel"');
    expect(tagWithId(page, 'f-orderNumber')).not.toContain('required');
  });

  it('should escape values and errors, so a <script> name comes back as text', () => {
    const page = form({
      values: { name: '<script>alert(1)</script>', message: '"></textarea><script>x()</script>' },
      errors: { name: '<b>bad</b>' },
    });
    expect(page).not.toContain('<script>');
    expect(page).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain(
      '&quot;&gt;&lt;/textarea&gt;&lt;script&gt;x()&lt;/script&gt;</textarea>',
    );
    expect(page).toContain('&lt;b&gt;bad&lt;/b&gt;');
  });

  it('should link each error to its field with aria-describedby and aria-invalid', () => {
    const page = flat(form({ errors: { email: INQUIRY_FORM_TEXTS.validation.email.invalid } }));
    const input = tagWithId(page, 'f-email');
    expect(input).toContain('aria-invalid="true"');
    expect(input).toMatch(/aria-describedby="f-email-error[" ]/);
    expect(page).toContain(`<p class="field__error" id="f-email-error">`);
    expect(page).toContain(INQUIRY_FORM_TEXTS.validation.email.invalid);
    // The error sits right after its own control, before the next field starts.
    const afterInput = page.slice(page.indexOf(input));
    expect(afterInput.indexOf('f-email-error')).toBeLessThan(afterInput.indexOf('f-phone'));
    expect(tagWithId(page, 'f-name')).not.toContain('aria-invalid');
  });

  it('should list the errors at the top, in field order, linking to the fields', () => {
    const page = flat(form({ errors: { message: 'M', name: 'N', extra: 'X' } }));
    const summary = page.slice(page.indexOf('error-summary'), page.indexOf('<h1>'));
    expect(summary).toContain(INTAKE_SHARED_TEXTS.common.errorSummaryTitle);
    expect(summary.indexOf('href="#f-name"')).toBeLessThan(summary.indexOf('href="#f-message"'));
    expect(summary).toContain('<li>X</li>');
    expect(page).toContain('<title>エラー: ');
  });

  it('should render no summary and a plain title without errors', () => {
    const page = form();
    expect(page).not.toContain('error-summary');
    expect(page).not.toContain('<title>エラー');
  });

  it('should include a honeypot hidden from people and keyboards', () => {
    const page = form();
    expect(flat(page)).toMatch(
      /<div class="hp" aria-hidden="true"><label[^>]*>[^<]*<\/label><input[^>]*name="website"/,
    );
    expect(tagWithId(page, 'f-website')).toContain('tabindex="-1"');
    expect(tagWithId(page, 'f-website')).toContain('autocomplete="off"');
    expect(page).toContain('このフィールドは空のままにしてください');
  });

  it('should keep the values on re-render', () => {
    const page = form({
      values: {
        name: '山田 太郎',
        email: 'taro@example.jp',
        phone: '090-1234-5678',
        orderNumber: 'A-123',
        category: 'other',
        message: '一行目\n二行目',
      },
      errors: { consent: INQUIRY_FORM_TEXTS.validation.consent.required },
    });
    expect(tagWithId(page, 'f-name')).toContain('value="山田 太郎"');
    expect(tagWithId(page, 'f-email')).toContain('value="taro@example.jp"');
    expect(tagWithId(page, 'f-phone')).toContain('value="090-1234-5678"');
    expect(tagWithId(page, 'f-orderNumber')).toContain('value="A-123"');
    expect(flat(page)).toContain('<option value="other" selected>その他</option>');
    expect(flat(page)).not.toContain('<option value="" selected>');
    expect(page).toContain('>\n一行目\n二行目</textarea>');
  });

  it('should keep the consent checkbox checked, or unchecked, as it was', () => {
    expect(tagWithId(form({ values: { consent: true } }), 'f-consent')).toMatch(/\bchecked\b/);
    expect(tagWithId(form({ values: { consent: false } }), 'f-consent')).not.toMatch(/\bchecked\b/);
    expect(tagWithId(form(), 'f-consent')).not.toMatch(/\bchecked\b/);
  });

  it('should render the logo only for https or own-asset URLs', () => {
    expect(form({ site: { ...site, logoUrl: 'javascript:alert(1)' } })).not.toContain('<img');
    expect(form({ site: { ...site, logoUrl: 'http://example.jp/l.png' } })).not.toContain('<img');
    expect(form({ site: { ...site, logoUrl: null } })).not.toContain('<img');
    expect(form({ site: { ...site, logoUrl: '/assets/logos/a.png' } })).toContain(
      'src="/assets/logos/a.png"',
    );
  });

  it('should fall back to the default colour for an invalid brand colour', () => {
    const page = form({ site: { ...site, brandColor: 'red" onload="x' } });
    expect(page).toContain('style="--brand:#1f4e8c;');
    expect(page).not.toContain('onload');
  });

  it('should leave out the phone code line when the site has none', () => {
    expect(form({ site: { ...site, phoneCode: null } })).not.toContain('ショップ番号');
  });
});
