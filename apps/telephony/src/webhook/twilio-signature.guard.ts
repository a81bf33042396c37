import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { IS_PUBLIC_KEY } from '@madoguchi/http';

const FORBIDDEN_MESSAGE = 'Twilio の署名を確認できませんでした。';

/**
 * Every route of the telephony app needs a valid `X-Twilio-Signature` (deny by default; /healthz
 * is @Public). The signature covers TELEPHONY_PUBLIC_URL + the path and query exactly as
 * received, and every form parameter as received: the body is checked before any DTO could
 * strip the parameters Twilio adds without notice. Without TWILIO_AUTH_TOKEN every webhook is
 * refused (logged once).
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger('TwilioSignature');
  private warnedNoToken = false;

  constructor(
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const authToken = this.config.twilio.authToken;
    if (!authToken) {
      if (!this.warnedNoToken) {
        this.warnedNoToken = true;
        this.logger.error('TWILIO_AUTH_TOKEN is not set: every Twilio webhook is refused with 403');
      }
      throw new DomainException(ErrorCode.Forbidden, FORBIDDEN_MESSAGE);
    }
    const signature = request.headers['x-twilio-signature'];
    const body = request.body;
    const params =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
    const url = `${this.config.http.telephonyPublicUrl}${request.url}`;
    if (
      typeof signature !== 'string' ||
      !twilio.validateRequest(authToken, signature, url, params)
    ) {
      throw new DomainException(ErrorCode.Forbidden, FORBIDDEN_MESSAGE);
    }
    return true;
  }
}
