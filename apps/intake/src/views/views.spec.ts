import { INTAKE_TEXTS } from '../i18n/ja';
import { renderInquiryForm, type InquiryFormParams } from './inquiry-form.view';
import { renderIntakeClosed } from './intake-closed.view';
import { renderErrorPage, renderNotFound } from './not-found.view';
import { SiteBranding } from './site-branding.type';
import { renderStatusPage, type StatusPageParams } from './status-page.view';
import { renderThankYou } from './thank-you.view';

const site: SiteBranding = {
  slug: 'demo-a-shop',
  displayName: 'デモAショップ',
  merchantName: '株式会社デモA',
  logoUrl: 'https://cdn.example.jp/logo.png',
  brandColor: '#aa3300',
  phoneCode: '101',
};

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
    ...overrides,
  });
}

/**
 * The markup with whitespace between and inside tags collapsed, for structural checks that
 * should not care how the templates are formatted. Text content checks use the raw page.
 */
function flat(page: string): string {
  return page
    .replace(/\s+/g, ' ')
    .replace(/\s*\/?>/g, '>')
    .replace(/>\s+/g, '>')
    .replace(/\s+</g, '<');
}

/** The opening tag of the control with this id. */
function tagWithId(page: string, id: string): string {
  const match = new RegExp(`<(input|textarea|select)[^>]*\\bid="${id}"[^>]*>`).exec(flat(page));
  if (!match) throw new Error(`no control with id ${id}`);
  return match[0];
}

describe('renderInquiryForm', () => {
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
    const page = flat(form({ errors: { email: INTAKE_TEXTS.validation.email.invalid } }));
    const input = tagWithId(page, 'f-email');
    expect(input).toContain('aria-invalid="true"');
    expect(input).toMatch(/aria-describedby="f-email-error[" ]/);
    expect(page).toContain(`<p class="field__error" id="f-email-error">`);
    expect(page).toContain(INTAKE_TEXTS.validation.email.invalid);
    // The error sits right after its own control, before the next field starts.
    const afterInput = page.slice(page.indexOf(input));
    expect(afterInput.indexOf('f-email-error')).toBeLessThan(afterInput.indexOf('f-phone'));
    expect(tagWithId(page, 'f-name')).not.toContain('aria-invalid');
  });

  it('should list the errors at the top, in field order, linking to the fields', () => {
    const page = flat(form({ errors: { message: 'M', name: 'N', extra: 'X' } }));
    const summary = page.slice(page.indexOf('error-summary'), page.indexOf('<h1>'));
    expect(summary).toContain(INTAKE_TEXTS.validation.summaryTitle);
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
      errors: { consent: INTAKE_TEXTS.validation.consent.required },
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

describe('renderThankYou', () => {
  it('should show the escaped reference, the mail notice and the phone window', () => {
    const page = flat(renderThankYou({ site, reference: 'MDG-<1>' }));
    expect(page).toContain(
      '<h2 id="reference-heading">受付番号</h2><p class="reference">MDG-&lt;1&gt;</p>',
    );
    expect(page).toContain(INTAKE_TEXTS.thankYou.mailSent);
    expect(page).toContain('tel:+81367447492');
  });

  it('should point to the mail when there is no valid reference', () => {
    const page = renderThankYou({ site, reference: null });
    expect(page).not.toContain('class="reference"');
    expect(page).toContain(INTAKE_TEXTS.thankYou.referenceInMail);
  });
});

describe('renderIntakeClosed', () => {
  it('should name the merchant contact and link it only when it is http(s)', () => {
    const page = renderIntakeClosed({
      site,
      reason: 'support_ended',
      contactUrl: 'https://shop.example.jp/contact',
      contactText: '<営業時間>',
    });
    expect(page).toContain(INTAKE_TEXTS.closed.supportEndedTitle);
    expect(page).toContain('href="https://shop.example.jp/contact"');
    expect(page).toContain('&lt;営業時間&gt;');

    const bad = renderIntakeClosed({
      site,
      reason: 'closed',
      contactUrl: 'javascript:alert(1)',
      contactText: null,
    });
    expect(bad).toContain(INTAKE_TEXTS.closed.closedTitle);
    expect(bad).not.toContain('javascript:');
    expect(bad).toContain(INTAKE_TEXTS.closed.contactFallback);
  });
});

describe('renderNotFound and renderErrorPage', () => {
  it('should render unbranded Japanese pages', () => {
    const notFound = renderNotFound();
    expect(notFound).toContain(INTAKE_TEXTS.notFound.heading);
    expect(notFound).not.toContain('site-header');
    const limited = renderErrorPage({ ...INTAKE_TEXTS.errors.tooManyRequests, status: 429 });
    expect(limited).toContain(INTAKE_TEXTS.errors.tooManyRequests.message);
    expect(limited).toContain('429');
  });
});

describe('renderStatusPage', () => {
  const base: StatusPageParams = {
    site,
    reference: 'MDG-2611-AB12',
    statusLabel: INTAKE_TEXTS.statusLabels.open,
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
    expect(page).toContain(INTAKE_TEXTS.statusLabels.open);
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
    const page = renderStatusPage({ ...base, notice: INTAKE_TEXTS.status.replySent });
    expect(flat(page)).toContain('<div class="notice" role="status">送信しました。</div>');
  });

  it('should hide the reply form when replying is closed', () => {
    const page = renderStatusPage({ ...base, replyAction: null });
    expect(page).not.toContain('<form');
    expect(page).toContain(INTAKE_TEXTS.status.replyClosed);
  });
});
