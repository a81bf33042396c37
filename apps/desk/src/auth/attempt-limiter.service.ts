import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, DomainException, ErrorCode } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { BlindIndex } from '@madoguchi/crypto';
import { DatabaseRateLimitCounter } from '@madoguchi/http';

/** Login attempts are counted in windows of this length. */
export const LOGIN_LIMIT_WINDOW_MS = 10 * 60_000;
/** Password re-entries (exports) are counted in windows of this length. */
export const REAUTH_LIMIT_WINDOW_MS = 60 * 60_000;

export const LOGIN_RATE_LIMITED_MESSAGE =
  'ログインの試行が多すぎます。しばらく時間をおいてからもう一度お試しください。';
export const REAUTH_RATE_LIMITED_MESSAGE =
  'パスワードの確認が多すぎます。しばらく時間をおいてからもう一度お試しください。';

/**
 * Attempt budgets for everything that checks a password (an argon2 hash each, ~0.1 s of CPU):
 * the desk's logins per client IP and per account (the blind index of the typed email, known or
 * not), and password re-entries per user. Each attempt is reserved in the database counter
 * (rate_limit_counters, shared by every instance) before the hash is computed, so parallel
 * requests cannot all be checked; over the budget the answer is 429 without any hash. The
 * account's own lockout (LOGIN_MAX_FAILURES) still applies below this.
 */
@Injectable()
export class AttemptLimiter {
  private readonly logins: DatabaseRateLimitCounter;
  private readonly reauth: DatabaseRateLimitCounter;

  constructor(
    dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly blindIndex: BlindIndex,
    clock: Clock,
  ) {
    const now = () => clock.now().getTime();
    this.logins = new DatabaseRateLimitCounter(dataSource, 'desk-login', now);
    this.reauth = new DatabaseRateLimitCounter(dataSource, 'desk-reauth', now);
  }

  /** Reserves one login attempt for the client address and the typed email; 429 when over either. */
  async reserveLogin(ip: string | null, email: string): Promise<void> {
    const { loginLimitPerIp, loginLimitPerAccount } = this.config.auth;
    const [byIp, byAccount] = await Promise.all([
      loginLimitPerIp > 0 ? this.logins.hit(`ip:${ip ?? 'unknown'}`, LOGIN_LIMIT_WINDOW_MS) : null,
      loginLimitPerAccount > 0
        ? this.logins.hit(`account:${this.blindIndex.email(email)}`, LOGIN_LIMIT_WINDOW_MS)
        : null,
    ]);
    if (
      (byIp !== null && byIp.current > loginLimitPerIp) ||
      (byAccount !== null && byAccount.current > loginLimitPerAccount)
    ) {
      throw rateLimited(LOGIN_RATE_LIMITED_MESSAGE);
    }
  }

  /** Reserves one password re-entry for the user (any outcome counts); 429 when over. */
  async reserveReauth(userId: number): Promise<void> {
    const limit = this.config.auth.reauthLimitPerUser;
    if (limit === 0) return;
    const state = await this.reauth.hit(`user:${userId}`, REAUTH_LIMIT_WINDOW_MS);
    if (state.current > limit) throw rateLimited(REAUTH_RATE_LIMITED_MESSAGE);
  }
}

function rateLimited(message: string): DomainException {
  return new DomainException(ErrorCode.RateLimited, message);
}
