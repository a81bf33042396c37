import { ERROR_PAGE_TEXTS } from './error-page.texts';
import { renderErrorPage, renderNotFound } from './error-page.view';

describe('renderNotFound and renderErrorPage', () => {
  it('should show a way forward on the 404 page: the phone window with its number and hours', () => {
    const notFound = renderNotFound();
    expect(notFound).toContain(ERROR_PAGE_TEXTS.notFound.phoneHint);
    expect(notFound).toContain('href="tel:+81367447492"');
    expect(notFound).toContain('03-6744-7492');
    expect(notFound).toContain('平日10:00〜18:00');
  });

  it('should render unbranded Japanese pages', () => {
    const notFound = renderNotFound();
    expect(notFound).toContain(ERROR_PAGE_TEXTS.notFound.heading);
    expect(notFound).not.toContain('site-header');
    const limited = renderErrorPage({ ...ERROR_PAGE_TEXTS.tooManyRequests, status: 429 });
    expect(limited).toContain(ERROR_PAGE_TEXTS.tooManyRequests.message);
    expect(limited).toContain('429');
  });
});
