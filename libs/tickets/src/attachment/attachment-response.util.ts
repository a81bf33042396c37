import type { FastifyReply } from 'fastify';
import { ATTACHMENT_CONTENT_TYPES } from './attachment.constant';
import type { AttachmentFile } from './attachment.type';

/** What a browser may do with a downloaded attachment: nothing but save it. */
export const ATTACHMENT_RESPONSE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'",
  'cache-control': 'no-store',
} as const;

/**
 * Sends an attachment as a download, never inline: `Content-Disposition: attachment` with the
 * name in RFC 5987 form, no sniffing, a sandbox CSP (even opened directly, nothing runs), never
 * cached. The type is the one read from the bytes; anything unexpected goes as octet-stream.
 */
export function sendAttachment(
  reply: FastifyReply,
  file: Pick<AttachmentFile, 'filename' | 'contentType' | 'content'>,
): void {
  void reply
    .status(200)
    .headers({ ...ATTACHMENT_RESPONSE_HEADERS })
    .header('content-disposition', attachmentDisposition(file.filename))
    .type(responseContentType(file.contentType))
    .send(file.content);
}

/** `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266/5987). */
export function attachmentDisposition(filename: string): string {
  // Stored names are sanitised already; this keeps a header valid whatever it is given.
  // Control characters would break the header; a lone surrogate would break encodeURIComponent.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  const safe = filename.replace(/[\u0000-\u001f\u007f-\u009f]|\p{Cs}/gu, '');
  const fallback = safe.replace(/[^\x20-\x7e]|["\\%]/g, '_') || 'attachment';
  const encoded = encodeURIComponent(safe || 'attachment').replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function responseContentType(contentType: string): string {
  if (contentType === 'text/plain') return 'text/plain; charset=utf-8';
  return (ATTACHMENT_CONTENT_TYPES as readonly string[]).includes(contentType)
    ? contentType
    : 'application/octet-stream';
}
