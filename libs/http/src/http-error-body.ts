import { randomUUID } from 'node:crypto';
import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainException, ErrorCode, type FieldError, redactPersonalData } from '@madoguchi/common';
import { isDatabaseUnavailable } from './database-unavailable.util';
import { ERROR_STATUS } from './error-status.constant';
import { currentRequestContext } from './logging/request-context';

/** The stable error body of every API: `{ statusCode, code, message }`, plus field errors on 400. */
export interface HttpErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: FieldError[];
  errorId?: string;
  /** The request's id (X-Request-Id), for error pages; set by sendHttpError. */
  requestId?: string;
}

const logger = new Logger('HttpError');

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.ValidationFailed,
  404: ErrorCode.NotFound,
  413: ErrorCode.PayloadTooLarge,
  429: ErrorCode.RateLimited,
  503: ErrorCode.DatabaseUnavailable,
};

const GENERIC_MESSAGES: Partial<Record<number, string>> = {
  400: 'リクエストの形式が正しくありません。',
  404: '見つかりません。',
  405: 'このメソッドは使えません。',
  413: '送信された内容が大きすぎます。',
  415: 'この形式の送信は受け付けていません。',
  429: '短時間に多くの送信がありました。しばらくしてからお試しください。',
  503: 'ただいま混み合っているか、メンテナンス中です。しばらくしてからお試しください。',
};

/**
 * Turns anything thrown while serving a request into a status and a safe body. A 500 is logged
 * with an id and says nothing internal.
 */
export function toHttpError(error: unknown, requestId?: string): HttpErrorBody {
  if (error instanceof DomainException) {
    const statusCode = ERROR_STATUS[error.code];
    if (statusCode === 500) return internal(error, requestId);
    return {
      statusCode,
      code: error.code,
      message: error.message,
      ...(error.fieldErrors.length > 0 ? { errors: error.fieldErrors } : {}),
    };
  }
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    if (statusCode >= 500) return internal(error, requestId);
    return {
      statusCode,
      code: STATUS_CODES[statusCode] ?? `HTTP_${statusCode}`,
      message: GENERIC_MESSAGES[statusCode] ?? error.message,
    };
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn(`database unavailable: ${redactPersonalData((error as Error).message)}`);
    return {
      statusCode: 503,
      code: ErrorCode.DatabaseUnavailable,
      message: GENERIC_MESSAGES[503] as string,
    };
  }
  // Fastify's own errors (body too large, bad JSON, unsupported media type, rate limit).
  const fastifyStatus = (error as { statusCode?: number })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return {
      statusCode: fastifyStatus,
      code: STATUS_CODES[fastifyStatus] ?? `HTTP_${fastifyStatus}`,
      message: GENERIC_MESSAGES[fastifyStatus] ?? GENERIC_MESSAGES[400]!,
    };
  }
  return internal(error, requestId);
}

/** A 500's error id is the request's id, so the page, the log line and the proxy's log agree. */
function internal(error: unknown, requestId?: string): HttpErrorBody {
  const errorId = requestId ?? currentRequestContext()?.requestId ?? randomUUID();
  // A driver's message may quote a value of the row: no shopper's contact reaches the log.
  logger.error(`error ${errorId}: ${redactPersonalData((error as Error)?.stack ?? String(error))}`);
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    code: ErrorCode.Internal,
    message: `内部エラーが発生しました（エラーID: ${errorId}）。`,
    errorId,
  };
}
