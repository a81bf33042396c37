import { attributes } from './components';
import { html, type SafeHtml } from './html.util';

const MIB = 1024 * 1024;

/** "120 KB", "1.4 MB": sizes as people read them. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MIB) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / MIB).toFixed(1)} MB`;
}

export interface FileFieldOptions {
  id: string;
  name: string;
  label: string;
  /** The "optional" tag beside the label, in the screen's words. */
  optionalMark?: string;
  /** A sentence on what is worth attaching here. */
  hint: string;
  /** The limits, said before they bite. */
  limits: string;
  /** What the browser may offer to pick; the server decides the type from the bytes anyway. */
  accept: string;
  /** Why the files were refused (a field error). */
  error?: string | null;
  /** Said when the form came back after files were sent: browsers never keep them. */
  chooseAgain?: string | null;
  inputClass?: string;
}

/**
 * A multi-file input with its label, hint, limits and error, described for screen readers in
 * the order they matter. No `capture`: a phone offers the camera, the photo library and files.
 */
export function fileField(options: FileFieldOptions): SafeHtml {
  const { id } = options;
  const error = options.error ?? null;
  const chooseAgain = options.chooseAgain ?? null;
  const describedBy = [
    error && `${id}-error`,
    chooseAgain && `${id}-again`,
    `${id}-hint`,
    `${id}-limits`,
  ]
    .filter(Boolean)
    .join(' ');
  const input = attributes({
    class: options.inputClass ?? 'input',
    id,
    name: options.name,
    type: 'file',
    accept: options.accept,
    multiple: true,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy,
  });
  const optional = options.optionalMark
    ? html` <span class="tag tag--optional">${options.optionalMark}</span>`
    : html``;
  return html`<div class="field field--file${error ? ' field--invalid' : ''}">
    <label class="field__label" for="${id}">${options.label}${optional}</label>
    <p class="field__hint" id="${id}-hint">${options.hint}</p>
    <p class="field__hint" id="${id}-limits">${options.limits}</p>
    ${
      chooseAgain ? html`<p class="field__warning" id="${id}-again">${chooseAgain}</p>` : html``
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
