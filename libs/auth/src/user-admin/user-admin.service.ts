import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  type FieldError,
  isUniqueViolation,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { generateSecretToken, hashSecretToken } from '@madoguchi/crypto';
import { OutboxService } from '@madoguchi/mail';
import { Merchant } from '@madoguchi/tenancy';
import { hashPassword } from '../password/password-hasher';
import { newPasswordErrors } from '../password/password-policy';
import { SessionService } from '../session/session.service';
import { MERCHANT_ROLES, User, USER_ROLES, type UserRole } from '../user/user.entity';
import { isStaffRole } from '../user/user-role.util';
import { userAuditSubject } from '../user/user-audit-subject.util';
import { inviteMail } from './invite-mail.template';

/** How long an invitation link works. */
export const INVITE_VALID_HOURS = 72;
export const DISPLAY_NAME_MAX_LENGTH = 200;
export const EMAIL_MAX_LENGTH = 254;

// Not a PHC string, so argon2 verification always fails: an invited user cannot log in
// until they set a password through their link.
const UNUSABLE_PASSWORD_HASH = '!invited';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
// Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is the mail's job.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type UserState = 'active' | 'disabled' | 'locked' | 'invited';

export interface UserAdminActor {
  userId: number;
  ip: string | null;
}

export interface UserAdminItem {
  id: number;
  email: string;
  displayName: string;
  role: UserRole;
  merchantId: number | null;
  merchantName: string | null;
  state: UserState;
  totpEnrolled: boolean;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  inviteExpiresAt: Date | null;
  createdAt: Date;
}

export interface InviteInput {
  email: string;
  displayName: string;
  role: string;
  /** Required for merchant roles, forbidden for staff roles. */
  merchantId: number | null;
}

export interface SetPasswordInput {
  password: string;
  confirmation: string;
}

const USER_NOT_FOUND = 'ユーザーが見つかりません。';
const INVITE_NOT_FOUND = '招待が見つからないか、有効期限が切れています。';

export function userStateOf(
  user: Pick<User, 'disabledAt' | 'inviteTokenHash' | 'lockedUntil'>,
  now: Date,
): UserState {
  if (user.disabledAt !== null) return 'disabled';
  if (user.inviteTokenHash !== null) return 'invited';
  if (user.lockedUntil !== null && user.lockedUntil.getTime() > now.getTime()) return 'locked';
  return 'active';
}

/**
 * Checks a new password and its confirmation (field errors `password`, `confirmation`): the
 * password rule of password-policy.ts (length, common and breached-list passwords, not the
 * user's email or name).
 */
export function passwordErrors(
  input: SetPasswordInput,
  identity: { email?: string; displayName?: string } = {},
): FieldError[] {
  return newPasswordErrors(input, identity);
}

/**
 * The operator's user administration: invitations, disabling, unlocking, second-factor resets
 * and role changes. Each change is audited in the same transaction; a disable or a second-factor
 * reset ends the user's sessions in that transaction too, so they are out on their next request.
 * Permission checks (admin only) are the desk's; this service trusts its caller on that.
 */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** Every user, staff first, then by merchant and name. */
  async list(now = this.clock.now()): Promise<UserAdminItem[]> {
    const users = await this.dataSource.manager
      .getRepository(User)
      .createQueryBuilder('user')
      .leftJoinAndSelect('user.merchant', 'merchant')
      .orderBy('user.merchantId', 'ASC')
      .addOrderBy('user.displayName', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .getMany();
    return users
      .map((user) => toItem(user, now))
      .sort((a, b) => Number(a.merchantId !== null) - Number(b.merchantId !== null));
  }

  /** The merchants a merchant user can belong to, by name (choices of the invite form). */
  async merchantOptions(): Promise<{ id: number; name: string }[]> {
    const merchants = await this.dataSource.manager.find(Merchant, {
      select: { id: true, name: true },
      order: { name: 'ASC', id: 'ASC' },
    });
    return merchants.map((merchant) => ({ id: merchant.id, name: merchant.name }));
  }

  async get(id: number, now = this.clock.now()): Promise<UserAdminItem> {
    const user = Number.isInteger(id)
      ? await this.dataSource.manager.findOne(User, {
          where: { id },
          relations: { merchant: true },
        })
      : null;
    if (!user) throw new NotFoundException(USER_NOT_FOUND);
    return toItem(user, now);
  }

  /**
   * Creates the user without a usable password and mails a one-time link (valid
   * {@link INVITE_VALID_HOURS} h) to set one. Only the token's SHA-256 is stored.
   */
  async invite(input: InviteInput, actor: UserAdminActor, now = this.clock.now()): Promise<number> {
    const email = input.email.trim().toLowerCase();
    const displayName = input.displayName.trim();
    const errors: FieldError[] = [];
    if (email === '')
      errors.push({ field: 'email', message: 'メールアドレスを入力してください。' });
    else if (email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email)) {
      errors.push({ field: 'email', message: 'メールアドレスの形式が正しくありません。' });
    }
    if (displayName === '') {
      errors.push({ field: 'displayName', message: '表示名を入力してください。' });
    } else if (displayName.length > DISPLAY_NAME_MAX_LENGTH) {
      errors.push({
        field: 'displayName',
        message: `表示名は${DISPLAY_NAME_MAX_LENGTH}文字以内で入力してください。`,
      });
    }
    const role = (USER_ROLES as readonly string[]).includes(input.role)
      ? (input.role as UserRole)
      : null;
    if (!role) errors.push({ field: 'role', message: '役割を選んでください。' });
    errors.push(...(await this.merchantErrors(role, input.merchantId)));
    if (errors.length > 0) throw new ValidationFailedException(errors);

    const token = generateSecretToken();
    const expiresAt = new Date(now.getTime() + INVITE_VALID_HOURS * 3_600_000);
    const emailTaken = new ValidationFailedException([
      { field: 'email', message: 'このメールアドレスのユーザーは既に登録されています。' },
    ]);
    try {
      return await runTransaction(this.dataSource, async (manager) => {
        if (await manager.exists(User, { where: { email } })) throw emailTaken;
        const user = await manager.save(
          manager.create(User, {
            email,
            displayName,
            role: role as UserRole,
            merchantId: input.merchantId,
            passwordHash: UNUSABLE_PASSWORD_HASH,
            totpSecret: null,
            totpLastStep: null,
            failedLoginCount: 0,
            lockedUntil: null,
            disabledAt: null,
            inviteTokenHash: hashSecretToken(token),
            inviteExpiresAt: expiresAt,
            createdAt: now,
            updatedAt: now,
          }),
        );
        await this.outbox.enqueueMail(
          manager,
          inviteMail({
            to: email,
            displayName,
            url: `${this.config.http.deskPublicUrl}/invite/${token}`,
            expiresAt,
          }),
          now,
        );
        await this.audit
          .by(actor, manager, now)
          .record(AUDIT_ACTIONS.userInvited, userAuditSubject(user), {
            role: user.role,
          });
        return user.id;
      });
    } catch (error) {
      // Two invitations for one address at once: the unique index decides.
      if (isUniqueViolation(error)) throw emailTaken;
      throw error;
    }
  }

  /** Disables the user and ends all their sessions at once. Admins cannot disable themselves. */
  async disable(id: number, actor: UserAdminActor, now = this.clock.now()): Promise<void> {
    if (id === actor.userId) {
      throw new ValidationFailedException([
        { field: 'user', message: '自分自身を無効にすることはできません。' },
      ]);
    }
    await runTransaction(this.dataSource, async (manager) => {
      const user = await this.find(manager, id);
      if (user.disabledAt === null) {
        await manager.update(User, { id }, { disabledAt: now, updatedAt: now });
      }
      const revoked = await this.sessions.revokeAllForUser(id, manager, now);
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.userDisabled, userAuditSubject(user), {
          sessionsRevoked: revoked,
        });
    });
  }

  async enable(id: number, actor: UserAdminActor, now = this.clock.now()): Promise<void> {
    await runTransaction(this.dataSource, async (manager) => {
      const user = await this.find(manager, id);
      if (user.disabledAt === null) return;
      await manager.update(User, { id }, { disabledAt: null, updatedAt: now });
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.userEnabled, userAuditSubject(user));
    });
  }

  /** Clears a lockout after failed logins. */
  async unlock(id: number, actor: UserAdminActor, now = this.clock.now()): Promise<void> {
    await runTransaction(this.dataSource, async (manager) => {
      const user = await this.find(manager, id);
      await manager.update(
        User,
        { id },
        { failedLoginCount: 0, lockedUntil: null, updatedAt: now },
      );
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.userUnlocked, userAuditSubject(user));
    });
  }

  /**
   * Removes the second factor (a lost phone). Sessions end too: whoever holds one must log in
   * again and, as staff, enrol a new factor before anything else.
   */
  async resetTotp(id: number, actor: UserAdminActor, now = this.clock.now()): Promise<void> {
    await runTransaction(this.dataSource, async (manager) => {
      const user = await this.find(manager, id);
      await manager.update(User, { id }, { totpSecret: null, totpLastStep: null, updatedAt: now });
      const revoked = await this.sessions.revokeAllForUser(id, manager, now);
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.userTotpReset, userAuditSubject(user), {
          sessionsRevoked: revoked,
        });
    });
  }

  /**
   * A new role within the same kind (staff stays staff, a merchant's user stays that merchant's):
   * moving a user between a merchant and the operator is a new account, not a role change.
   * The session guard reads the role on each request, so the change applies at once.
   */
  async changeRole(
    id: number,
    role: string,
    actor: UserAdminActor,
    now = this.clock.now(),
  ): Promise<void> {
    if (id === actor.userId) {
      throw new ValidationFailedException([
        { field: 'role', message: '自分自身の役割は変更できません。' },
      ]);
    }
    const next = (USER_ROLES as readonly string[]).includes(role) ? (role as UserRole) : null;
    await runTransaction(this.dataSource, async (manager) => {
      const user = await this.find(manager, id);
      if (!next || isStaffRole(next) !== isStaffRole(user.role)) {
        throw new ValidationFailedException([
          {
            field: 'role',
            message: isStaffRole(user.role)
              ? '運営スタッフの役割から選んでください。'
              : '加盟店ユーザーの役割から選んでください。',
          },
        ]);
      }
      if (next === user.role) return;
      await manager.update(User, { id }, { role: next, updatedAt: now });
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.userRoleChanged, userAuditSubject(user), {
          from: user.role,
          to: next,
        });
    });
  }

  /**
   * Sends an invitation again (a lost or expired mail): a new one-time link valid
   * {@link INVITE_VALID_HOURS} h, the old link stops working at once. Only for a user still
   * invited (no password set yet) and not disabled; otherwise a field error on `user`.
   */
  async resendInvite(id: number, actor: UserAdminActor, now = this.clock.now()): Promise<void> {
    const token = generateSecretToken();
    const expiresAt = new Date(now.getTime() + INVITE_VALID_HOURS * 3_600_000);
    await runTransaction(this.dataSource, async (manager) => {
      const user = await this.find(manager, id);
      if (user.inviteTokenHash === null || user.disabledAt !== null) {
        throw new ValidationFailedException([
          {
            field: 'user',
            message: '招待中（パスワード未設定）で有効なユーザーにだけ、招待を再送できます。',
          },
        ]);
      }
      await manager.update(
        User,
        { id },
        { inviteTokenHash: hashSecretToken(token), inviteExpiresAt: expiresAt, updatedAt: now },
      );
      await this.outbox.enqueueMail(
        manager,
        inviteMail({
          to: user.email,
          displayName: user.displayName,
          url: `${this.config.http.deskPublicUrl}/invite/${token}`,
          expiresAt,
        }),
        now,
      );
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.userInviteResent, userAuditSubject(user));
    });
  }

  /** The invited user a link stands for; NotFound when unknown, used, expired or disabled. */
  async findInvite(
    token: string,
    now = this.clock.now(),
  ): Promise<{ email: string; displayName: string }> {
    const user = await this.inviteeOf(this.dataSource.manager, token, now);
    return { email: user.email, displayName: user.displayName };
  }

  /** Sets the invitee's password (argon2id) and spends the link. */
  async acceptInvite(
    token: string,
    input: SetPasswordInput,
    ip: string | null,
    now = this.clock.now(),
  ): Promise<void> {
    const invitee = await this.inviteeOf(this.dataSource.manager, token, now);
    const errors = passwordErrors(input, invitee);
    if (errors.length > 0) throw new ValidationFailedException(errors);
    const passwordHash = await hashPassword(input.password);
    await runTransaction(this.dataSource, async (manager) => {
      const user = await this.inviteeOf(manager, token, now);
      // Conditional on the token: of two submissions of one link, only the first sets a password.
      const result = await manager.update(
        User,
        { id: user.id, inviteTokenHash: hashSecretToken(token) },
        {
          passwordHash,
          inviteTokenHash: null,
          inviteExpiresAt: null,
          failedLoginCount: 0,
          lockedUntil: null,
          updatedAt: now,
        },
      );
      if ((result.affected ?? 0) !== 1) throw new NotFoundException(INVITE_NOT_FOUND);
      await this.audit
        .by({ userId: user.id, ip }, manager, now)
        .record(AUDIT_ACTIONS.userPasswordSet, userAuditSubject(user), {
          via: 'invite',
        });
    });
  }

  private async inviteeOf(manager: EntityManager, token: string, now: Date): Promise<User> {
    const user = TOKEN_PATTERN.test(token)
      ? await manager.findOne(User, { where: { inviteTokenHash: hashSecretToken(token) } })
      : null;
    if (
      !user ||
      user.disabledAt !== null ||
      !user.inviteExpiresAt ||
      user.inviteExpiresAt.getTime() <= now.getTime()
    ) {
      throw new NotFoundException(INVITE_NOT_FOUND);
    }
    return user;
  }

  private async merchantErrors(
    role: UserRole | null,
    merchantId: number | null,
  ): Promise<FieldError[]> {
    if (!role) return [];
    if (!MERCHANT_ROLES.includes(role)) {
      return merchantId === null
        ? []
        : [{ field: 'merchantId', message: '運営スタッフには加盟店を指定できません。' }];
    }
    if (
      merchantId === null ||
      !Number.isInteger(merchantId) ||
      !(await this.dataSource.manager.exists(Merchant, { where: { id: merchantId } }))
    ) {
      return [{ field: 'merchantId', message: '加盟店ユーザーには加盟店を選んでください。' }];
    }
    return [];
  }

  private async find(manager: EntityManager, id: number): Promise<User> {
    const user = Number.isInteger(id) ? await manager.findOne(User, { where: { id } }) : null;
    if (!user) throw new NotFoundException(USER_NOT_FOUND);
    return user;
  }
}

function toItem(user: User, now: Date): UserAdminItem {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    merchantId: user.merchantId,
    merchantName: user.merchant?.name ?? null,
    state: userStateOf(user, now),
    totpEnrolled: user.totpSecret !== null,
    lockedUntil: user.lockedUntil,
    disabledAt: user.disabledAt,
    inviteExpiresAt: user.inviteExpiresAt,
    createdAt: user.createdAt,
  };
}
