import { Injectable } from '@nestjs/common';
import { fromBuffer } from 'file-type';
import { ATTACHMENT_LIMITS, type AttachmentContentType, IMAGE_LIMITS } from './attachment.constant';
import { sanitiseFilename } from './attachment-filename.util';
import { AttachmentRefusedError } from './attachment-refused.error';
import { ATTACHMENT_TEXTS } from './attachment.texts';
import type { CleanFile, IncomingFile } from './attachment.type';
import { BrokenImageError, type ImageType, stripImageMetadata } from './image-metadata.util';
import { isPlainText } from './plain-text.util';

/** The binary types accepted as `file-type` names them from the bytes. */
const DETECTED_TYPES: ReadonlySet<string> = new Set<AttachmentContentType>([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
]);

type Verdict = { file: CleanFile } | { refusal: string };

/**
 * The one gate every attachment passes before it is stored or sent, whatever brought it (form,
 * status page, mail, agent): the type is read from the bytes (`file-type`), never from the
 * name or a header; images lose their metadata and are refused when their headers claim a
 * canvas too large to decode safely; names are sanitised and get the extension of their type.
 * Every problem of every file is reported at once, in Japanese; nothing is accepted then.
 *
 * Stateless: call `AttachmentInspector.inspect(files)`, or inject it and call `inspect` on it.
 */
@Injectable()
export class AttachmentInspector {
  static async inspect(files: readonly IncomingFile[]): Promise<CleanFile[]> {
    if (files.length > ATTACHMENT_LIMITS.maxFiles) {
      throw new AttachmentRefusedError([ATTACHMENT_TEXTS.tooMany]);
    }
    const verdicts: Verdict[] = [];
    for (const file of files) verdicts.push(await inspectOne(file));
    const refusals = verdicts.flatMap((verdict) => ('refusal' in verdict ? [verdict.refusal] : []));
    if (refusals.length > 0) throw new AttachmentRefusedError(refusals);
    const clean = verdicts.flatMap((verdict) => ('file' in verdict ? [verdict.file] : []));
    const total = clean.reduce((sum, file) => sum + file.bytes.length, 0);
    if (total > ATTACHMENT_LIMITS.maxTotalBytes) {
      throw new AttachmentRefusedError([ATTACHMENT_TEXTS.totalTooLarge]);
    }
    return clean;
  }

  inspect(files: readonly IncomingFile[]): Promise<CleanFile[]> {
    return AttachmentInspector.inspect(files);
  }
}

async function inspectOne(file: IncomingFile): Promise<Verdict> {
  // The name in a message is sanitised too: a refusal must not echo a direction override.
  const shownName = sanitiseFilename(file.filename);
  if (file.bytes.length === 0) return { refusal: ATTACHMENT_TEXTS.empty(shownName) };
  if (file.bytes.length > ATTACHMENT_LIMITS.maxFileBytes) {
    return { refusal: ATTACHMENT_TEXTS.tooLarge(shownName) };
  }
  const detected = await fromBuffer(file.bytes).catch(() => undefined);
  let contentType: AttachmentContentType;
  if (detected && DETECTED_TYPES.has(detected.mime)) {
    contentType = detected.mime as AttachmentContentType;
  } else if (!detected && isPlainText(file.bytes)) {
    contentType = 'text/plain';
  } else {
    return { refusal: ATTACHMENT_TEXTS.typeNotAllowed(shownName) };
  }
  let bytes = file.bytes;
  if (contentType.startsWith('image/')) {
    try {
      const image = stripImageMetadata(contentType as ImageType, file.bytes);
      if (
        image.width > IMAGE_LIMITS.maxSide ||
        image.height > IMAGE_LIMITS.maxSide ||
        image.width * image.height > IMAGE_LIMITS.maxPixels
      ) {
        return { refusal: ATTACHMENT_TEXTS.imageTooLarge(shownName) };
      }
      bytes = image.bytes;
    } catch (error) {
      if (error instanceof BrokenImageError) {
        return { refusal: ATTACHMENT_TEXTS.brokenImage(shownName) };
      }
      throw error;
    }
  }
  return {
    file: { filename: sanitiseFilename(file.filename, contentType), contentType, bytes },
  };
}
