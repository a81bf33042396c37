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
  [ErrorCode.Internal]: 500,
};
