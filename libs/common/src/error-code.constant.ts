/** Stable error codes shared by every feature; the HTTP layer maps each to one status. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  IntakeClosed = 'INTAKE_CLOSED',
  TicketFinished = 'TICKET_FINISHED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyKeyInFlight = 'IDEMPOTENCY_KEY_IN_FLIGHT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  RateLimited = 'RATE_LIMITED',
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  /** Wrong email, password or second-factor code; says nothing about which. */
  AuthenticationFailed = 'AUTHENTICATION_FAILED',
  /** Too many failed logins: the account waits until its lock ends. */
  AccountLocked = 'ACCOUNT_LOCKED',
  /** No valid session. */
  Unauthenticated = 'UNAUTHENTICATED',
  /** Logged in, but the role or a pending step (second-factor enrolment) forbids this. */
  Forbidden = 'FORBIDDEN',
  CsrfTokenInvalid = 'CSRF_TOKEN_INVALID',
  /** The status life cycle does not allow this change; the message gives the reason. */
  InvalidStatusTransition = 'INVALID_STATUS_TRANSITION',
  /** Someone changed the ticket since the client read it (optimistic lock). */
  StaleVersion = 'STALE_VERSION',
  /** Another agent holds the ticket. */
  TicketAlreadyClaimed = 'TICKET_ALREADY_CLAIMED',
  /** The desk has no Twilio settings for the browser phone (API key, TwiML App). */
  TelephonyNotConfigured = 'TELEPHONY_NOT_CONFIGURED',
  /** Another agent has taken the callback; the message names them. */
  CallbackAlreadyClaimed = 'CALLBACK_ALREADY_CLAIMED',
  /** Twilio did not hand over a recording (credentials, network, gone). */
  RecordingUnavailable = 'RECORDING_UNAVAILABLE',
  /** A reply named an answer version that is not the one approved for the ticket's merchant. */
  AnswerNotApproved = 'ANSWER_NOT_APPROVED',
  /** A bulk send's selection no longer matches the preview the user confirmed. */
  BulkSelectionChanged = 'BULK_SELECTION_CHANGED',
  /**
   * A leak answer (leak_included / leak_not_included) for a ticket whose current determination
   * does not allow it: none, the other outcome, or flagged for review (issue 13.1).
   */
  DeterminationMismatch = 'DETERMINATION_MISMATCH',
  /** A merge with a finished (closed, merged, erased) ticket (issue 15). */
  MergeRefused = 'MERGE_REFUSED',
  /** A merge of tickets that share no email or phone, without a supervisor's confirmation. */
  MergeRequesterMismatch = 'MERGE_REQUESTER_MISMATCH',
  /**
   * A reply to a ticket without an email address (a phone-only ticket): nothing could deliver
   * it, so nothing is stored; record what was said on the phone as a call note (issue 15).
   */
  ReplyUndeliverable = 'REPLY_UNDELIVERABLE',
  Internal = 'INTERNAL_ERROR',
}
