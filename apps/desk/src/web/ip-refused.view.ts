import { formatText, html, phrases } from '@madoguchi/ui';
import { renderConsolePage } from './layout.view';
import { SHARED_TEXTS as T } from './shared.texts';

const R = T.ipRefused;

export interface IpRefusedParams {
  /** The client address as the desk saw it (after a trusted proxy's X-Forwarded-For). */
  ip: string | null;
  /** Whose list refused: a merchant's users ask their merchant admin, staff the operator. */
  audience: 'merchant' | 'staff';
}

/**
 * The 403 a browser gets from outside the allowed networks. No nav and no logout form: every
 * route, logout included, is refused from this address, so the page only says why and whom to ask.
 */
export function renderIpRefusedPage(p: IpRefusedParams): string {
  const main = html`<h1>${phrases(R.title)}</h1>
    <div class="card" role="alert">
      <p>${R.message}</p>
      <p>
        <span class="literal">${formatText(R.ip, { ip: p.ip ?? R.unknownIp })}</span>
      </p>
      <p>${p.audience === 'merchant' ? R.merchantContact : R.staffContact}</p>
      <p class="small muted">${formatText(T.errors.statusCode, { status: 403 })}</p>
    </div>`;
  return renderConsolePage({ viewer: null, title: R.title, section: null, main, hasErrors: true });
}
