import { DomainException, ErrorCode, ValidationFailedException } from '@madoguchi/common';
import { placeFieldErrors, submitForm } from './submit-form';
import { HtmlPage, SeeOther } from './web-response';

describe('submitForm', () => {
  const rerender = jest.fn(
    (failure: { status: number; errors: object; alert: string | null }) =>
      `${failure.status} ${JSON.stringify(failure.errors)} ${failure.alert}`,
  );

  it('should answer success with a 303 to done, given the result', async () => {
    const out = await submitForm({
      run: async () => 7,
      done: (id) => `/x/${id}?done=saved`,
      rerender,
    });
    expect(out).toEqual(new SeeOther('/x/7?done=saved'));
  });

  it('should re-render a validation failure with 400 and the errors on the form fields', async () => {
    const out = await submitForm({
      run: () => Promise.reject(new ValidationFailedException([{ field: 'title', message: 'm' }])),
      done: '/x',
      fields: ['title', 'body'] as const,
      rerender,
    });
    expect(out).toEqual(new HtmlPage('400 {"title":"m"} null', 400));
  });

  it('should answer StaleVersion and listed conflicts with 409 and the message as alert', async () => {
    const stale = await submitForm({
      run: () => Promise.reject(new DomainException(ErrorCode.StaleVersion, 'stale')),
      done: '/x',
      rerender,
    });
    expect(stale).toEqual(new HtmlPage('409 {} stale', 409));
    const conflict = await submitForm({
      run: () => Promise.reject(new DomainException(ErrorCode.InvalidStatusTransition, 'no')),
      done: '/x',
      conflicts: [ErrorCode.InvalidStatusTransition],
      rerender,
    });
    expect(conflict).toEqual(new HtmlPage('409 {} no', 409));
  });

  it('should rethrow other errors, unlisted conflicts and (when asked) validation failures', async () => {
    const boom = new Error('boom');
    await expect(
      submitForm({ run: () => Promise.reject(boom), done: '/x', rerender }),
    ).rejects.toBe(boom);
    const transition = new DomainException(ErrorCode.InvalidStatusTransition, 'no');
    await expect(
      submitForm({ run: () => Promise.reject(transition), done: '/x', rerender }),
    ).rejects.toBe(transition);
    const invalid = new ValidationFailedException([]);
    await expect(
      submitForm({
        run: () => Promise.reject(invalid),
        done: '/x',
        rerender,
        rerenderInvalid: false,
      }),
    ).rejects.toBe(invalid);
  });
});

describe('placeFieldErrors', () => {
  const error = new ValidationFailedException([
    { field: 'subject', message: 'a' },
    { field: 'subject', message: 'b' },
    { field: 'other', message: 'c' },
  ]);

  it('should map service fields to form fields, first message wins, the rest to alert', () => {
    expect(placeFieldErrors(error, { subject: 'title' })).toEqual({
      errors: { title: 'a' },
      alert: 'c',
    });
  });

  it('should put unplaced messages on unplacedTo, and the exception message when nothing is placed', () => {
    expect(placeFieldErrors(error, ['body'], 'body')).toEqual({
      errors: { body: 'a' },
      alert: null,
    });
    expect(placeFieldErrors(new ValidationFailedException([], 'whole'), ['body'], 'body')).toEqual({
      errors: { body: 'whole' },
      alert: null,
    });
    expect(placeFieldErrors(new ValidationFailedException([], 'whole'), ['body'])).toEqual({
      errors: {},
      alert: 'whole',
    });
  });

  it('should keep every field name when no fields are given', () => {
    expect(placeFieldErrors(error).errors).toEqual({ subject: 'a', other: 'c' });
  });
});
