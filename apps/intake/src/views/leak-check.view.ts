import { button, formatText, html, SafeHtml, textField } from '@madoguchi/ui';
import { INTAKE_TEXTS } from '../i18n/ja';

const L = INTAKE_TEXTS.leakCheck;

/** The status page's "was my data included?" section, in one of its states. */
export type LeakCheckSection =
  | {
      kind: 'offer';
      /** Where 確認コードを送る posts. */
      requestAction: string;
      /** Where the code form posts; the form shows while a code is live or after an error. */
      verifyAction: string;
      showCodeForm: boolean;
      validMinutes: number;
      notice?: string;
      error?: string;
    }
  | { kind: 'no_email' }
  | {
      kind: 'result';
      /** The merchant-approved answer, placeholders filled; null: the neutral text. */
      answer: string | null;
    };

function codeForm(s: Extract<LeakCheckSection, { kind: 'offer' }>): SafeHtml {
  if (!s.showCodeForm) return html``;
  return html`<form class="form" method="post" action="${s.verifyAction}" accept-charset="UTF-8">
    ${textField({
      name: 'code',
      label: L.codeLabel,
      hint: formatText(L.codeHint, { minutes: s.validMinutes }),
      error: s.error,
      required: true,
      requiredMark: INTAKE_TEXTS.common.requiredMark,
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      maxLength: 12,
    })}
    ${button(L.verify)}
  </form>`;
}

export function leakCheckSection(s: LeakCheckSection | null | undefined): SafeHtml {
  if (!s) return html``;
  let body: SafeHtml;
  switch (s.kind) {
    case 'no_email':
      body = html`<p>${L.noEmail}</p>`;
      break;
    case 'result':
      body = html`<div class="notice" role="status" data-leak-check-result>
          <h3>${L.resultHeading}</h3>
          <span class="msg__body">${s.answer ?? L.neutral}</span>
        </div>
        <p class="small muted">${L.resultOnce}</p>`;
      break;
    case 'offer': {
      const notice = s.notice ? html`<div class="notice" role="status">${s.notice}</div>` : html``;
      const error =
        s.error && !s.showCodeForm
          ? html`<p class="field__error" role="alert">${s.error}</p>`
          : html``;
      body = html`<p>${L.intro}</p>
        ${notice} ${error} ${codeForm(s)}
        <form method="post" action="${s.requestAction}">
          ${button(s.showCodeForm ? L.requestAgain : L.request)}
        </form>`;
      break;
    }
  }
  return html`<section class="card" id="leak-check" aria-labelledby="leak-check-heading">
    <h2 id="leak-check-heading">${L.heading}</h2>
    ${body}
  </section>`;
}
