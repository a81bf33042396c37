import { ATTACHMENT_LIMITS, type AttachmentInfo } from '@madoguchi/tickets';
import { fileField, formatFileSize, formatText, html, type SafeHtml } from '@madoguchi/ui';
import { ATTACHMENT_PART_TEXTS } from './attachments.texts';

const T = ATTACHMENT_PART_TEXTS;
const MIB = 1024 * 1024;

/** The form field the files come in (the services report refusals under the same name). */
export const ATTACHMENTS_INPUT_NAME = 'attachments';

/** What the browser may offer to pick; the desk decides the type from the bytes anyway. */
const ACCEPT = 'image/jpeg,image/png,image/gif,image/webp,application/pdf,text/plain';

export function attachmentTypeLabel(contentType: string): string {
  return T.types[contentType] ?? T.otherType;
}

/**
 * The files of one message: name, type and size, each a download link that the scoped route
 * serves as an attachment (never shown inline). Empty when the message has none.
 */
export function messageAttachments(
  files: readonly AttachmentInfo[] | undefined,
  hrefOf: (file: AttachmentInfo) => string,
): SafeHtml {
  if (!files || files.length === 0) return html``;
  const items = files.map((file) => {
    const type = attachmentTypeLabel(file.contentType);
    const size = formatFileSize(file.size);
    return html`<li class="attachment">
      <a
        href="${hrefOf(file)}"
        data-attachment-id="${file.id}"
        download
        aria-label="${formatText(T.download, { filename: file.filename, type, size })}"
        >${file.filename}</a
      >
      <span class="attachment__meta small muted">${type}・${size}</span>
    </li>`;
  });
  return html`<div class="msg__attachments">
    <p class="msg__attachments-label small">${T.listLabel}</p>
    <ul class="attachment-list">
      ${items}
    </ul>
  </div>`;
}

export interface AttachmentInputOptions {
  /** The control's id (`f-reply-attachments`); its error, hint and limits ids derive from it. */
  id: string;
  /** What happens to the files (mailed with the reply, or kept internal). */
  hint: string;
  error?: string | null;
  /** Files had been chosen when the form came back: browsers never keep them. */
  filesSent?: boolean;
  optionalMark: string;
}

/** The optional multi-file input of the agent's reply and note, with the limits said up front. */
export function attachmentInput(options: AttachmentInputOptions): SafeHtml {
  return fileField({
    id: options.id,
    name: ATTACHMENTS_INPUT_NAME,
    label: T.fieldLabel,
    optionalMark: options.optionalMark,
    hint: options.hint,
    limits: formatText(T.limits, {
      maxFiles: ATTACHMENT_LIMITS.maxFiles,
      maxFileMb: ATTACHMENT_LIMITS.maxFileBytes / MIB,
      maxTotalMb: ATTACHMENT_LIMITS.maxTotalBytes / MIB,
    }),
    accept: ACCEPT,
    error: options.error,
    chooseAgain: options.filesSent ? T.chooseAgain : null,
    inputClass: 'input input--file',
  });
}
