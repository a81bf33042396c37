import type { FastifyReply } from 'fastify';
import { FormValues, formFailureOf, type HtmlPage, htmlPage } from '../../web';

export interface NewPassword {
  password: string;
  confirmation: string;
}

/** A one-time link's page: the token in its URL must not leak through the Referer of a followed link. */
export function oneTimeLinkPage(reply: FastifyReply, page: string, status = 200): HtmlPage {
  void reply.header('referrer-policy', 'no-referrer');
  return htmlPage(page, status);
}

/**
 * The post of a one-time link's form (invitation, password reset): the new password twice. A
 * refused password shows the form again (400); success shows the done page (200: the link is
 * spent, so there is nothing to redirect back to). Other errors go to the error filter.
 */
export async function setPasswordByLink(options: {
  body: unknown;
  reply: FastifyReply;
  set: (values: NewPassword) => Promise<unknown>;
  form: (errors: Partial<Record<string, string>>) => Promise<string>;
  done: () => string;
}): Promise<HtmlPage> {
  const form = new FormValues(options.body);
  try {
    await options.set({ password: form.text('password'), confirmation: form.text('confirmation') });
  } catch (error) {
    const failure = formFailureOf(error, { unplacedTo: 'password' });
    if (failure?.reason !== 'invalid') throw error;
    return oneTimeLinkPage(options.reply, await options.form(failure.errors), 400);
  }
  return htmlPage(options.done());
}
