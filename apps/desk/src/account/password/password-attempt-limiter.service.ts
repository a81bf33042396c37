import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, DomainException, ErrorCode } from '@madoguchi/common';
import { BlindIndex } from '@madoguchi/crypto';
import { DatabaseRateLimitCounter } from '@madoguchi/http';
import { PASSWORD_TEXTS } from './password.texts';

/** Password changes per user per window (each checks the current password: an argon2 hash). */
export const PASSWORD_CHANGE_LIMIT = 10;
/** Forgotten-password mails asked per typed address per window (known or not). */
export const PASSWORD_RESET_LIMIT_PER_ADDRESS = 5;
/** Forgotten-password requests per client IP per window. */
export const PASSWORD_RESET_LIMIT_PER_IP = 20;
export const PASSWORD_LIMIT_WINDOW_MS = 60 * 60_000;

/**
 * Budgets of the password pages, counted in the shared database counter before any work (as the
 * login's): the change per user, the forgotten-password mail per client IP and per typed address
 * (its blind index, so the counter holds no address and an unknown one counts the same).
 */
@Injectable()
export class PasswordAttemptLimiter {
  private readonly changes: DatabaseRateLimitCounter;
  private readonly resets: DatabaseRateLimitCounter;

  constructor(
    dataSource: DataSource,
    private readonly blindIndex: BlindIndex,
    clock: Clock,
  ) {
    const now = () => clock.now().getTime();
    this.changes = new DatabaseRateLimitCounter(dataSource, 'desk-password-change', now);
    this.resets = new DatabaseRateLimitCounter(dataSource, 'desk-password-reset', now);
  }

  async reserveChange(userId: number): Promise<void> {
    const state = await this.changes.hit(`user:${userId}`, PASSWORD_LIMIT_WINDOW_MS);
    if (state.current > PASSWORD_CHANGE_LIMIT) throw rateLimited();
  }

  async reserveReset(ip: string | null, email: string): Promise<void> {
    const [byIp, byAddress] = await Promise.all([
      this.resets.hit(`ip:${ip ?? 'unknown'}`, PASSWORD_LIMIT_WINDOW_MS),
      this.resets.hit(`address:${this.blindIndex.email(email)}`, PASSWORD_LIMIT_WINDOW_MS),
    ]);
    if (
      byIp.current > PASSWORD_RESET_LIMIT_PER_IP ||
      byAddress.current > PASSWORD_RESET_LIMIT_PER_ADDRESS
    ) {
      throw rateLimited();
    }
  }
}

function rateLimited(): DomainException {
  return new DomainException(ErrorCode.RateLimited, PASSWORD_TEXTS.rateLimited);
}
