import { formatText, html, phrases } from '@madoguchi/ui';
import { ERROR_PAGE_TEXTS } from './error-page.texts';
import { phoneWindow, renderIntakePage } from './intake-page.view';

const T = ERROR_PAGE_TEXTS;

export interface ErrorPageParams {
  title: string;
  message: string;
  status: number;
  /** The request's id (X-Request-Id): the operator finds the log lines by it. */
  requestId?: string;
}

/**
 * 404 for an unknown site or status link. Deliberately unbranded: it must not reveal what
 * exists. Still a way forward: the phone window, which answers for every shop.
 */
export function renderNotFound(): string {
  const main = html`<h1>${phrases(T.notFound.heading)}</h1>
    <div class="card">
      <p>${T.notFound.message}</p>
      <p class="small muted">${T.notFound.mailLinkHint}</p>
      <p>${T.notFound.phoneHint}</p>
    </div>
    ${phoneWindow(null)}`;
  return renderIntakePage({ site: null, title: T.notFound.title, main });
}

/** 429, 413, 503, 500: texts from ERROR_PAGE_TEXTS; the phone window stays reachable. */
export function renderErrorPage(p: ErrorPageParams): string {
  const main = html`<h1>${phrases(p.title)}</h1>
    <div class="card">
      <p>${p.message}</p>
      <p class="small muted">${formatText(T.statusCode, { status: p.status })}</p>
      ${
        p.requestId
          ? html`<p class="small muted request-id">
              ${formatText(T.requestId, { id: p.requestId })}
            </p>`
          : ''
      }
    </div>
    ${phoneWindow(null)}`;
  return renderIntakePage({ site: null, title: p.title, main });
}
