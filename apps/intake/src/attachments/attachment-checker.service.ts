import { Injectable } from '@nestjs/common';
import { AttachmentInspector, AttachmentRefusedError, type CleanFile } from '@madoguchi/tickets';
import type { IntakeForm } from './intake-multipart.hook';

export type CheckedAttachments = { ok: true; files: CleanFile[] } | { ok: false; error: string };

/**
 * The files of a shopper's form, checked before anything is stored: a limit the upload already
 * broke, or the AttachmentInspector's verdict from the bytes (type, size, image metadata
 * stripped). A refusal is one Japanese message for the file field.
 */
@Injectable()
export class AttachmentChecker {
  constructor(private readonly inspector: AttachmentInspector) {}

  async check(form: IntakeForm): Promise<CheckedAttachments> {
    if (form.refusal !== null) return { ok: false, error: form.refusal };
    if (form.files.length === 0) return { ok: true, files: [] };
    try {
      return { ok: true, files: await this.inspector.inspect(form.files) };
    } catch (error) {
      if (!(error instanceof AttachmentRefusedError)) throw error;
      const messages = error.fieldErrors.map((fieldError) => fieldError.message);
      return { ok: false, error: messages.length > 0 ? messages.join(' ') : error.message };
    }
  }
}
