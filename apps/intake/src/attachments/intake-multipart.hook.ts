import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import {
  ATTACHMENT_LIMITS,
  ATTACHMENT_TEXTS as ATTACHMENT_REFUSAL_TEXTS,
  type IncomingFile,
} from '@madoguchi/tickets';
import { formatText } from '@madoguchi/ui';
import { INTAKE_ATTACHMENT_TEXTS } from './attachments.texts';

/** The form field that carries the files (DESIGN: `attachments`, up to 5 files). */
export const ATTACHMENT_FIELD = 'attachments';

/** The only intake routes that take multipart/form-data (a file input needs it). */
export const INTAKE_MULTIPART_ROUTES: ReadonlySet<string> = new Set([
  '/s/:site',
  '/status/:token/replies',
]);

/**
 * File parts read before the form is refused outright (413). More than
 * ATTACHMENT_LIMITS.maxFiles are still read (and dropped), so a shopper who picked too many
 * gets the form back with the text kept and a field error, not an error page.
 */
const MAX_FILE_PARTS = 20;
const MAX_FIELD_PARTS = 20;
/** Room for the part headers and boundaries around the fields and files. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const MB = 1024 * 1024;
const LIMIT_FIGURES = {
  maxFiles: ATTACHMENT_LIMITS.maxFiles,
  maxFileMb: ATTACHMENT_LIMITS.maxFileBytes / MB,
  maxTotalMb: ATTACHMENT_LIMITS.maxTotalBytes / MB,
};

/** A form as a handler reads it: the text fields, the files, and why the files were refused. */
export interface IntakeForm {
  fields: Record<string, unknown>;
  files: IncomingFile[];
  /** How many files the shopper sent (refused ones included): the re-rendered form says so. */
  filesSent: number;
  /** A Japanese message for the file field when a limit refused them (nothing is kept then). */
  refusal: string | null;
}

type MultipartPart =
  | {
      type: 'file';
      fieldname: string;
      filename: string | undefined;
      file: { truncated: boolean };
      toBuffer(): Promise<Buffer>;
    }
  | { type: 'field'; fieldname: string; value: unknown; valueTruncated: boolean };

interface MultipartRequest {
  isMultipart(): boolean;
  parts(): AsyncIterableIterator<MultipartPart>;
}

function httpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode });
}

function isMultipart(request: FastifyRequest): boolean {
  const upload = request as unknown as Partial<MultipartRequest>;
  return typeof upload.isMultipart === 'function' && upload.isMultipart();
}

/**
 * @fastify/multipart for the form and the status page's reply only: any other route answers
 * 415 to multipart. The whole body is bounded before a byte of it is read: a Content-Length is
 * required (browsers always send one for a form) and may not exceed the attachments' total
 * plus the text fields' own limit (the intake's body limit), else 413. The parts are read by the
 * handler ({@link readIntakeForm}) in memory, never to disk.
 */
export async function registerIntakeMultipart(
  app: NestFastifyApplication,
  fieldBytesLimit: number,
): Promise<void> {
  await app.register(multipart, {
    limits: {
      fileSize: ATTACHMENT_LIMITS.maxFileBytes,
      files: MAX_FILE_PARTS,
      fields: MAX_FIELD_PARTS,
      fieldSize: fieldBytesLimit,
      parts: MAX_FILE_PARTS + MAX_FIELD_PARTS,
    },
    // A file over the size is cut short and marked; the handler turns it into a field error.
    throwFileSizeLimit: false,
  });
  const bodyLimit = ATTACHMENT_LIMITS.maxTotalBytes + fieldBytesLimit + MULTIPART_OVERHEAD_BYTES;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preValidation', async (request, reply) => {
    if (!isMultipart(request)) return;
    const route = request.routeOptions.url;
    if (request.method !== 'POST' || route === undefined || !INTAKE_MULTIPART_ROUTES.has(route)) {
      throw httpError(415, 'multipart/form-data is not accepted on this route');
    }
    const declared = request.headers['content-length'];
    if (declared === undefined) {
      void reply.header('connection', 'close');
      throw httpError(411, 'a multipart body needs a Content-Length');
    }
    if (Number(declared) > bodyLimit) {
      // Refused unread: close the connection rather than read the rest of the upload.
      void reply.header('connection', 'close');
      throw httpError(413, 'multipart body too large');
    }
  });
}

/**
 * The form's fields and files, from a multipart body or a form-encoded one (no files then).
 * Empty file inputs (a part with no name and no bytes) are skipped. Limits on the files become
 * {@link IntakeForm.refusal} with every file dropped, so the handler re-renders the form with
 * the text kept; the file types are the AttachmentInspector's to judge.
 */
export async function readIntakeForm(request: FastifyRequest): Promise<IntakeForm> {
  if (!isMultipart(request)) {
    const body = request.body;
    const fields =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    return { fields, files: [], filesSent: 0, refusal: null };
  }
  const fields: Record<string, unknown> = {};
  const files: IncomingFile[] = [];
  const tooLarge: string[] = [];
  let filesSent = 0;
  let totalBytes = 0;
  let fieldBytes = 0;
  for await (const part of (request as unknown as MultipartRequest).parts()) {
    if (part.type === 'field') {
      const value = typeof part.value === 'string' ? part.value : '';
      fieldBytes += Buffer.byteLength(part.fieldname) + Buffer.byteLength(value);
      // The same bound as a form-encoded body: the text never exceeds the intake's body limit.
      if (part.valueTruncated || fieldBytes > request.routeOptions.bodyLimit) {
        throw httpError(413, 'multipart text fields too large');
      }
      fields[part.fieldname] ??= value;
      continue;
    }
    const bytes = await part.toBuffer();
    // A part without a file name comes from an empty file input (or a careless client).
    const filename = typeof part.filename === 'string' ? part.filename : '';
    if (filename === '' && bytes.length === 0) continue;
    // Files under another name are read (to reach the parts after them) and dropped.
    if (part.fieldname !== ATTACHMENT_FIELD) continue;
    filesSent += 1;
    if (part.file.truncated) {
      tooLarge.push(filename);
      continue;
    }
    totalBytes += bytes.length;
    files.push({ filename, bytes });
  }
  const refusal = refusalOf(filesSent, tooLarge, totalBytes);
  return { fields, files: refusal === null ? files : [], filesSent, refusal };
}

function refusalOf(filesSent: number, tooLarge: string[], totalBytes: number): string | null {
  const R = ATTACHMENT_REFUSAL_TEXTS;
  if (filesSent > ATTACHMENT_LIMITS.maxFiles) return R.tooMany;
  // The name as the browser sent it, cut short: it is only echoed back (escaped) in the error.
  if (tooLarge.length > 0) return R.tooLarge([...tooLarge[0]].slice(0, 60).join(''));
  if (totalBytes > ATTACHMENT_LIMITS.maxTotalBytes) return R.totalTooLarge;
  return null;
}

/** The limits in the shopper's words, shown beside every file input. */
export function attachmentLimitsText(): string {
  return formatText(INTAKE_ATTACHMENT_TEXTS.limits, LIMIT_FIGURES);
}
