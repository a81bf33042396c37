import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { DomainException, ErrorCode, runTransaction } from '@madoguchi/common';
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

/** One message for every wrong email, password or code: a failure says nothing about which. */
export const LOGIN_FAILED_MESSAGE =
  'メールアドレス、パスワードまたは確認コードが正しくありません。';
export const ACCOUNT_LOCKED_MESSAGE =
  'ログインの失敗が続いたため、このアカウントは一時的にロックされています。しばらくしてからお試しください。';
export const IP_NOT_ALLOWED_MESSAGE =
  'この接続元からはログインできません。管理者にお問い合わせください。';

type LoginErrorCode =
  ErrorCode.AuthenticationFailed | ErrorCode.AccountLocked | ErrorCode.Forbidden;

const LOGIN_ERROR_MESSAGES: Record<LoginErrorCode, string> = {
  [ErrorCode.AuthenticationFailed]: LOGIN_FAILED_MESSAGE,
  [ErrorCode.AccountLocked]: ACCOUNT_LOCKED_MESSAGE,
  [ErrorCode.Forbidden]: IP_NOT_ALLOWED_MESSAGE,
};

type FailureReason =
  'unknown_user' | 'bad_password' | 'bad_totp' | 'locked' | 'disabled' | 'ip_not_allowed';

/**
 * Password (argon2id) and, when enrolled, TOTP check; lockout after repeated failures, counted
 * atomically in the database so parallel attempts cannot slip past the limit; a new session at
 * each success. Every outcome is audited without the password or the email.
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
  ) {}

  onModuleInit(): void {
    this.dummyHash = hashPassword('madoguchi-dummy-password-for-timing');
    // Failures surface where the hash is awaited; avoid an unhandled rejection meanwhile.
    this.dummyHash.catch(() => undefined);
  }

  async login(input: LoginInput, context: SessionContext, now = new Date()): Promise<LoginResult> {
    const email = input.email.trim().toLowerCase();
    const user = await this.dataSource.manager.findOne(User, { where: { email } });
    if (!user) {
      await verifyPassword(await this.dummyHash, input.password);
      await this.fail(null, 'unknown_user', context);
    }
    const known = user as User;

    if (known.lockedUntil && known.lockedUntil.getTime() > now.getTime()) {
      await this.fail(known, 'locked', context, ErrorCode.AccountLocked);
    }
    if (known.lockedUntil) {
      // The lock has run out: the account starts again with a clean count.
      await this.dataSource.manager.update(
        User,
        { id: known.id, lockedUntil: LessThanOrEqual(now) },
        { failedLoginCount: 0, lockedUntil: null },
      );
    }

    const passwordOk = await verifyPassword(known.passwordHash, input.password);
    if (known.disabledAt) await this.fail(known, 'disabled', context);
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

    if (!(await this.ipAccess.allows(known, context.ip))) {
      await this.fail(known, 'ip_not_allowed', context, ErrorCode.Forbidden);
    }

    return runTransaction(this.dataSource, async (manager) => {
      await manager.update(User, { id: known.id }, { failedLoginCount: 0, lockedUntil: null });
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
  }

  /** Records a failure that does not count towards the lock, then throws. */
  private async fail(
    user: User | null,
    reason: FailureReason,
    context: SessionContext,
    code: LoginErrorCode = ErrorCode.AuthenticationFailed,
  ): Promise<never> {
    await runTransaction(this.dataSource, (manager) =>
      this.recordFailure(manager, user, reason, context),
    );
    throw this.exceptionFor(code);
  }

  /**
   * Counts a failure with `failed_login_count = failed_login_count + 1` (no read-modify-write, so
   * parallel attempts are all counted), then locks the account if the count reached the limit.
   * Only the request whose update sets the lock audits it.
   */
  private async failAndCount(
    user: User,
    reason: FailureReason,
    context: SessionContext,
    now: Date,
  ): Promise<never> {
    const { maxFailedLogins, lockoutMinutes } = this.config.auth;
    const locked = await runTransaction(this.dataSource, async (manager) => {
      await manager
        .createQueryBuilder()
        .update(User)
        .set({ failedLoginCount: () => 'failed_login_count + 1' })
        .where({ id: user.id })
        .execute();
      await this.recordFailure(manager, user, reason, context);
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
    });
    throw this.exceptionFor(locked ? ErrorCode.AccountLocked : ErrorCode.AuthenticationFailed);
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

  private exceptionFor(code: LoginErrorCode): DomainException {
    return new DomainException(code, LOGIN_ERROR_MESSAGES[code]);
  }
}
