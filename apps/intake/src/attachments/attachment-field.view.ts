import { fieldId, fileField, formatFileSize, formatText, html, type SafeHtml } from '@madoguchi/ui';
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

/** The optional file input of the form and of the status page's reply form. */
export function attachmentField(options: AttachmentFieldOptions): SafeHtml {
  return fileField({
    id: fieldId(ATTACHMENT_FIELD),
    name: ATTACHMENT_FIELD,
    label: T.label,
    optionalMark: options.optionalMark,
    hint: options.hint,
    limits: attachmentLimitsText(),
    accept: ACCEPT,
    error: options.error,
    chooseAgain: (options.filesSent ?? 0) > 0 ? T.chooseAgain : null,
  });
}

/** One file of a message on the status page, as the shopper may download it. */
export interface AttachmentLink {
  filename: string;
  size: number;
  url: string;
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
