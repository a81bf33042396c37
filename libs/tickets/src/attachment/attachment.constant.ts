/** Per message: how many files, how large each, how large together (after metadata stripping). */
export const ATTACHMENT_LIMITS = {
  maxFiles: 5,
  maxFileBytes: 5 * 1024 * 1024,
  maxTotalBytes: 15 * 1024 * 1024,
} as const;

/** The types a file may have, decided from its bytes; everything else is refused. */
export const ATTACHMENT_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
] as const;
export type AttachmentContentType = (typeof ATTACHMENT_CONTENT_TYPES)[number];

/** The extension a stored file name ends in, per type (the name the sender gave is not trusted). */
export const ATTACHMENT_EXTENSIONS: Record<AttachmentContentType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'log', 'csv'],
};

/**
 * A decompression bomb is refused from its header: a small file that claims a huge canvas would
 * take gigabytes to decode in any viewer or thumbnailer.
 */
export const IMAGE_LIMITS = { maxPixels: 50_000_000, maxSide: 20_000 } as const;

/** Longest stored file name, in characters (extension included). */
export const ATTACHMENT_FILENAME_MAX_LENGTH = 120;

/** Raw bytes per AttachmentPart: sealed base64 of 32 KiB stays below 60,000 characters. */
export const ATTACHMENT_PART_BYTES = 32 * 1024;
