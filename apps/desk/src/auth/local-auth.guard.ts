import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import { LOGIN_FAILED_MESSAGE, type LoginResult } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { validationExceptionFactory } from '@madoguchi/http';
import { AttemptLimiter } from './attempt-limiter.service';
import { LoginDto } from './dto/login.dto';
import { LocalStrategy } from './local.strategy';
import { assertSameOriginLogin } from './login-origin.util';
import { nextParameter } from './safe-next-path.util';

/** Where the guards put the login result (not `user`, which the session guard owns). */
export const LOGIN_RESULT_PROPERTY = 'loginResult';

export type LoginRequest = FastifyRequest & {
  [LOGIN_RESULT_PROPERTY]?: LoginResult | null;
  loginError?: DomainException;
};

type PassportOutcome = { error: unknown; result: LoginResult | false };

/**
 * Runs passport's local strategy. Unlike @nestjs/passport's AuthGuard('local'), it hands passport
 * this app's strategy instance rather than the name 'local': passport keeps names in one
 * process-wide registry, so with two desk apps in one process (tests, several instances) the
 * last one created would answer every app's logins, with its own configuration.
 */
async function authenticateLocal(
  strategy: LocalStrategy,
  context: ExecutionContext,
): Promise<PassportOutcome> {
  const http = context.switchToHttp();
  const request = http.getRequest<FastifyRequest>();
  const reply = http.getResponse<FastifyReply>();
  return new Promise<PassportOutcome>((resolve, reject) => {
    // Passport binds success/fail onto the object it is given: a fresh one per request, as it does for names.
    const perRequest = Object.create(strategy) as passport.Strategy;
    const middleware = passport.authenticate(
      perRequest,
      { session: false },
      (error: unknown, result: LoginResult | false) => resolve({ error, result }),
    ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
    middleware(request, reply, (error?: unknown) =>
      error ? reject(error) : resolve({ error: null, result: false }),
    );
  });
}

/**
 * The JSON login. Guards run before pipes, so the body is validated here (the same rules as the
 * global ValidationPipe) before a password is ever checked; errors leave as the standard body.
 * Before the password: the origin check (login CSRF, 403) and the attempt budgets per IP and
 * per account (429), so a refused attempt costs no argon2 hash.
 */
@Injectable()
export class LocalAuthGuard implements CanActivate {
  constructor(
    private readonly strategy: LocalStrategy,
    private readonly limiter: AttemptLimiter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<LoginRequest>();
    assertSameOriginLogin(request, this.config.http.deskPublicUrl);
    const body: unknown = request.body;
    const dto = plainToInstance(LoginDto, body && typeof body === 'object' ? body : {});
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw validationExceptionFactory(errors);
    await this.limiter.reserveLogin(request.ip ?? null, dto.email);
    const { error, result } = await authenticateLocal(this.strategy, context);
    if (error) throw error;
    if (!result) throw new DomainException(ErrorCode.AuthenticationFailed, LOGIN_FAILED_MESSAGE);
    request[LOGIN_RESULT_PROPERTY] = result;
    return true;
  }
}

/**
 * The HTML login form: a failure is kept on the request (loginError) so the page can show it
 * beside the form with the values kept, instead of an error page. A cross-site post (403) or a
 * malformed `next` (400) is refused outright, before any password is checked or session created;
 * an attempt over the budget (429) shows on the form.
 */
@Injectable()
export class LocalFormAuthGuard implements CanActivate {
  constructor(
    private readonly strategy: LocalStrategy,
    private readonly limiter: AttemptLimiter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<LoginRequest>();
    assertSameOriginLogin(request, this.config.http.deskPublicUrl);
    const body = (request.body ?? {}) as Record<string, unknown>;
    nextParameter(body.next);
    const { email, password } = body;
    // Repeated or oversized fields are no credentials; the form shows the usual failure.
    if (
      typeof email !== 'string' ||
      typeof password !== 'string' ||
      email.length > 254 ||
      password.length > 1024
    ) {
      request.loginError = new DomainException(
        ErrorCode.AuthenticationFailed,
        LOGIN_FAILED_MESSAGE,
      );
      return true;
    }
    try {
      await this.limiter.reserveLogin(request.ip ?? null, email);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      request.loginError = error;
      return true;
    }
    const { error, result } = await authenticateLocal(this.strategy, context);
    if (error && !(error instanceof DomainException)) throw error;
    if (error || !result) {
      request.loginError =
        (error as DomainException | null) ??
        new DomainException(ErrorCode.AuthenticationFailed, LOGIN_FAILED_MESSAGE);
      request[LOGIN_RESULT_PROPERTY] = null;
      return true;
    }
    request[LOGIN_RESULT_PROPERTY] = result;
    return true;
  }
}
