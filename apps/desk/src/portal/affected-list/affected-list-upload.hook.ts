import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { AFFECTED_LIST_MAX_BYTES } from '@madoguchi/incident-response';
import { CSRF_FORM_FIELD, csrfTokenMatches } from '../../auth/csrf.util';
import { AUTH_ERROR_TEXTS } from '../../auth/auth-errors.texts';

/** The one desk route that takes multipart/form-data (a file input needs it). */
export const AFFECTED_LIST_UPLOAD_ROUTE = '/portal/affected-lists/:incidentId';

/** A file part as the upload handler receives it (bytes in memory, never on disk). */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}

/** The form's text fields and its one file (null when none was sent). */
export interface MultipartForm {
  fields: Record<string, string>;
  file: UploadedFile | null;
}

interface MultipartRequest {
  isMultipart(): boolean;
  parts(): AsyncIterableIterator<
    | { type: 'file'; fieldname: string; filename: string; toBuffer(): Promise<Buffer> }
    | { type: 'field'; fieldname: string; value: unknown }
  >;
}

function unsupported(): Error {
  return Object.assign(new Error('multipart/form-data is not accepted on this route'), {
    statusCode: 415,
  });
}

/**
 * @fastify/multipart with tight limits, for the affected-list upload only: any other route
 * answers 415 to multipart. The plugin's parser reads nothing by itself: the parts are read by
 * the handler ({@link readMultipartForm}), after the session guard checked the session, the IP
 * list and the role, so nothing large is read before authentication. A file over the limit is 413.
 */
export async function registerAffectedListUploads(app: NestFastifyApplication): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: AFFECTED_LIST_MAX_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 5 },
    throwFileSizeLimit: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preValidation', async (request) => {
    const upload = request as unknown as MultipartRequest;
    if (typeof upload.isMultipart !== 'function' || !upload.isMultipart()) return;
    if (request.method !== 'POST' || request.routeOptions.url !== AFFECTED_LIST_UPLOAD_ROUTE) {
      throw unsupported();
    }
  });
}

/**
 * Reads a multipart form in order. The CSRF token must come first: either in the X-CSRF-Token
 * header or as the `_csrf` part before the file (the upload form puts it first; browsers send
 * parts in document order). A file part met before a valid token is refused (403) without
 * reading it, and the connection is closed so the rest of the body is not read either.
 */
export async function readMultipartForm(
  request: FastifyRequest,
  reply: FastifyReply,
  expectedCsrfToken: string,
): Promise<MultipartForm> {
  const upload = request as unknown as MultipartRequest;
  const header = request.headers['x-csrf-token'];
  let csrfOk = typeof header === 'string' && csrfTokenMatches(header, expectedCsrfToken);
  const refuse = (): DomainException => {
    void reply.header('connection', 'close');
    return new DomainException(ErrorCode.CsrfTokenInvalid, AUTH_ERROR_TEXTS.csrf);
  };
  const form: MultipartForm = { fields: {}, file: null };
  // Not multipart: the session guard has checked the body's or the header's token already
  // (it leaves the check to this reader only for multipart requests); there is no file.
  if (typeof upload.isMultipart !== 'function' || !upload.isMultipart()) return form;
  for await (const part of upload.parts()) {
    if (part.type === 'file') {
      if (!csrfOk) throw refuse();
      form.file = { filename: part.filename, bytes: await part.toBuffer() };
      continue;
    }
    const value = typeof part.value === 'string' ? part.value : '';
    if (part.fieldname === CSRF_FORM_FIELD) {
      csrfOk = csrfOk || csrfTokenMatches(value, expectedCsrfToken);
      if (!csrfOk) throw refuse();
    } else {
      form.fields[part.fieldname] = value;
    }
  }
  if (!csrfOk) throw refuse();
  return form;
}
