import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, Not } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { generateSecretToken, hashSecretToken } from '@madoguchi/crypto';
import { OutboxService } from '@madoguchi/mail';
import { hashPassword, verifyPassword } from '../password/password-hasher';
import { newPasswordErrors, type NewPasswordInput } from '../password/password-policy';
import { Session } from '../session/session.entity';
import { SessionService } from '../session/session.service';
import { User } from '../user/user.entity';
import { userAuditSubject } from '../user/user-audit-subject.util';
import { passwordResetMail } from './password-reset-mail.template';

/** How long a forgotten-password link works. */
export const PASSWORD_RESET_VALID_MINUTES = 30;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const RESET_NOT_FOUND = 'このリンクは使えません。有効期限が切れたか、すでに使われています。';

export interface PasswordChangeInput extends NewPasswordInput {
  currentPassword: string;
}

/**
 * A user's own password: the change (current password, then a new one; every other session of
 * the user ends) and the forgotten-password flow (a one-time link by mail, stored as SHA-256,
 * valid {@link PASSWORD_RESET_VALID_MINUTES} minutes; setting the password through it resets the
 * lockout and ends every session). The same answer whether or not the address exists is the
 * caller's (the page says the same thing either way); rate limits are the desk's. Each change is
 * audited in its transaction; the mail goes through the outbox in the same transaction.
 */
@Injectable()
export class AccountPasswordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * Changes the signed-in user's password. A wrong current password is a field error on
   * `currentPassword`; the new one must pass the password rule. Returns the sessions ended.
   */
  async change(
    userId: number,
    sessionId: number,
    input: PasswordChangeInput,
    ip: string | null,
    now = this.clock.now(),
  ): Promise<number> {
    const user = await this.dataSource.manager.findOneBy(User, { id: userId });
    if (!user) throw new NotFoundException('ユーザーが見つかりません。');
    const errors = newPasswordErrors(input, user);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      errors.unshift({ field: 'currentPassword', message: '現在のパスワードが正しくありません。' });
    } else if (errors.length === 0 && (await verifyPassword(user.passwordHash, input.password))) {
      errors.push({ field: 'password', message: '現在と同じパスワードには変更できません。' });
    }
    if (errors.length > 0) throw new ValidationFailedException(errors);
    const passwordHash = await hashPassword(input.password);
    return runTransaction(this.dataSource, async (manager) => {
      await manager.update(User, { id: userId }, { passwordHash, updatedAt: now });
      const ended = await manager.update(
        Session,
        { userId, id: Not(sessionId), revokedAt: IsNull() },
        { revokedAt: now },
      );
      const sessionsEnded = ended.affected ?? 0;
      await this.audit
        .by({ userId: user.id, ip }, manager, now)
        .record(AUDIT_ACTIONS.userPasswordChanged, userAuditSubject(user), {
          sessionsEnded,
        });
      return sessionsEnded;
    });
  }

  /**
   * A forgotten-password mail for `email`, if it is an enabled account that has a password
   * (not a pending invitation). Nothing tells the caller whether it was: unknown addresses
   * return quietly. A new request replaces the previous link.
   */
  async requestReset(email: string, ip: string | null, now = this.clock.now()): Promise<void> {
    const address = email.trim().toLowerCase();
    if (address === '' || address.length > 254) return;
    await runTransaction(this.dataSource, async (manager) => {
      const user = await manager.findOneBy(User, { email: address });
      if (!user || user.disabledAt !== null || user.inviteTokenHash !== null) return;
      const token = generateSecretToken();
      const expiresAt = new Date(now.getTime() + PASSWORD_RESET_VALID_MINUTES * 60_000);
      await manager.update(
        User,
        { id: user.id },
        { passwordResetTokenHash: hashSecretToken(token), passwordResetExpiresAt: expiresAt },
      );
      await this.outbox.enqueueMail(
        manager,
        passwordResetMail({
          to: user.email,
          displayName: user.displayName,
          url: `${this.config.http.deskPublicUrl}/password/reset/${token}`,
          validMinutes: PASSWORD_RESET_VALID_MINUTES,
        }),
        now,
      );
      await this.audit
        .by({ userId: user.id, ip }, manager, now)
        .record(AUDIT_ACTIONS.userPasswordResetRequested, userAuditSubject(user));
    });
  }

  /** The account a reset link stands for; NotFound when unknown, used, expired or disabled. */
  async findReset(
    token: string,
    now = this.clock.now(),
  ): Promise<{ email: string; displayName: string }> {
    const user = await this.resetUserOf(this.dataSource.manager, token, now);
    return { email: user.email, displayName: user.displayName };
  }

  /**
   * Sets a new password through a reset link: spends the link, clears the lockout and ends
   * every session of the user.
   */
  async reset(
    token: string,
    input: NewPasswordInput,
    ip: string | null,
    now = this.clock.now(),
  ): Promise<void> {
    const user = await this.resetUserOf(this.dataSource.manager, token, now);
    const errors = newPasswordErrors(input, user);
    if (errors.length > 0) throw new ValidationFailedException(errors);
    const passwordHash = await hashPassword(input.password);
    await runTransaction(this.dataSource, async (manager) => {
      // Conditional on the token: of two submissions of one link, only the first sets a password.
      const result = await manager.update(
        User,
        { id: user.id, passwordResetTokenHash: hashSecretToken(token) },
        {
          passwordHash,
          passwordResetTokenHash: null,
          passwordResetExpiresAt: null,
          failedLoginCount: 0,
          lockedUntil: null,
          updatedAt: now,
        },
      );
      if ((result.affected ?? 0) !== 1) throw new NotFoundException(RESET_NOT_FOUND);
      const sessionsEnded = await this.sessions.revokeAllForUser(user.id, manager, now);
      await this.audit
        .by({ userId: user.id, ip }, manager, now)
        .record(AUDIT_ACTIONS.userPasswordReset, userAuditSubject(user), {
          sessionsEnded,
        });
    });
  }

  private async resetUserOf(manager: EntityManager, token: string, now: Date): Promise<User> {
    const user = TOKEN_PATTERN.test(token)
      ? await manager.findOneBy(User, { passwordResetTokenHash: hashSecretToken(token) })
      : null;
    if (
      !user ||
      user.disabledAt !== null ||
      !user.passwordResetExpiresAt ||
      user.passwordResetExpiresAt.getTime() <= now.getTime()
    ) {
      throw new NotFoundException(RESET_NOT_FOUND);
    }
    return user;
  }
}
