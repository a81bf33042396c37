import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { type LoginResult, LoginService } from '@madoguchi/auth';

/**
 * Passport's local strategy over the auth lib's LoginService (password, TOTP, lockout, IP list,
 * new session). No passport session: the desk keeps its own server-side sessions.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly logins: LoginService) {
    super({
      usernameField: 'email',
      passwordField: 'password',
      passReqToCallback: true,
      session: false,
    });
  }

  async validate(request: FastifyRequest, email: string, password: string): Promise<LoginResult> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const totp = typeof body.totp === 'string' ? body.totp : null;
    const userAgent = request.headers['user-agent'] ?? null;
    return this.logins.login({ email, password, totp }, { ip: request.ip ?? null, userAgent });
  }
}
