import { renderInquiryForm } from '../inquiry/inquiry-form.view';
import { renderIncidentPage } from './incident-page.view';

const site = {
  slug: 'shop-x',
  displayName: 'つばめ雑貨店',
  merchantName: '株式会社つばめ',
  logoUrl: null,
  brandColor: '#123456',
  phoneCode: '321',
};

const answer = (templateId: number, title: string, body: string) => ({
  templateId,
  title,
  body,
  approvedAt: new Date('2026-12-03T15:30:00Z'),
});

describe('renderIncidentPage', () => {
  it('should escape the answers and show the Tokyo approval date, brand and phone window', () => {
    const html = renderIncidentPage({
      site,
      answers: [answer(7, '<b>件名</b>', '<script>x</script>\n二行目')],
      formUrl: '/s/shop-x?from_faq=1',
    });
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;b&gt;件名&lt;/b&gt;');
    expect(html).toContain('2026年12月4日 更新');
    expect(html).toContain('#123456');
    expect(html).toContain('ショップ番号 321');
    expect(html).toContain('href="/s/shop-x?from_faq=1"');
    // One answer: no table of contents.
    expect(html).not.toContain('href="#faq-7"');
  });

  it('should list several answers in a table of contents', () => {
    const html = renderIncidentPage({
      site,
      answers: [answer(1, 'A', 'a'), answer(2, 'B', 'b')],
      formUrl: '/s/shop-x?from_faq=1',
    });
    expect(html).toContain('href="#faq-1"');
    expect(html).toContain('id="faq-2"');
  });

  it('should say when there is nothing announced', () => {
    const html = renderIncidentPage({ site, answers: [], formUrl: '/s/shop-x?from_faq=1' });
    expect(html).toContain('現在、このページでお知らせしている内容はありません。');
  });
});

describe('renderInquiryForm and the incident page', () => {
  const base = {
    site,
    categories: [],
    values: {},
    errors: {},
    action: '/s/shop-x',
    expectedAnswer: '通常、1営業日以内にご回答します。',
  };

  it('should link the page above the fields only when given, and carry the flag only when set', () => {
    const plain = renderInquiryForm(base);
    expect(plain).not.toContain('data-incident-link');
    expect(plain).not.toContain('from_faq');
    const linked = renderInquiryForm({
      ...base,
      incidentPageUrl: '/s/shop-x/incident',
      fromFaq: true,
    });
    expect(linked.indexOf('href="/s/shop-x/incident"')).toBeLessThan(linked.indexOf('name="name"'));
    expect(linked).toContain('<input type="hidden" name="from_faq" value="1" />');
  });
});
