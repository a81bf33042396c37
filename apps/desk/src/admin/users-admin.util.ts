import { DomainException, ErrorCode } from '@madoguchi/common';
import type { AdminFormErrors } from './users/users.view';

/** A ValidationFailed exception as a form's field errors; anything else is null (rethrow it). */
export function adminFormErrors(error: unknown, fallbackField: string): AdminFormErrors | null {
  if (!(error instanceof DomainException && error.code === ErrorCode.ValidationFailed)) return null;
  const errors: AdminFormErrors = {};
  for (const fieldError of error.fieldErrors) errors[fieldError.field] ??= fieldError.message;
  if (Object.keys(errors).length === 0) errors[fallbackField] = error.message;
  return errors;
}
