import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AFFECTED_LIST_MAX_BYTES } from '@madoguchi/tickets';

/** The one desk route that takes multipart/form-data (a file input needs it). */
export const AFFECTED_LIST_UPLOAD_ROUTE = '/portal/affected-lists/:incidentId';

/** A file part as the upload handler receives it in the body (bytes in memory, never on disk). */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
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
 * @fastify/multipart with tight limits, read into `request.body` before the guards run (so the
 * session guard finds `_csrf` as in any form) and only for the affected-list upload: any other
 * route answers 415 to multipart. Files stay in memory; a file over the limit is 413.
 */
export async function registerAffectedListUploads(app: NestFastifyApplication): Promise<void> {
  await app.register(multipart as never, {
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
    const body: Record<string, unknown> = {};
    for await (const part of upload.parts()) {
      if (part.type === 'file') {
        const file: UploadedFile = { filename: part.filename, bytes: await part.toBuffer() };
        body[part.fieldname] = file;
      } else {
        body[part.fieldname] = typeof part.value === 'string' ? part.value : '';
      }
    }
    request.body = body;
  });
}
