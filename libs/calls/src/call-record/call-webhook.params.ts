import { type FieldError, ValidationFailedException } from '@madoguchi/common';

/** A webhook's form parameters exactly as received (fast-querystring: a repeated key is an array). */
export type WebhookParams = Record<string, unknown>;

export const CALL_STATUSES = [
  'queued',
  'initiated',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
] as const;
export type TwilioCallStatus = (typeof CALL_STATUSES)[number];

/** Standard parameters of every voice request: the call and its two ends. */
export interface CallParams {
  callSid: string;
  /** Raw `From`, possibly a withheld marker; never logged. */
  from: string | null;
  to: string | null;
}

export interface StatusCallbackParams extends CallParams {
  callStatus: TwilioCallStatus;
  sequenceNumber: number | null;
  callDuration: number | null;
  timestamp: Date | null;
}

export interface QueueResultParams extends CallParams {
  queueResult: string;
  queueTime: number | null;
}

export interface RecordingParams extends CallParams {
  recordingSid: string;
  recordingUrl: string;
  recordingSeconds: number | null;
  /** Only the recording status callback sends it; absent/failed recordings are not stored. */
  recordingStatus: string | null;
}

export interface AgentBridgedParams extends CallParams {
  agentId: number;
  queueTime: number | null;
}

const CALL_SID = /^CA[0-9a-f]{32}$/i;
const RECORDING_SID = /^RE[0-9a-f]{32}$/i;
const MAX_NUMBER_LENGTH = 32;
const MAX_URL_LENGTH = 500;

const MESSAGES = {
  required: '必須の項目です。',
  callSid: 'CallSid の形式が正しくありません。',
  recordingSid: 'RecordingSid の形式が正しくありません。',
  callStatus: 'CallStatus の値が正しくありません。',
  integer: '0 以上の整数を指定してください。',
  url: 'http(s) の URL を指定してください。',
  tooLong: '長すぎます。',
  date: '日時の形式が正しくありません。',
  token: '英小文字とハイフンで指定してください。',
  single: '一つだけ指定してください。',
} as const;

/** Reads and checks parameters, collecting every problem, then throws one 400. */
class ParamReader {
  readonly errors: FieldError[] = [];

  constructor(private readonly params: WebhookParams) {}

  optional(field: string): string | null {
    const value = this.params[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') {
      this.errors.push({ field, message: MESSAGES.single });
      return null;
    }
    return value;
  }

  required(field: string): string {
    const value = this.optional(field);
    if (value === null || value.trim() === '') {
      if (!this.errors.some((error) => error.field === field)) {
        this.errors.push({ field, message: MESSAGES.required });
      }
      return '';
    }
    return value;
  }

  pattern(field: string, pattern: RegExp, message: string): string {
    const value = this.required(field);
    if (value !== '' && !pattern.test(value)) this.errors.push({ field, message });
    return value;
  }

  callSid(): string {
    return this.pattern('CallSid', CALL_SID, MESSAGES.callSid);
  }

  number(field: string): string | null {
    const value = this.optional(field);
    if (value !== null && value.length > MAX_NUMBER_LENGTH) {
      this.errors.push({ field, message: MESSAGES.tooLong });
      return null;
    }
    return value;
  }

  /** A non-negative integer, or null when absent; Twilio's -1 (unknown duration) reads as null. */
  integer(field: string, required = false): number | null {
    const value = required ? this.required(field) : this.optional(field);
    if (value === null || value === '') return null;
    if (value.trim() === '-1') return null;
    if (!/^\d{1,9}$/.test(value.trim())) {
      this.errors.push({ field, message: MESSAGES.integer });
      return null;
    }
    return Number(value.trim());
  }

  url(field: string): string {
    const value = this.required(field);
    if (value === '') return value;
    if (value.length > MAX_URL_LENGTH) this.errors.push({ field, message: MESSAGES.tooLong });
    else if (!/^https?:\/\/[^\s]+$/i.test(value))
      this.errors.push({ field, message: MESSAGES.url });
    return value;
  }

  date(field: string): Date | null {
    const value = this.optional(field);
    if (value === null || value.trim() === '') return null;
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) {
      this.errors.push({ field, message: MESSAGES.date });
      return null;
    }
    return parsed;
  }

  call(): CallParams {
    return { callSid: this.callSid(), from: this.optional('From'), to: this.number('To') };
  }

  done<T>(value: T): T {
    if (this.errors.length > 0) throw new ValidationFailedException(this.errors);
    return value;
  }
}

export function parseCallParams(params: WebhookParams): CallParams {
  const reader = new ParamReader(params);
  return reader.done(reader.call());
}

export function parseStatusCallback(params: WebhookParams): StatusCallbackParams {
  const reader = new ParamReader(params);
  const call = reader.call();
  const status = reader.required('CallStatus');
  if (status !== '' && !(CALL_STATUSES as readonly string[]).includes(status)) {
    reader.errors.push({ field: 'CallStatus', message: MESSAGES.callStatus });
  }
  return reader.done({
    ...call,
    callStatus: status as TwilioCallStatus,
    sequenceNumber: reader.integer('SequenceNumber'),
    callDuration: reader.integer('CallDuration'),
    timestamp: reader.date('Timestamp'),
  });
}

export function parseQueueResult(params: WebhookParams): QueueResultParams {
  const reader = new ParamReader(params);
  const call = reader.call();
  const queueResult = reader.pattern('QueueResult', /^[a-z][a-z-]{0,31}$/, MESSAGES.token);
  return reader.done({ ...call, queueResult, queueTime: reader.integer('QueueTime') });
}

export function parseRecording(params: WebhookParams): RecordingParams {
  const reader = new ParamReader(params);
  const call = reader.call();
  return reader.done({
    ...call,
    recordingSid: reader.pattern('RecordingSid', RECORDING_SID, MESSAGES.recordingSid),
    recordingUrl: reader.url('RecordingUrl'),
    recordingSeconds: reader.integer('RecordingDuration'),
    recordingStatus: reader.optional('RecordingStatus'),
  });
}

/** The <Dial><Queue url> request: CallSid is the dequeued caller; agentId comes from our URL. */
export function parseAgentBridged(params: WebhookParams, agentId: unknown): AgentBridgedParams {
  const reader = new ParamReader(params);
  const call = reader.call();
  const id = typeof agentId === 'string' && /^[1-9]\d{0,9}$/.test(agentId) ? Number(agentId) : 0;
  if (id === 0) reader.errors.push({ field: 'agentId', message: MESSAGES.integer });
  return reader.done({ ...call, agentId: id, queueTime: reader.integer('QueueTime') });
}

/** The keys a caller pressed in <Gather>, digits only ('#' ends the input); null for none. */
export function parseDigits(params: WebhookParams): string | null {
  const value = params.Digits;
  if (typeof value !== 'string') return null;
  const digits = value.replace(/[#*]/g, '').trim();
  return /^\d{1,16}$/.test(digits) ? digits : null;
}

/** `client:agent-<userId>`, the identity the desk puts in an agent's Voice access token. */
export function parseAgentClient(params: WebhookParams): number {
  const from = params.From;
  const match = typeof from === 'string' ? /^client:agent-([1-9]\d{0,9})$/.exec(from) : null;
  if (!match) {
    throw new ValidationFailedException([
      { field: 'From', message: 'エージェントのクライアントではありません。' },
    ]);
  }
  return Number(match[1]);
}

export function agentClientIdentity(userId: number): string {
  return `agent-${userId}`;
}
