import { Injectable } from '@nestjs/common';
import twilio from 'twilio';
import { AppConfig } from '@madoguchi/config';
import { DomainException, ErrorCode } from '@madoguchi/common';

/** Seconds a Voice access token lives; the browser asks for a new one before it runs out. */
export const VOICE_TOKEN_TTL_SECONDS = 3600;

export interface VoiceToken {
  token: string;
  /** The Twilio Client identity: `agent-<userId>`; the TwiML App's From is `client:` + this. */
  identity: string;
  expiresInSeconds: number;
}

/** The identity of a desk user in the Twilio Voice SDK. */
export function agentIdentity(userId: number): string {
  return `agent-${userId}`;
}

/**
 * Issues the Twilio Voice access token an agent's browser needs to take calls: signed with the
 * API key, granting outgoing calls to the window's TwiML App only (no incoming calls: the agent
 * dials the queue). The secret never leaves this class; nothing here is logged.
 */
@Injectable()
export class VoiceTokenService {
  constructor(private readonly config: AppConfig) {}

  isConfigured(): boolean {
    const { accountSid, apiKeySid, apiKeySecret, twimlAppSid } = this.config.twilio;
    return Boolean(accountSid && apiKeySid && apiKeySecret && twimlAppSid);
  }

  issue(userId: number): VoiceToken {
    const { accountSid, apiKeySid, apiKeySecret, twimlAppSid } = this.config.twilio;
    if (!accountSid || !apiKeySid || !apiKeySecret || !twimlAppSid) {
      throw new DomainException(
        ErrorCode.TelephonyNotConfigured,
        'ブラウザでの通話は設定されていません（TWILIO_ACCOUNT_SID、TWILIO_API_KEY_SID、TWILIO_API_KEY_SECRET、TWILIO_TWIML_APP_SID）。',
      );
    }
    const identity = agentIdentity(userId);
    const token = new twilio.jwt.AccessToken(accountSid, apiKeySid, apiKeySecret, {
      identity,
      ttl: VOICE_TOKEN_TTL_SECONDS,
    });
    token.addGrant(
      new twilio.jwt.AccessToken.VoiceGrant({
        outgoingApplicationSid: twimlAppSid,
        incomingAllow: false,
      }),
    );
    return { token: token.toJwt(), identity, expiresInSeconds: VOICE_TOKEN_TTL_SECONDS };
  }
}
