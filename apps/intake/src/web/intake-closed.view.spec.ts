import { site } from '../../../../test/support/intake-view-fixtures';
import { INTAKE_CLOSED_TEXTS } from './intake-closed.texts';
import { renderIntakeClosed } from './intake-closed.view';

describe('renderIntakeClosed', () => {
  it('should name the merchant contact and link it only when it is http(s)', () => {
    const page = renderIntakeClosed({
      site,
      reason: 'support_ended',
      contactUrl: 'https://shop.example.jp/contact',
      contactText: '<営業時間>',
    });
    expect(page).toContain(INTAKE_CLOSED_TEXTS.supportEndedTitle);
    expect(page).toContain('href="https://shop.example.jp/contact"');
    expect(page).toContain('&lt;営業時間&gt;');

    const bad = renderIntakeClosed({
      site,
      reason: 'closed',
      contactUrl: 'javascript:alert(1)',
      contactText: null,
    });
    expect(bad).toContain(INTAKE_CLOSED_TEXTS.closedTitle);
    expect(bad).not.toContain('javascript:');
    expect(bad).toContain(INTAKE_CLOSED_TEXTS.contactFallback);
  });
});
