import { Body, Controller, Header, HttpCode, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { BusinessCalendar } from '@madoguchi/calendar';
import {
  CallRecorder,
  parseAgentBridged,
  parseAgentClient,
  parseCallParams,
  parseDigits,
  parseQueueResult,
  parseRecording,
  parseStatusCallback,
  PHONE_CODE_ATTEMPTS,
  type WebhookParams,
} from '@madoguchi/calls';
import { AppConfig } from '@madoguchi/config';
import {
  agentBridgedTwiml,
  agentDialTwiml,
  agentRefusedTwiml,
  callbackDialTwiml,
  callbackRequestedTwiml,
  emptyTwiml,
  enqueueTwiml,
  leaveQueueTwiml,
  outOfHoursTwiml,
  overflowGoodbyeTwiml,
  overflowOfferTwiml,
  overflowVoicemailTwiml,
  phoneCodeTwiml,
  voicemailThanksTwiml,
  waitTwiml,
  type WebhookUrls,
} from '../twiml/voice-twiml';
import { RequestClock } from './request-clock';

const TWIML = 'text/xml; charset=utf-8';

/**
 * Twilio's voice webhooks (signed: TwilioSignatureGuard). Thin: parameters are checked after the
 * signature (400, nothing written), the call log is CallRecorder's, the TwiML the builders'.
 * Bodies are taken as received (no DTO), so parameters Twilio adds later do no harm.
 */
@Controller('twilio/voice')
export class VoiceWebhookController {
  private readonly urls: WebhookUrls;
  private readonly windowNumber: string;

  constructor(
    private readonly recorder: CallRecorder,
    private readonly calendar: BusinessCalendar,
    private readonly requestClock: RequestClock,
    config: AppConfig,
  ) {
    this.urls = { base: config.http.telephonyPublicUrl };
    this.windowNumber = config.twilio.windowNumber;
  }

  @Post('incoming')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async incoming(@Req() request: FastifyRequest, @Body() body: WebhookParams): Promise<string> {
    const params = parseCallParams(body ?? {});
    const { withinHours } = await this.recorder.incoming(params, this.requestClock.now(request));
    return withinHours ? phoneCodeTwiml(this.urls, 1, true) : this.outOfHours();
  }

  @Post('phone-code')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async phoneCode(
    @Req() request: FastifyRequest,
    @Body() body: WebhookParams,
    @Query('attempt') attemptParam?: string,
  ): Promise<string> {
    const params = parseCallParams(body ?? {});
    const attempt = attemptParam === '2' ? 2 : 1;
    const result = await this.recorder.phoneCode(
      params,
      parseDigits(body ?? {}),
      attempt,
      this.requestClock.now(request),
    );
    switch (result.kind) {
      case 'out_of_hours':
        return this.outOfHours();
      case 'retry':
        return phoneCodeTwiml(this.urls, Math.min(attempt + 1, PHONE_CODE_ATTEMPTS), false);
      case 'enqueue':
        return enqueueTwiml(this.urls, result.tagged);
      case 'offer':
        return overflowOfferTwiml(this.urls, result.callbackAllowed);
    }
  }

  /**
   * The waitUrl, asked after every hold message: past TELEPHONY_OVERFLOW_MINUTES in the queue
   * (`QueueTime`), or when no agent is available, the caller leaves the queue (<Leave/>) and
   * queue-result offers voicemail or a callback.
   */
  @Post('wait')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async wait(@Body() body: WebhookParams): Promise<string> {
    if (await this.recorder.shouldOverflow(nonNegative(body?.QueueTime))) return leaveQueueTwiml();
    return waitTwiml(nonNegative(body?.QueuePosition), nonNegative(body?.AvgQueueTime));
  }

  @Post('queue-result')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async queueResult(@Req() request: FastifyRequest, @Body() body: WebhookParams): Promise<string> {
    const result = await this.recorder.queueResult(
      parseQueueResult(body ?? {}),
      this.requestClock.now(request),
    );
    return result.offer ? overflowOfferTwiml(this.urls, result.callbackAllowed) : emptyTwiml();
  }

  /** The overflow offer's <Gather numDigits="1"> action: 1 voicemail, 2 callback request. */
  @Post('overflow-choice')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async overflowChoice(
    @Req() request: FastifyRequest,
    @Body() body: WebhookParams,
    @Query('attempt') attemptParam?: string,
  ): Promise<string> {
    const attempt = attemptParam === '2' ? 2 : 1;
    const result = await this.recorder.overflowChoice(
      parseCallParams(body ?? {}),
      parseDigits(body ?? {}),
      attempt,
      this.requestClock.now(request),
    );
    switch (result.kind) {
      case 'voicemail':
        return overflowVoicemailTwiml(this.urls);
      case 'callback':
        return callbackRequestedTwiml();
      case 'retry':
        return overflowOfferTwiml(this.urls, result.callbackAllowed, 2);
      case 'give_up':
        return overflowGoodbyeTwiml();
    }
  }

  @Post('status')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async status(@Req() request: FastifyRequest, @Body() body: WebhookParams): Promise<string> {
    await this.recorder.status(parseStatusCallback(body ?? {}), this.requestClock.now(request));
    return emptyTwiml();
  }

  @Post('voicemail')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async voicemail(@Req() request: FastifyRequest, @Body() body: WebhookParams): Promise<string> {
    await this.recorder.recording(parseRecording(body ?? {}), this.requestClock.now(request));
    return voicemailThanksTwiml();
  }

  @Post('recording')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async recording(@Req() request: FastifyRequest, @Body() body: WebhookParams): Promise<string> {
    await this.recorder.recording(parseRecording(body ?? {}), this.requestClock.now(request));
    return emptyTwiml();
  }

  /**
   * The TwiML App's voice URL: an agent's browser client asks for the next waiting caller. Only an
   * existing, enabled staff user (admin, supervisor, agent) is connected; anyone else is told so
   * and hung up on.
   */
  @Post('agent-dial')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async agentDial(@Body() body: WebhookParams): Promise<string> {
    const agentId = parseAgentClient(body ?? {});
    if (!(await this.recorder.isActiveAgent(agentId))) return agentRefusedTwiml();
    // Click-to-call from a callback's page: the caller's number, only for the agent who took it.
    const callbackCallId = body?.callbackCallId;
    if (typeof callbackCallId === 'string' && callbackCallId !== '') {
      const number = /^\d{1,9}$/.test(callbackCallId)
        ? await this.recorder.callbackNumber(Number(callbackCallId), agentId)
        : null;
      return number === null ? agentRefusedTwiml() : callbackDialTwiml(this.windowNumber, number);
    }
    return agentDialTwiml(this.urls, agentId);
  }

  /** <Queue url>: runs on the caller's leg just before the bridge; records agent and answer. */
  @Post('agent-bridged')
  @HttpCode(200)
  @Header('content-type', TWIML)
  async agentBridged(
    @Req() request: FastifyRequest,
    @Body() body: WebhookParams,
    @Query('agentId') agentId?: string,
  ): Promise<string> {
    await this.recorder.agentBridged(
      parseAgentBridged(body ?? {}, agentId),
      this.requestClock.now(request),
    );
    return agentBridgedTwiml();
  }

  private outOfHours(): string {
    return outOfHoursTwiml(this.urls, this.calendar.openHour, this.calendar.closeHour);
  }
}

function nonNegative(value: unknown): number | null {
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : null;
}
