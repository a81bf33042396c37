import { errorSummary, html, phrases, textArea, textField } from '@madoguchi/ui';
import { signatureBlock, type SignatureView } from '@madoguchi/tickets';
import {
  alertBox,
  type ConsoleViewer,
  csrfField,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import { SIGNATURE_TEXTS } from './signature.texts';

const S = SHARED_TEXTS;
const K = SIGNATURE_TEXTS;

export type SignatureFormErrors = Partial<Record<'signatureName' | 'signatureText', string>>;

export interface SignaturePageParams {
  viewer: ConsoleViewer;
  signature: SignatureView | null;
  /** The form as typed, kept on a 400. */
  typed?: { name: string; text: string };
  errors?: SignatureFormErrors;
  notice?: string | null;
  error?: string | null;
}

/** `/account/signature`: the name and lines appended to the agent's replies, with a preview. */
export function renderSignaturePage(p: SignaturePageParams): string {
  const errors = p.errors ?? {};
  const items = (['signatureName', 'signatureText'] as const).flatMap((field) =>
    errors[field] ? [{ field, message: errors[field] }] : [],
  );
  const name = p.typed?.name ?? p.signature?.name ?? '';
  const text = p.typed?.text ?? p.signature?.text ?? '';
  const preview = p.signature
    ? html`<pre class="signature-preview pre-wrap" id="signature-preview">
${signatureBlock(p.signature)}</pre>`
    : html`<p class="muted" id="signature-preview">${K.none}</p>`;
  const main = html`${errorSummary(items, S.validation.summaryTitle)}
    <h1>${phrases(K.heading)}</h1>
    <p>${K.intro}</p>
    ${noticeBox(p.notice)} ${alertBox(p.error)}
    <section class="card" aria-labelledby="signature-preview-heading">
      <h2 id="signature-preview-heading">${phrases(K.preview)}</h2>
      ${preview}
    </section>
    <form class="form card" method="post" action="/account/signature" accept-charset="UTF-8">
      ${csrfField(p.viewer.csrfToken)}
      ${textField({
        name: 'signatureName',
        label: K.name,
        hint: K.nameHint,
        value: name,
        error: errors.signatureName,
        maxLength: 100,
        optionalMark: S.common.optionalMark,
      })}
      ${textArea({
        name: 'signatureText',
        label: K.text,
        hint: K.textHint,
        value: text,
        error: errors.signatureText,
        maxLength: 500,
        rows: 4,
        optionalMark: S.common.optionalMark,
      })}
      <button class="btn btn--primary" type="submit">${K.submit}</button>
    </form>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: K.title,
    section: null,
    main,
    hasErrors: items.length > 0,
  });
}
