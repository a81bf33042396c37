import {
  button,
  errorSummary,
  formatText,
  html,
  phrases,
  SafeHtml,
  textField,
} from '@madoguchi/ui';
import { INTAKE_SHARED_TEXTS } from '../web/shared.texts';
import { LEAK_CHECK_TEXTS } from './leak-check.texts';

const L = LEAK_CHECK_TEXTS;

/** A refused request for a code (`request`) or a refused code (`verify`), in shopper's words. */
export interface LeakCheckError {
  step: 'request' | 'verify';
  message: string;
}

/** The status page's "was my data included?" section, in one of its states. */
export type LeakCheckSection =
  | {
      kind: 'offer';
      /** Where the request for a code posts. */
      requestAction: string;
      /** Where the code form posts; the form shows while a code is live or after an error. */
      verifyAction: string;
      showCodeForm: boolean;
      validMinutes: number;
      notice?: string;
      error?: LeakCheckError;
    }
  | { kind: 'no_email' }
  | {
      kind: 'result';
      /** The merchant-approved answer, placeholders filled; null: the neutral text. */
      answer: string | null;
    };

type LeakCheckOffer = Extract<LeakCheckSection, { kind: 'offer' }>;

/** True when the section shows an error: the page's <title> then says エラー too. */
export function leakCheckHasError(s: LeakCheckSection | null | undefined): boolean {
  return s?.kind === 'offer' && s.error !== undefined;
}

/**
 * Like the form's errors: a summary that takes focus on load (errorSummary autofocuses it),
 * linked to the code field for a refused code; otherwise the request button follows below it.
 * Inside the section, not at the top of the page, so the next Tab reaches the way on.
 */
function leakCheckErrorSummary(s: LeakCheckOffer): SafeHtml {
  if (!s.error) return html``;
  const title = s.error.step === 'request' ? L.requestErrorTitle : L.verifyErrorTitle;
  const field = s.showCodeForm && s.error.step === 'verify' ? 'code' : null;
  return errorSummary([{ field, message: s.error.message }], title);
}

function codeForm(s: LeakCheckOffer): SafeHtml {
  if (!s.showCodeForm) return html``;
  return html`<form class="form" method="post" action="${s.verifyAction}" accept-charset="UTF-8">
    ${textField({
      name: 'code',
      label: L.codeLabel,
      hint: formatText(L.codeHint, { minutes: s.validMinutes }),
      error: s.error?.step === 'verify' ? s.error.message : undefined,
      required: true,
      requiredMark: INTAKE_SHARED_TEXTS.common.requiredMark,
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      maxLength: 12,
    })}
    ${button(L.verify)}
  </form>`;
}

/** Asking for a code: the one filled button at first; beside a code form, the outlined one. */
function requestForm(s: LeakCheckOffer): SafeHtml {
  if (!s.showCodeForm) {
    return html`<form method="post" action="${s.requestAction}">${button(L.request)}</form>`;
  }
  return html`<form method="post" action="${s.requestAction}">
    <p class="small muted">${L.requestAgainHint}</p>
    ${button(L.requestAgain, { variant: 'secondary' })}
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
          <h3>${phrases(L.resultHeading)}</h3>
          <span class="msg__body">${s.answer ?? L.neutral}</span>
        </div>
        <p class="small muted">${L.resultOnce}</p>`;
      break;
    case 'offer': {
      const notice = s.notice ? html`<div class="notice" role="status">${s.notice}</div>` : html``;
      body = html`<p>${L.intro}</p>
        ${notice} ${leakCheckErrorSummary(s)} ${codeForm(s)} ${requestForm(s)}`;
      break;
    }
  }
  return html`<section class="card" id="leak-check" aria-labelledby="leak-check-heading">
    <h2 id="leak-check-heading">${phrases(L.heading)}</h2>
    ${body}
  </section>`;
}
