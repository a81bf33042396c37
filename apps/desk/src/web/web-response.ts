import type { FastifyReply } from 'fastify';
import type { SafeHtml } from '@madoguchi/ui';
import { FRAGMENT_HEADER } from './http.util';

/** A whole HTML page with its status; desk pages hold personal data, so never cached. */
export class HtmlPage {
  readonly kind = 'page';
  constructor(
    readonly html: string,
    readonly status: number,
  ) {}
}

/** The rows region console.js swaps in on live updates (always 200). */
export class HtmlFragment {
  readonly kind = 'fragment';
  constructor(readonly html: string) {}
}

/** Post/redirect/get: a 303, so reloading the next page never posts twice. */
export class SeeOther {
  readonly kind = 'see-other';
  constructor(readonly location: string) {}
}

/** What a desk page handler returns; {@link WebResponseInterceptor} writes it to the reply. */
export type WebResponse = HtmlPage | HtmlFragment | SeeOther;

export function htmlPage(page: string | SafeHtml, status = 200): HtmlPage {
  return new HtmlPage(String(page), status);
}

export function htmlFragment(fragment: string | SafeHtml): HtmlFragment {
  return new HtmlFragment(String(fragment));
}

export function seeOtherTo(location: string): SeeOther {
  return new SeeOther(location);
}

export function isWebResponse(value: unknown): value is WebResponse {
  return value instanceof HtmlPage || value instanceof HtmlFragment || value instanceof SeeOther;
}

/**
 * Sets status and headers of a web response and gives the body to send (undefined for a 303).
 * The interceptor uses it; a handler that must keep `@Res()` uses {@link sendWebResponse}.
 */
export function prepareReply(reply: FastifyReply, response: WebResponse): string | undefined {
  void reply.header('cache-control', 'no-store');
  switch (response.kind) {
    case 'page':
      void reply.status(response.status).type('text/html; charset=utf-8');
      return response.html;
    case 'fragment':
      void reply.status(200).header(FRAGMENT_HEADER, 'rows').type('text/html; charset=utf-8');
      return response.html;
    case 'see-other':
      void reply.status(303).header('location', response.location);
      return undefined;
  }
}

/** For handlers that keep `@Res()`: writes and sends a web response at once. */
export function sendWebResponse(reply: FastifyReply, response: WebResponse): void {
  void reply.send(prepareReply(reply, response));
}
