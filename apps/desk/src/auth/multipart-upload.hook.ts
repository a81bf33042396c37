import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException, ErrorCode } from '@madoguchi/common';
import type { MultipartLimits } from './auth.decorators';
import { AUTH_ERROR_TEXTS } from './auth-errors.texts';
import { CSRF_FORM_FIELD, csrfTokenMatches } from './csrf.util';
import { type RouteRule, routeRules } from './pre-body-gate.hook';

declare module 'fastify' {
  interface FastifyRequest {
    /** The limits of the multipart route this request reached (set before its handler runs). */
    multipartLimits?: MultipartLimits;
  }
}

/** A file part as a handler receives it (bytes in memory, never on disk). */
export interface UploadedFile {
  /** The form field it came in (`file`, `attachments`). */
  fieldname: string;
  filename: string;
  bytes: Buffer;
  /** Larger than the route's `fileBytes` (overLimit `report`): the bytes are cut there. */
  truncated: boolean;
}

/** The form's text fields (the first of a repeated one) and its files, in the order sent. */
export interface MultipartForm {
  fields: Record<string, string>;
  files: UploadedFile[];
  /** More files than the route's `files` came (overLimit `report`); the rest was not read. */
  tooManyFiles: boolean;
}

interface FilePart {
  type: 'file';
  fieldname: string;
  filename: string;
  file: { truncated: boolean };
  toBuffer(): Promise<Buffer>;
}

interface FieldPart {
  type: 'field';
  fieldname: string;
  value: unknown;
  valueTruncated?: boolean;
}

interface MultipartRequest {
  isMultipart(): boolean;
  parts(options: {
    limits: { files: number; fileSize: number; fields: number; fieldSize: number; parts: number };
    throwFileSizeLimit: boolean;
  }): AsyncIterableIterator<FilePart | FieldPart>;
}

function unsupported(): Error {
  return Object.assign(new Error('multipart/form-data is not accepted on this route'), {
    statusCode: 415,
  });
}

function tooLarge(): DomainException {
  return new DomainException(ErrorCode.PayloadTooLarge, AUTH_ERROR_TEXTS.tooLarge);
}

function isFilesLimit(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'FST_FILES_LIMIT';
}

/** A parsed form or query body as strings (what a non-multipart post to the route sent). */
function textFieldsOf(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) return fields;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') fields[name] = first;
  }
  return fields;
}

/**
 * @fastify/multipart for the routes marked @CsrfInMultipartParts(limits) only (the affected-list
 * upload, the agent's reply and note): any other route answers 415 to multipart. The plugin's
 * parser reads nothing by itself: the parts are read by the handler ({@link readMultipartForm}),
 * after the session guard checked the session, the IP list and the role, so nothing large is
 * read before authentication; each route's own limits are passed to the parser then. By
 * default (a forgotten limit) no part at all is accepted.
 */
export async function registerMultipartUploads(app: NestFastifyApplication): Promise<void> {
  await app.register(multipart, {
    limits: { files: 0, fileSize: 0, fields: 0, fieldSize: 0, parts: 0 },
    throwFileSizeLimit: true,
  });
  let rules: Map<string, RouteRule> | null = null;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preValidation', async (request) => {
    const upload = request as unknown as MultipartRequest;
    if (typeof upload.isMultipart !== 'function' || !upload.isMultipart()) return;
    const url = request.routeOptions.url;
    rules ??= routeRules(app);
    const limits =
      url === undefined ? null : (rules.get(`${request.method} ${url}`)?.multipart ?? null);
    if (limits === null) throw unsupported();
    request.multipartLimits = limits;
  });
}

/**
 * Reads a multipart form in order, within the route's limits. The CSRF token must come first:
 * either in the X-CSRF-Token header or as the `_csrf` part before any file (the forms put it
 * first; browsers send parts in document order). A file part met before a valid token is
 * refused (403) without reading it, and the connection is closed so the rest of the body is not
 * read either. A request that is not multipart (a plain form post to the same route) gives its
 * parsed fields and no file: the session guard has checked its token already.
 */
export async function readMultipartForm(
  request: FastifyRequest,
  reply: FastifyReply,
  expectedCsrfToken: string,
): Promise<MultipartForm> {
  const upload = request as unknown as MultipartRequest;
  if (typeof upload.isMultipart !== 'function' || !upload.isMultipart()) {
    return { fields: textFieldsOf(request.body), files: [], tooManyFiles: false };
  }
  const limits = request.multipartLimits;
  if (!limits) throw new Error('readMultipartForm on a route without @CsrfInMultipartParts()');
  const header = request.headers['x-csrf-token'];
  let csrfOk = typeof header === 'string' && csrfTokenMatches(header, expectedCsrfToken);
  const closeConnection = () => void reply.header('connection', 'close');
  const refuse = (): DomainException => {
    closeConnection();
    return new DomainException(ErrorCode.CsrfTokenInvalid, AUTH_ERROR_TEXTS.csrf);
  };
  const report = limits.overLimit === 'report';
  const form: MultipartForm = { fields: {}, files: [], tooManyFiles: false };
  const parts = upload.parts({
    limits: {
      files: limits.files,
      fileSize: limits.fileBytes,
      fields: limits.fields,
      fieldSize: limits.fieldBytes,
      parts: limits.files + limits.fields,
    },
    throwFileSizeLimit: !report,
  });
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        if (!csrfOk) throw refuse();
        const bytes = await part.toBuffer();
        form.files.push({
          fieldname: part.fieldname,
          filename: part.filename,
          bytes,
          truncated: part.file.truncated,
        });
        continue;
      }
      // A cut text would be taken for what was typed: refuse it instead.
      if (part.valueTruncated) {
        closeConnection();
        throw tooLarge();
      }
      const value = typeof part.value === 'string' ? part.value : '';
      if (part.fieldname === CSRF_FORM_FIELD) {
        csrfOk = csrfOk || csrfTokenMatches(value, expectedCsrfToken);
        if (!csrfOk) throw refuse();
      } else {
        form.fields[part.fieldname] ??= value;
      }
    }
  } catch (error) {
    // One file too many: the files before it were read (so the token was checked); the rest is not.
    if (!(report && isFilesLimit(error) && csrfOk)) throw error;
    closeConnection();
    form.tooManyFiles = true;
  }
  if (!csrfOk) throw refuse();
  return form;
}
