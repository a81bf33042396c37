import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, LessThan } from 'typeorm';
import { Clock } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { generateSecretToken, hashSecretToken } from '@madoguchi/crypto';
import { User } from '../user/user.entity';
import { isStaffRole } from '../user/user-role.util';
import type { AuthenticatedUser } from './authenticated-user.type';
import { Session } from './session.entity';

/** The cookie that carries the session token. */
export const SESSION_COOKIE = 'madoguchi_session';

/** lastSeenAt is written at most this often, so a busy console does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;
// generateSecretToken() gives 43 base64url characters; anything else is not one of ours.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionContext {
  ip: string | null;
  userAgent: string | null;
}

export interface CreatedSession {
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
  session: Session;
}

/**
 * Server-side sessions: a random token in the cookie, its SHA-256 in the database, so sessions
 * are revocable and a database dump cannot be replayed. Each login makes a new session (a new
 * id and token), never reusing one.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async create(
    manager: EntityManager,
    userId: number,
    context: SessionContext,
    now = this.clock.now(),
  ): Promise<CreatedSession> {
    const token = generateSecretToken();
    const session = await manager.save(
      manager.create(Session, {
        tokenHash: hashSecretToken(token),
        userId,
        csrfToken: generateSecretToken(),
        pendingTotpSecret: null,
        ip: context.ip?.slice(0, 45) ?? null,
        userAgent: context.userAgent?.slice(0, 255) ?? null,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.config.auth.sessionMaxHours * 3_600_000),
        revokedAt: null,
      }),
    );
    return { token, session };
  }

  /**
   * The user a cookie token stands for, or null when the session is unknown, revoked, past its
   * absolute or idle limit, or its user is disabled.
   */
  async authenticate(
    token: string | null | undefined,
    now = this.clock.now(),
  ): Promise<AuthenticatedUser | null> {
    if (!token || !TOKEN_PATTERN.test(token)) return null;
    const session = await this.sessionWithUser('session.tokenHash = :tokenHash', {
      tokenHash: hashSecretToken(token),
    });
    if (!session?.user || !this.isLive(session, session.user, now)) return null;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      await this.dataSource.manager.update(Session, { id: session.id }, { lastSeenAt: now });
    }
    return this.toAuthenticatedUser(session, session.user);
  }

  toAuthenticatedUser(session: Session, user: User): AuthenticatedUser {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      merchantId: user.merchantId,
      sessionId: session.id,
      csrfToken: session.csrfToken,
      mustEnrolTotp: this.mustEnrolTotp(user),
      callAvailability: user.callAvailability,
    };
  }

  /**
   * A user without a second factor may only enrol one while it is required of them: staff when
   * the desk requires it (always in production), a merchant's users when their merchant admin
   * requires it (merchants.require_totp, read with the session's user in one query).
   */
  mustEnrolTotp(
    user: Pick<User, 'role' | 'totpSecret'> & { merchant?: { requireTotp?: boolean } | null },
  ): boolean {
    if (user.totpSecret) return false;
    if (isStaffRole(user.role)) return this.config.auth.requireStaffTotp;
    return user.merchant?.requireTotp === true;
  }

  async findLive(sessionId: number, now = this.clock.now()): Promise<Session | null> {
    const session = await this.sessionWithUser('session.id = :sessionId', { sessionId });
    return session?.user && this.isLive(session, session.user, now) ? session : null;
  }

  /**
   * One session row with its user in ONE query (every desk request runs this). `findOne` with
   * `relations` takes two: a DISTINCT id query, then the row (docs/benchmarks.md).
   */
  private sessionWithUser(
    condition: string,
    parameters: Record<string, string | number>,
  ): Promise<Session | null> {
    return this.dataSource.manager
      .createQueryBuilder(Session, 'session')
      .innerJoinAndSelect('session.user', 'user')
      .leftJoin('user.merchant', 'merchant')
      .addSelect(['merchant.id', 'merchant.requireTotp'])
      .where(condition, parameters)
      .getOne();
  }

  /** Ends one session. True when it was live. */
  async revoke(
    sessionId: number,
    manager: EntityManager = this.dataSource.manager,
    now = this.clock.now(),
  ): Promise<boolean> {
    const result = await manager.update(
      Session,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: now },
    );
    return (result.affected ?? 0) > 0;
  }

  async revokeByToken(
    token: string,
    manager: EntityManager = this.dataSource.manager,
    now = this.clock.now(),
  ): Promise<boolean> {
    if (!TOKEN_PATTERN.test(token)) return false;
    const result = await manager.update(
      Session,
      { tokenHash: hashSecretToken(token), revokedAt: IsNull() },
      { revokedAt: now },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Ends every session of a user: call it when a user is disabled or their password changes. */
  async revokeAllForUser(
    userId: number,
    manager: EntityManager = this.dataSource.manager,
    now = this.clock.now(),
  ): Promise<number> {
    const result = await manager.update(
      Session,
      { userId, revokedAt: IsNull() },
      { revokedAt: now },
    );
    return result.affected ?? 0;
  }

  /** Housekeeping: sessions past their absolute limit are of no use to anyone. */
  async deleteExpired(before: Date): Promise<number> {
    const result = await this.dataSource.manager.delete(Session, { expiresAt: LessThan(before) });
    return result.affected ?? 0;
  }

  private isLive(session: Session, user: User, now: Date): boolean {
    if (session.revokedAt !== null || user.disabledAt !== null) return false;
    if (session.expiresAt.getTime() <= now.getTime()) return false;
    const idleLimit = session.lastSeenAt.getTime() + this.config.auth.sessionIdleMinutes * 60_000;
    return idleLimit > now.getTime();
  }
}
