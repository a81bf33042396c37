import type { ValidationError } from '@nestjs/common';
import { type FieldError, ValidationFailedException } from '@madoguchi/common';

const UNKNOWN_FIELD = 'この項目は受け付けていません。';

/**
 * The global ValidationPipe's errors leave as a ValidationFailedException, so a DTO's 400 carries
 * `errors: [{ field, message }]` like every other validation failure (nested fields dotted).
 */
export function validationExceptionFactory(errors: ValidationError[]): ValidationFailedException {
  return new ValidationFailedException(errors.flatMap((error) => toFieldErrors(error, '')));
}

function toFieldErrors(error: ValidationError, prefix: string): FieldError[] {
  const field = prefix ? `${prefix}.${error.property}` : error.property;
  const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
    field,
    message: constraint === 'whitelistValidation' ? UNKNOWN_FIELD : message,
  }));
  // One message per field is enough for a form or a client; the first failed rule says what to fix.
  return [
    ...own.slice(0, 1),
    ...(error.children ?? []).flatMap((child) => toFieldErrors(child, field)),
  ];
}
