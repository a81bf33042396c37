import { ErrorCode } from './error-code.constant';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * What a feature throws: a code from {@link ErrorCode} and a message safe to show.
 * Services never throw HttpException; the global filter maps codes to statuses.
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainException';
  }
}

export class ValidationFailedException extends DomainException {
  constructor(fieldErrors: FieldError[], message = '入力内容に誤りがあります。') {
    super(ErrorCode.ValidationFailed, message, fieldErrors);
  }
}

export class NotFoundException extends DomainException {
  constructor(message = '見つかりません。') {
    super(ErrorCode.NotFound, message);
  }
}
