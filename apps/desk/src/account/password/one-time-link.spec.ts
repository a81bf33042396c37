import type { FastifyReply } from 'fastify';
import { DomainException, ErrorCode, ValidationFailedException } from '@madoguchi/common';
import { HtmlPage } from '../../web';
import { oneTimeLinkPage, setPasswordByLink } from './one-time-link';

function fakeReply(): FastifyReply & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const reply = {
    headers,
    header(name: string, value: string) {
      headers[name] = value;
      return reply;
    },
  };
  return reply as unknown as FastifyReply & { headers: Record<string, string> };
}

describe('one-time link pages', () => {
  it('should send a link page without a Referer for the token', () => {
    const reply = fakeReply();
    expect(oneTimeLinkPage(reply, '<p>form</p>')).toEqual(new HtmlPage('<p>form</p>', 200));
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('should pass the typed password twice and show the done page (200, no redirect)', async () => {
    const reply = fakeReply();
    const set = jest.fn().mockResolvedValue(undefined);
    const page = await setPasswordByLink({
      body: { password: 'a long passphrase', confirmation: 'a long passphrase', other: 'x' },
      reply,
      set,
      form: () => Promise.resolve('form'),
      done: () => 'done',
    });
    expect(set).toHaveBeenCalledWith({
      password: 'a long passphrase',
      confirmation: 'a long passphrase',
    });
    expect(page).toEqual(new HtmlPage('done', 200));
    expect(reply.headers['referrer-policy']).toBeUndefined();
  });

  it('should show the form again with 400, the field errors and no Referer on a refusal', async () => {
    const reply = fakeReply();
    const form = jest.fn((errors: Partial<Record<string, string>>) =>
      Promise.resolve(JSON.stringify(errors)),
    );
    const page = await setPasswordByLink({
      body: {},
      reply,
      set: () =>
        Promise.reject(
          new ValidationFailedException([
            { field: 'confirmation', message: 'different' },
            { field: 'confirmation', message: 'second' },
          ]),
        ),
      form,
      done: () => 'done',
    });
    expect(page).toEqual(new HtmlPage('{"confirmation":"different"}', 400));
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('should put a refusal without a field on the password', async () => {
    const page = await setPasswordByLink({
      body: {},
      reply: fakeReply(),
      set: () => Promise.reject(new DomainException(ErrorCode.ValidationFailed, 'too weak')),
      form: (errors) => Promise.resolve(JSON.stringify(errors)),
      done: () => 'done',
    });
    expect(page).toEqual(new HtmlPage('{"password":"too weak"}', 400));
  });

  it('should leave any other error (an unknown link, a stale version) to the error filter', async () => {
    for (const code of [ErrorCode.NotFound, ErrorCode.StaleVersion]) {
      const error = new DomainException(code, 'no');
      await expect(
        setPasswordByLink({
          body: {},
          reply: fakeReply(),
          set: () => Promise.reject(error),
          form: () => Promise.resolve('form'),
          done: () => 'done',
        }),
      ).rejects.toBe(error);
    }
  });
});
