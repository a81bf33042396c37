import { formatText, html, phrases } from '@madoguchi/ui';
import { type ConsoleViewer, isMerchantViewer, renderConsolePage } from './layout.view';
import { SHARED_TEXTS } from './shared.texts';

const T = SHARED_TEXTS.errors;

export interface DeskErrorPageParams {
  title: string;
  message: string;
  status: number;
  /** The request's id (X-Request-Id): support finds the log lines by it. */
  requestId?: string;
  /** The signed-in user when known: keeps the header and its nav. */
  viewer?: ConsoleViewer | null;
  /** Where to go next: the queues or the portal's cases (signed in), or the login page. */
  next?: 'queues' | 'login';
}

/** 400, 401, 403, 404, 409, 5xx of the desk's HTML routes, in Japanese. */
export function renderDeskErrorPage(p: DeskErrorPageParams): string {
  const next =
    p.next === 'login'
      ? html`<a class="btn" href="/login">${T.login}</a>`
      : p.viewer && isMerchantViewer(p.viewer)
        ? html`<a class="btn" href="/portal/cases">${T.backToCases}</a>`
        : html`<a class="btn" href="/">${T.backToQueues}</a>`;
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
    <p>${next}</p>`;
  return renderConsolePage({ viewer: p.viewer ?? null, title: p.title, section: null, main });
}
