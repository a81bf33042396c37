import { flat, site } from '../../../../test/support/intake-view-fixtures';
import { THANK_YOU_TEXTS } from './thank-you.texts';
import { renderThankYou } from './thank-you.view';

const expectedAnswer = '通常、1営業日以内（12月7日(月) 18:00 頃まで）にご回答します。';

describe('renderThankYou', () => {
  it('should show where the receipt went, masked, and when the answer is due', () => {
    const page = flat(
      renderThankYou({ site, reference: 'MDG-1', receiptTo: 't***@e***.jp', expectedAnswer }),
    );
    expect(page).toContain(THANK_YOU_TEXTS.mailSentTo);
    expect(page).toContain('<p class="receipt-address" translate="no">t***@e***.jp</p>');
    expect(page).not.toContain(THANK_YOU_TEXTS.mailSent);
    expect(page).toContain(
      `<p class="expected-answer"><strong>回答の目安</strong><span>${expectedAnswer}</span></p>`,
    );
  });

  it('should show the escaped reference, the mail notice and the phone window', () => {
    const page = flat(renderThankYou({ site, reference: 'MDG-<1>', expectedAnswer }));
    expect(page).toContain(
      '<h2 id="reference-heading">受付番号</h2><p class="reference">MDG-&lt;1&gt;</p>',
    );
    expect(page).toContain(THANK_YOU_TEXTS.mailSent);
    expect(page).toContain('tel:+81367447492');
  });

  it('should point to the mail when there is no valid reference', () => {
    const page = renderThankYou({ site, reference: null, expectedAnswer });
    expect(page).not.toContain('class="reference"');
    expect(page).toContain(THANK_YOU_TEXTS.referenceInMail);
  });
});
