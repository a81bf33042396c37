import type { FastifyReply } from 'fastify';

/** Pages carry personal data or secrets in their URL: never cached anywhere. */
export function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

export function redirectSeeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.status(303).header('cache-control', 'no-store').header('location', location).send();
}
