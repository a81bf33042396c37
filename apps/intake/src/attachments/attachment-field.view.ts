import { attributes, fieldId, formatText, html, type SafeHtml } from '@madoguchi/ui';
import { INTAKE_ATTACHMENT_TEXTS } from './attachments.texts';
import { ATTACHMENT_FIELD, attachmentLimitsText } from './intake-multipart.hook';

const T = INTAKE_ATTACHMENT_TEXTS;

/** What the browser may offer to pick; the server decides the type from the bytes anyway. */
const ACCEPT = 'image/*,application/pdf,text/plain';

export interface AttachmentFieldOptions {
  /** A sentence on what is worth attaching here. */
  hint: string;
  /** Why the files were refused (a field error). */
  error?: string | null;
  /** The form comes back after files were sent: they must be chosen again (browsers never keep them). */
  filesSent?: number;
  optionalMark?: string;
}

/**
 * The optional file input of the form and of the status page's reply form, with the limits said
 * before they bite. No `capture`: the phone offers the camera, the photo library and files.
 */
export function attachmentField(options: AttachmentFieldOptions): SafeHtml {
  const id = fieldId(ATTACHMENT_FIELD);
  const error = options.error ?? null;
  const chooseAgain = (options.filesSent ?? 0) > 0;
  const describedBy = [
    error && `${id}-error`,
    chooseAgain && `${id}-again`,
    `${id}-limits`,
    `${id}-hint`,
  ]
    .filter(Boolean)
    .join(' ');
  const input = attributes({
    class: 'input',
    id,
    name: ATTACHMENT_FIELD,
    type: 'file',
    accept: ACCEPT,
    multiple: true,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy,
  });
  const optional = options.optionalMark
    ? html` <span class="tag tag--optional">${options.optionalMark}</span>`
    : html``;
  return html`<div class="field field--file${error ? ' field--invalid' : ''}">
    <label class="field__label" for="${id}">${T.label}${optional}</label>
    <p class="field__hint" id="${id}-hint">${options.hint}</p>
    <p class="field__hint" id="${id}-limits">${attachmentLimitsText()}</p>
    ${
      chooseAgain ? html`<p class="field__warning" id="${id}-again">${T.chooseAgain}</p>` : html``
    }<input ${input} />
    ${
      error
        ? html`<p class="field__error" id="${id}-error">
            <span class="field__error-icon" aria-hidden="true">!</span>${error}
          </p>`
        : html``
    }
  </div>`;
}

/** One file of a message on the status page, as the shopper may download it. */
export interface AttachmentLink {
  filename: string;
  size: number;
  url: string;
}

/** "120 KB", "1.4 MB": sizes as people read them. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The files under a message: each a download link (always saved, never shown inline). */
export function attachmentList(files: readonly AttachmentLink[]): SafeHtml {
  if (files.length === 0) return html``;
  const items = files.map((file) => {
    const size = formatFileSize(file.size);
    return html`<li>
      <a
        href="${file.url}"
        download
        aria-label="${formatText(T.download, { filename: file.filename, size })}"
        >${file.filename}</a
      >
      <span class="small muted">（${size}）</span>
    </li>`;
  });
  return html`<div class="msg__attachments">
    <p class="small">${T.listLabel}</p>
    <ul>
      ${items}
    </ul>
  </div>`;
}
