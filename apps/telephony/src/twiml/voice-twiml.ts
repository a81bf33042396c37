import twilio from 'twilio';
import { WINDOW_QUEUE_NAME } from '@madoguchi/calls';
import { TELEPHONY_TEXTS } from '../i18n/ja';

const { VoiceResponse } = twilio.twiml;
type Response = InstanceType<typeof VoiceResponse>;

/** A Japanese voice Twilio supports (Amazon Polly); <Say language="ja-JP"> with it. */
export const SAY_ATTRIBUTES = { language: 'ja-JP', voice: 'Polly.Mizuki' } as const;
/** Seconds Twilio waits for the first key and between keys of the phone code. */
export const GATHER_TIMEOUT_SECONDS = 6;
export const VOICEMAIL_MAX_SECONDS = 120;
export const HOLD_PAUSE_SECONDS = 20;

export interface WebhookUrls {
  /** TELEPHONY_PUBLIC_URL, without a trailing slash: Twilio signs the absolute URL. */
  base: string;
}

function say(response: Response | ReturnType<Response['gather']>, text: string): void {
  response.say(SAY_ATTRIBUTES, text);
}

function url(urls: WebhookUrls, path: string): string {
  return `${urls.base}/twilio/voice/${path}`;
}

/** In hours: greeting, then a <Gather> for the shop's phone code (attempt 1 or 2). */
export function phoneCodeTwiml(urls: WebhookUrls, attempt: number, greet: boolean): string {
  const response = new VoiceResponse();
  if (greet) say(response, TELEPHONY_TEXTS.greeting);
  const action = url(urls, `phone-code?attempt=${attempt}`);
  const gather = response.gather({
    input: ['dtmf'],
    finishOnKey: '#',
    timeout: GATHER_TIMEOUT_SECONDS,
    actionOnEmptyResult: true,
    action,
    method: 'POST',
  });
  say(gather, attempt === 1 ? TELEPHONY_TEXTS.askPhoneCode : TELEPHONY_TEXTS.retryPhoneCode);
  // Only reached if Twilio skips the empty-result action: go on untagged all the same.
  response.redirect({ method: 'POST' }, action);
  return response.toString();
}

/** Into the window's queue, with the wait and action URLs. */
export function enqueueTwiml(urls: WebhookUrls, tagged: boolean): string {
  const response = new VoiceResponse();
  if (tagged) say(response, TELEPHONY_TEXTS.phoneCodeAccepted);
  say(response, TELEPHONY_TEXTS.connecting);
  response.enqueue(
    {
      waitUrl: url(urls, 'wait'),
      waitUrlMethod: 'POST',
      action: url(urls, 'queue-result'),
      method: 'POST',
    },
    WINDOW_QUEUE_NAME,
  );
  return response.toString();
}

/** The waitUrl: position and expected wait, a hold message, a pause; Twilio then asks again. */
export function waitTwiml(position: number | null, averageWaitSeconds: number | null): string {
  const response = new VoiceResponse();
  if (position !== null && position > 0) say(response, TELEPHONY_TEXTS.queuePosition(position));
  if (averageWaitSeconds !== null && averageWaitSeconds >= 0) {
    say(response, TELEPHONY_TEXTS.expectedWait(Math.ceil(averageWaitSeconds / 60)));
  }
  say(response, TELEPHONY_TEXTS.hold);
  response.pause({ length: HOLD_PAUSE_SECONDS });
  return response.toString();
}

/** Out of hours: the opening hours, a voicemail <Record> with its status callback, hang-up. */
export function outOfHoursTwiml(urls: WebhookUrls, openHour: number, closeHour: number): string {
  const response = new VoiceResponse();
  say(response, TELEPHONY_TEXTS.outOfHours(openHour, closeHour));
  say(response, TELEPHONY_TEXTS.leaveMessage);
  recordVoicemail(response, urls);
  response.hangup();
  return response.toString();
}

function recordVoicemail(response: Response, urls: WebhookUrls): void {
  response.record({
    action: url(urls, 'voicemail'),
    method: 'POST',
    recordingStatusCallback: url(urls, 'recording'),
    recordingStatusCallbackMethod: 'POST',
    recordingStatusCallbackEvent: ['completed'],
    maxLength: VOICEMAIL_MAX_SECONDS,
    playBeep: true,
    finishOnKey: '#',
    timeout: 5,
  });
}

/** Seconds Twilio waits for the overflow offer's one key. */
export const OVERFLOW_GATHER_TIMEOUT_SECONDS = 8;

/**
 * The overflow offer: one key (1 voicemail, 2 callback; a withheld caller hears only 1), sent to
 * overflow-choice. Without a key the action is still requested (empty Digits), which asks once
 * more and then ends the call.
 */
export function overflowOfferTwiml(
  urls: WebhookUrls,
  callbackAllowed: boolean,
  attempt: 1 | 2 = 1,
): string {
  const response = new VoiceResponse();
  if (attempt === 2) say(response, TELEPHONY_TEXTS.overflowRetry);
  const action = url(urls, `overflow-choice?attempt=${attempt}`);
  const gather = response.gather({
    input: ['dtmf'],
    numDigits: 1,
    timeout: OVERFLOW_GATHER_TIMEOUT_SECONDS,
    actionOnEmptyResult: true,
    action,
    method: 'POST',
  });
  say(
    gather,
    callbackAllowed ? TELEPHONY_TEXTS.overflowOffer : TELEPHONY_TEXTS.overflowOfferWithheld,
  );
  response.redirect({ method: 'POST' }, action);
  return response.toString();
}

/** Overflow key 1: a voicemail <Record> (same callbacks as out of hours), then hang-up. */
export function overflowVoicemailTwiml(urls: WebhookUrls): string {
  const response = new VoiceResponse();
  say(response, TELEPHONY_TEXTS.leaveMessage);
  recordVoicemail(response, urls);
  response.hangup();
  return response.toString();
}

/** Overflow key 2: the callback request is on the list; thank and hang up. */
export function callbackRequestedTwiml(): string {
  const response = new VoiceResponse();
  say(response, TELEPHONY_TEXTS.callbackRequested);
  response.hangup();
  return response.toString();
}

/** No valid key twice: say so and hang up. */
export function overflowGoodbyeTwiml(): string {
  const response = new VoiceResponse();
  say(response, TELEPHONY_TEXTS.overflowGoodbye);
  response.hangup();
  return response.toString();
}

/** The waitUrl's answer when the caller is to leave the queue for the overflow offer. */
export function leaveQueueTwiml(): string {
  const response = new VoiceResponse();
  response.leave();
  return response.toString();
}

/** The <Record> action: thank the caller and hang up. */
export function voicemailThanksTwiml(): string {
  const response = new VoiceResponse();
  say(response, TELEPHONY_TEXTS.voicemailThanks);
  response.hangup();
  return response.toString();
}

/** The TwiML App's voice URL for an agent's browser: take the next caller from the window's queue. */
export function agentDialTwiml(urls: WebhookUrls, agentId: number): string {
  const response = new VoiceResponse();
  const dial = response.dial();
  dial.queue(
    { url: url(urls, `agent-bridged?agentId=${agentId}`), method: 'POST' },
    WINDOW_QUEUE_NAME,
  );
  return response.toString();
}

/** Click-to-call: the agent's browser dials the caller's number, shown as the window's number. */
export function callbackDialTwiml(windowNumber: string, callerNumber: string): string {
  const response = new VoiceResponse();
  const dial = response.dial({ callerId: windowNumber });
  dial.number(callerNumber);
  return response.toString();
}

/** agent-dial for a client that is not an enabled staff user: say so and hang up. */
export function agentRefusedTwiml(): string {
  const response = new VoiceResponse();
  say(response, TELEPHONY_TEXTS.agentRefused);
  response.hangup();
  return response.toString();
}

/** Played to the caller just before the bridge (<Queue url>). */
export function agentBridgedTwiml(): string {
  const response = new VoiceResponse();
  say(response, TELEPHONY_TEXTS.agentWhisper);
  return response.toString();
}

/** An empty document: nothing more to do (status and recording callbacks). */
export function emptyTwiml(): string {
  return new VoiceResponse().toString();
}
