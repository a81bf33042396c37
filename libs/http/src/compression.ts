import compress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * What is compressed: pages, styles, scripts, JSON and SVG. Nothing else, in particular not
 * event streams (the desk's live feed must reach the browser event by event, never sit in a
 * compressor's buffer) and not downloads (`Content-Disposition: attachment`: files people
 * uploaded and exports go out as stored, with their own length and headers).
 */
const COMPRESSIBLE = /^(?:text\/(?:html|css|javascript)|application\/json|image\/svg\+xml)(?:;|$)/;
/** Below this a compressed body saves less than its headers cost. */
const THRESHOLD_BYTES = 1024;

export interface CompressionOptions {
  /**
   * Leaves a response uncompressed when true, decided when it is sent. The desk passes its
   * signed-in HTML pages: they hold the session's CSRF token next to text a request can choose
   * (a search), the mix BREACH reads from compressed sizes.
   */
  skip?: (request: FastifyRequest, reply: FastifyReply) => boolean;
}

function compressible(reply: FastifyReply): boolean {
  const type = String(reply.getHeader('content-type') ?? '');
  const disposition = String(reply.getHeader('content-disposition') ?? '');
  return COMPRESSIBLE.test(type) && !/^attachment\b/i.test(disposition);
}

/**
 * gzip or brotli for the text answers of an app, when the browser accepts it (Vary:
 * Accept-Encoding). Request bodies are not decompressed: each app's body limits and its
 * pre-body checks keep meaning the bytes that arrive.
 */
export async function registerCompression(
  app: NestFastifyApplication,
  options: CompressionOptions = {},
): Promise<void> {
  // @fastify/compress compresses any type mime-db calls compressible; this app-wide hook runs
  // before the plugin's own onSend (a route's hooks run after the app's) and sets the plugin's
  // documented per-request off switch, the x-no-compression request header, for the rest.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply, payload) => {
      if (!compressible(reply) || options.skip?.(request, reply)) {
        request.headers['x-no-compression'] = '1';
      }
      return payload;
    });
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: THRESHOLD_BYTES,
    customTypes: COMPRESSIBLE,
    globalDecompression: false,
  });
}
