import { formatText, html } from '@madoguchi/ui';
import { INTAKE_TEXTS } from '../i18n/ja';
import { phoneWindow, renderIntakePage } from './intake-page.view';

const T = INTAKE_TEXTS;

export interface ErrorPageParams {
  title: string;
  message: string;
  status: number;
  /** The request's id (X-Request-Id): the operator finds the log lines by it. */
  requestId?: string;
}

/** 404 for an unknown site or status link. Deliberately unbranded: it must not reveal what exists. */
export function renderNotFound(): string {
  const main = html`<h1>${T.notFound.heading}</h1>
    <div class="card">
      <p>${T.notFound.message}</p>
      <p class="small muted">${T.notFound.mailLinkHint}</p>
    </div>`;
  return renderIntakePage({ site: null, title: T.notFound.title, main });
}

/** 429, 413, 503, 500: texts from INTAKE_TEXTS.errors; the phone window stays reachable. */
export function renderErrorPage(p: ErrorPageParams): string {
  const main = html`<h1>${p.title}</h1>
    <div class="card">
      <p>${p.message}</p>
      <p class="small muted">${formatText(T.errors.statusCode, { status: p.status })}</p>
      ${
        p.requestId
          ? html`<p class="small muted request-id">
              ${formatText(T.errors.requestId, { id: p.requestId })}
            </p>`
          : ''
      }
    </div>
    ${phoneWindow(null)}`;
  return renderIntakePage({ site: null, title: p.title, main });
}
