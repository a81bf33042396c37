import { DomainException, ErrorCode } from '@madoguchi/common';
import type { SafeHtml } from '@madoguchi/ui';
import { type HtmlPage, htmlPage, type SeeOther, seeOtherTo } from './web-response';

/**
 * A form's field names: a list (service and form use the same names) or a map from the
 * service's field names to the form's.
 */
export type FormFields<F extends string> = readonly F[] | Readonly<Record<string, F>>;

/** Why a submission comes back to the form, and what to show there. */
export interface FormFailure<F extends string> {
  /** 400 for refused input, 409 for a stale version or a listed conflict. */
  status: 400 | 409;
  reason: 'invalid' | 'stale' | 'conflict';
  /** The first message per form field (400 only). */
  errors: Partial<Record<F, string>>;
  /** 400: messages that belong to no field of the form (null when none); 409: the exception's message. */
  alert: string | null;
  /** One message for one-message forms: the first field error, else the exception's message. */
  message: string;
  error: DomainException;
}

export interface SubmitFormOptions<R, F extends string> {
  /** The action; throw a ValidationFailedException from here for checks made in the controller. */
  run: () => Promise<R>;
  /** Where the 303 goes on success, e.g. `/x?done=saved`. */
  done: string | ((result: R) => string);
  /** The page again, with the failure's errors and the typed values; answered with failure.status. */
  rerender: (failure: FormFailure<F>) => Promise<string | SafeHtml> | string | SafeHtml;
  /** The form's fields; when absent every field name is kept as the service gives it. */
  fields?: FormFields<F>;
  /**
   * Where errors of unknown fields go (and the exception's message when it names no field).
   * Without it they go to `alert`.
   */
  unplacedTo?: F;
  /** Error codes answered 409 with the page (StaleVersion always is). */
  conflicts?: readonly ErrorCode[];
  /** False when the form has nothing to correct: a validation failure then goes to the error filter. */
  rerenderInvalid?: boolean;
}

function formFieldOf<F extends string>(fields: FormFields<F> | undefined, name: string): F | null {
  if (fields === undefined) return name as F;
  if (Array.isArray(fields))
    return (fields as readonly string[]).includes(name) ? (name as F) : null;
  const map = fields as Readonly<Record<string, F>>;
  return Object.prototype.hasOwnProperty.call(map, name) ? map[name] : null;
}

/** A validation failure as the form's field errors and the messages that fit no field. */
export function placeFieldErrors<F extends string>(
  error: DomainException,
  fields?: FormFields<F>,
  unplacedTo?: F,
): { errors: Partial<Record<F, string>>; alert: string | null } {
  const errors: Partial<Record<F, string>> = {};
  const unplaced: string[] = [];
  for (const { field, message } of error.fieldErrors) {
    const key = formFieldOf(fields, field);
    if (key !== null) errors[key] ??= message;
    else unplaced.push(message);
  }
  if (unplacedTo === undefined) {
    if (error.fieldErrors.length === 0) unplaced.push(error.message);
    return { errors, alert: unplaced.join(' ') || null };
  }
  for (const message of unplaced) errors[unplacedTo] ??= message;
  if (Object.keys(errors).length === 0) errors[unplacedTo] = error.message;
  return { errors, alert: null };
}

/** The failure a domain error means for a form, or null when it is not the form's to show. */
export function formFailureOf<F extends string>(
  error: unknown,
  options: Pick<
    SubmitFormOptions<unknown, F>,
    'fields' | 'unplacedTo' | 'conflicts' | 'rerenderInvalid'
  >,
): FormFailure<F> | null {
  if (!(error instanceof DomainException)) return null;
  const message = error.fieldErrors[0]?.message ?? error.message;
  if (error.code === ErrorCode.StaleVersion || options.conflicts?.includes(error.code)) {
    const reason = error.code === ErrorCode.StaleVersion ? 'stale' : 'conflict';
    return { status: 409, reason, errors: {}, alert: error.message, message, error };
  }
  if (error.code === ErrorCode.ValidationFailed && options.rerenderInvalid !== false) {
    const placed = placeFieldErrors(error, options.fields, options.unplacedTo);
    return { status: 400, reason: 'invalid', ...placed, message, error };
  }
  return null;
}

/**
 * Runs a form's action: success is a 303 to `done`; a validation failure is 400 and a stale
 * version or listed conflict 409, each with the page from `rerender`; anything else is thrown to
 * the error filter. Return its result from the handler (the web-response interceptor sends it).
 */
export async function submitForm<R, F extends string = string>(
  options: SubmitFormOptions<R, F>,
): Promise<HtmlPage | SeeOther> {
  let result: R;
  try {
    result = await options.run();
  } catch (error) {
    const failure = formFailureOf(error, options);
    if (!failure) throw error;
    return htmlPage(await options.rerender(failure), failure.status);
  }
  return seeOtherTo(typeof options.done === 'string' ? options.done : options.done(result));
}
