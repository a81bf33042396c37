import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  IsNull,
  LessThan,
  LessThanOrEqual,
  MoreThan,
  MoreThanOrEqual,
} from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, DomainException, ErrorCode, runTransaction } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { FieldCipher } from '@madoguchi/crypto';
import { IpAccessService } from '../ip/ip-access.service';
import { hashPassword, verifyPassword } from '../password/password-hasher';
import type { AuthenticatedUser } from '../session/authenticated-user.type';
import { SessionService, type SessionContext } from '../session/session.service';
import { TotpService } from '../totp/totp.service';
import { User } from '../user/user.entity';

export interface LoginInput {
  email: string;
  password: string;
  totp?: string | null;
}

export interface LoginResult {
  /** The session cookie's value. */
  token: string;
  user: AuthenticatedUser;
}

/**
 * One message for every wrong email, password or code, a refused address and a locked account
 * alike: a failure says nothing about which (a distinct answer for a lock would confirm that the
 * account exists, docs/security.md "Existence is not revealed"). The lock is in the audit trail
 * and the admin's user list.
 */
export const LOGIN_FAILED_MESSAGE =
  'メールアドレス、パスワードまたは確認コードが正しくありません。';

let processDummyHash: Promise<string> | undefined;

/**
 * The dummy hash, made once per process at the desk's cost: it holds no secret, and every desk
 * started in one process (the test suites start many) need not pay ~350 ms of argon2 again.
 */
function dummyPasswordHash(): Promise<string> {
  if (!processDummyHash) {
    processDummyHash = hashPassword('madoguchi-dummy-password-for-timing');
    // Failures surface where the hash is awaited; avoid an unhandled rejection meanwhile.
    processDummyHash.catch(() => {
      processDummyHash = undefined;
    });
  }
  return processDummyHash;
}

type FailureReason =
  'unknown_user' | 'bad_password' | 'bad_totp' | 'locked' | 'disabled' | 'ip_not_allowed';

/**
 * IP allow-list first, then password (argon2id) and, when enrolled, TOTP check; each attempt is
 * reserved atomically in the database before it is verified, so parallel attempts cannot slip
 * past the lockout limit; a new session at each success. Every outcome is audited without the password or the email.
 */
@Injectable()
export class LoginService implements OnModuleInit {
  /** A real argon2id hash to verify against for unknown emails, so timing does not reveal accounts. */
  private dummyHash: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly totp: TotpService,
    private readonly ipAccess: IpAccessService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.dummyHash = dummyPasswordHash();
  }

  async login(
    input: LoginInput,
    context: SessionContext,
    now = this.clock.now(),
  ): Promise<LoginResult> {
    const email = input.email.trim().toLowerCase();
    const user = await this.dataSource.manager.findOne(User, { where: { email } });
    if (!user) {
      await verifyPassword(await this.dummyHash, input.password);
      await this.fail(null, 'unknown_user', context);
    }
    const known = user as User;

    // The allow-list comes first and answers like a wrong password (the real reason is only in
    // the audit): checked after the password, a 403 would confirm a right guess. The dummy
    // verify keeps the timing of a real attempt; nothing is counted.
    if (!(await this.ipAccess.allows(known, context.ip))) {
      await verifyPassword(await this.dummyHash, input.password);
      await this.fail(known, 'ip_not_allowed', context);
    }

    // Reserve the attempt before the slow verify, so parallel guesses cannot all be tried.
    await this.reserveAttempt(known, input.password, context, now);

    const passwordOk = await verifyPassword(known.passwordHash, input.password);
    if (known.disabledAt) {
      await this.releaseAttempt(known.id);
      await this.fail(known, 'disabled', context);
    }
    if (!passwordOk) await this.failAndCount(known, 'bad_password', context, now);

    let usedTotp = false;
    if (known.totpSecret) {
      const accepted = await this.totp.consumeCode(
        known.id,
        this.cipher.decrypt(known.totpSecret),
        input.totp,
        now,
      );
      if (!accepted) await this.failAndCount(known, 'bad_totp', context, now);
      usedTotp = true;
    }

    const result = await runTransaction(this.dataSource, async (manager) => {
      // Reset only while unlocked: a lock set meanwhile by parallel failures stays.
      const reset = await manager
        .createQueryBuilder()
        .update(User)
        .set({ failedLoginCount: 0 })
        .where({ id: known.id, lockedUntil: IsNull() })
        .execute();
      if ((reset.affected ?? 0) === 0) {
        await this.recordFailure(manager, known, 'locked', context);
        return null;
      }
      const { token, session } = await this.sessions.create(manager, known.id, context, now);
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: known.id },
          action: AUDIT_ACTIONS.authLoginSucceeded,
          merchantId: known.merchantId,
          target: { type: 'session', id: session.id },
          ip: context.ip,
          detail: { totp: usedTotp },
        },
        now,
      );
      return { token, user: this.sessions.toAuthenticatedUser(session, known) };
    });
    if (!result) throw this.failure();
    return result;
  }

  /**
   * Counts the attempt up front with a conditional `failed_login_count = failed_login_count + 1`
   * that only matches an unlocked account below the limit, so at most LOGIN_MAX_FAILURES
   * attempts are ever verified, however many arrive at once. A failure keeps the increment; a
   * success resets the count. An expired lock first starts a clean count. When nothing matched
   * the account is locked; if the limit is reached but no lock is set yet, this sets it. A locked
   * account still costs one argon2 verify (of the dummy hash) and answers like a wrong password,
   * so neither the status, the body nor the time tells a lock apart.
   */
  private async reserveAttempt(
    user: User,
    password: string,
    context: SessionContext,
    now: Date,
  ): Promise<void> {
    const { maxFailedLogins } = this.config.auth;
    const reserved = await runTransaction(this.dataSource, async (manager) => {
      await manager
        .createQueryBuilder()
        .update(User)
        .set({ failedLoginCount: 0, lockedUntil: null })
        .where({ id: user.id, lockedUntil: LessThanOrEqual(now) })
        .execute();
      const reservation = await manager
        .createQueryBuilder()
        .update(User)
        .set({ failedLoginCount: () => 'failed_login_count + 1' })
        .where([
          { id: user.id, lockedUntil: IsNull(), failedLoginCount: LessThan(maxFailedLogins) },
          {
            id: user.id,
            lockedUntil: LessThanOrEqual(now),
            failedLoginCount: LessThan(maxFailedLogins),
          },
        ])
        .execute();
      if ((reservation.affected ?? 0) > 0) return true;
      await this.recordFailure(manager, user, 'locked', context);
      await this.lockIfAtLimit(manager, user, context, now);
      return false;
    });
    if (!reserved) {
      await verifyPassword(await this.dummyHash, password);
      throw this.failure();
    }
  }

  /** Gives a reserved attempt back (an outcome that does not count). */
  private async releaseAttempt(userId: number): Promise<void> {
    await runTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(User)
        .set({ failedLoginCount: () => 'failed_login_count - 1' })
        .where({ id: userId, lockedUntil: IsNull(), failedLoginCount: MoreThan(0) })
        .execute(),
    );
  }

  /** Records a failure that does not count towards the lock, then throws. */
  private async fail(
    user: User | null,
    reason: FailureReason,
    context: SessionContext,
  ): Promise<never> {
    await runTransaction(this.dataSource, (manager) =>
      this.recordFailure(manager, user, reason, context),
    );
    throw this.failure();
  }

  /**
   * A failed password or code: the attempt reserved by reserveAttempt stays counted; the account
   * is locked if the count reached the limit. Only the request whose update sets the lock audits
   * it; every one answers like a wrong password.
   */
  private async failAndCount(
    user: User,
    reason: FailureReason,
    context: SessionContext,
    now: Date,
  ): Promise<never> {
    await runTransaction(this.dataSource, async (manager) => {
      await this.recordFailure(manager, user, reason, context);
      await this.lockIfAtLimit(manager, user, context, now);
    });
    throw this.failure();
  }

  /**
   * `SET locked_until = now + LOGIN_LOCKOUT_MINUTES WHERE failed_login_count >= max AND
   * locked_until IS NULL`; true (and audited) only for the one update that set it.
   */
  private async lockIfAtLimit(
    manager: EntityManager,
    user: User,
    context: SessionContext,
    now: Date,
  ): Promise<boolean> {
    const { maxFailedLogins, lockoutMinutes } = this.config.auth;
    const lock = await manager
      .createQueryBuilder()
      .update(User)
      .set({ lockedUntil: new Date(now.getTime() + lockoutMinutes * 60_000) })
      .where({
        id: user.id,
        failedLoginCount: MoreThanOrEqual(maxFailedLogins),
        lockedUntil: IsNull(),
      })
      .execute();
    if ((lock.affected ?? 0) === 0) return false;
    await this.audit.record(
      manager,
      {
        actor: { type: 'user', id: user.id },
        action: AUDIT_ACTIONS.authAccountLocked,
        merchantId: user.merchantId,
        target: { type: 'user', id: user.id },
        ip: context.ip,
        detail: { lockoutMinutes },
      },
      now,
    );
    return true;
  }

  private recordFailure(
    manager: EntityManager,
    user: User | null,
    reason: FailureReason,
    context: SessionContext,
  ): Promise<void> {
    return this.audit.record(manager, {
      // Unknown emails are recorded without the email: it may be personal data, or a typo'd password.
      actor: { type: 'user', id: user?.id ?? null },
      action: AUDIT_ACTIONS.authLoginFailed,
      merchantId: user?.merchantId ?? null,
      ip: context.ip,
      detail: { reason },
    });
  }

  private failure(): DomainException {
    return new DomainException(ErrorCode.AuthenticationFailed, LOGIN_FAILED_MESSAGE);
  }
}
