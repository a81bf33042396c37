import { ErrorCode } from '@madoguchi/common';

/** The one mapping from feature error codes to HTTP statuses (STYLE 11). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.IntakeClosed]: 410,
  [ErrorCode.TicketFinished]: 409,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.IdempotencyKeyInFlight]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.DatabaseUnavailable]: 503,
  [ErrorCode.AuthenticationFailed]: 401,
  [ErrorCode.AccountLocked]: 423,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.CsrfTokenInvalid]: 403,
  [ErrorCode.InvalidStatusTransition]: 409,
  [ErrorCode.StaleVersion]: 409,
  [ErrorCode.TicketAlreadyClaimed]: 409,
  [ErrorCode.TelephonyNotConfigured]: 503,
  [ErrorCode.AnswerNotApproved]: 409,
  [ErrorCode.BulkSelectionChanged]: 409,
  [ErrorCode.DeterminationMismatch]: 409,
  [ErrorCode.ReplyUndeliverable]: 409,
  [ErrorCode.Internal]: 500,
};
