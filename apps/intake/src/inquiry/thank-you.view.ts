import { formatText, html, phrases } from '@madoguchi/ui';
import { INTAKE_ATTACHMENT_TEXTS } from '../attachments/attachments.texts';
import { phoneWindow, renderIntakePage } from '../web/intake-page.view';
import type { SiteBranding } from '../web/site-branding.type';
import { THANK_YOU_TEXTS } from './thank-you.texts';

const T = THANK_YOU_TEXTS;

export interface ThankYouParams {
  site: SiteBranding;
  /** Null when the link carried no valid reference: the page then points to the mail instead. */
  reference: string | null;
  /** How many files came with the inquiry (0: nothing is said about files). */
  filesReceived?: number;
  /** Where the receipt went, already masked (t***@e***.jp); null says "the address you gave". */
  receiptTo?: string | null;
  /** When the first answer can be expected (a sentence of expected-answer.text in @madoguchi/tickets). */
  expectedAnswer: string;
}

export function renderThankYou(p: ThankYouParams): string {
  // The reference is large and letter-spaced (CSS) so it can be read out over the phone.
  const reference =
    p.reference === null
      ? html`<p>${T.referenceInMail}</p>`
      : html`<p class="reference">${p.reference}</p>
          <p>${T.referenceHint}</p>`;
  const mailSent = p.receiptTo
    ? html`<p>${T.mailSentTo}</p>
        <p class="receipt-address" translate="no">${p.receiptTo}</p>
        <p>${T.mailLinkNote}</p>`
    : html`<p>${T.mailSent}</p>`;
  const main = html`<h1>${phrases(T.heading)}</h1>
    <section class="card" aria-labelledby="reference-heading">
      <h2 id="reference-heading">${phrases(T.referenceLabel)}</h2>
      ${reference}
    </section>
    <div class="card">
      ${
        p.filesReceived
          ? html`<p>${formatText(INTAKE_ATTACHMENT_TEXTS.received, { count: p.filesReceived })}</p>`
          : html``
      }
      ${mailSent}
      <p class="small muted">${T.mailNotArrived}</p>
      <p class="small muted">${T.privateLinkNote}</p>
    </div>
    <section class="card" aria-labelledby="next-heading">
      <h2 id="next-heading">${phrases(T.nextHeading)}</h2>
      <p class="expected-answer">
        <strong>${T.expectedAnswerLabel}</strong><span>${p.expectedAnswer}</span>
      </p>
      <ol class="steps">
        ${T.nextSteps.map((step) => html`<li>${step}</li>`)}
      </ol>
    </section>
    ${phoneWindow(p.site)}`;
  return renderIntakePage({ site: p.site, title: T.title, main });
}
