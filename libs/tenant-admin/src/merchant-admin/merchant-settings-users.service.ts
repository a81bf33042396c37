import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  MERCHANT_ROLES,
  User,
  type UserAdminActor,
  type UserAdminItem,
  UserAdminService,
} from '@madoguchi/auth';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  type MerchantScope,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { Merchant } from '@madoguchi/tenancy';

/** An invitation as a merchant admin sends it: no merchant field, the scope decides. */
export interface MerchantUserInviteInput {
  email: string;
  displayName: string;
  role: string;
}

const USER_NOT_FOUND = 'ユーザーが見つかりません。';

/**
 * A merchant admin's management of its own merchant's users: a thin layer over the operator's
 * UserAdminService that forces the merchant to the caller's scope and allows merchant roles only.
 * Another merchant's user answers NotFound, exactly like an unknown id, so ids reveal nothing.
 */
@Injectable()
export class MerchantSettingsUsersService {
  constructor(
    private readonly users: UserAdminService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(scope: MerchantScope, now = this.clock.now()): Promise<UserAdminItem[]> {
    const { merchantId } = scope;
    // The operator's list is the whole desk (a few hundred users at most); filtering here keeps
    // one code path for user states.
    return (await this.users.list(now)).filter((user) => user.merchantId === merchantId);
  }

  async get(scope: MerchantScope, id: number, now = this.clock.now()): Promise<UserAdminItem> {
    const { merchantId } = scope;
    const user = await this.users.get(id, now).catch((error: unknown) => {
      if (error instanceof NotFoundException) return null;
      throw error;
    });
    if (!user || user.merchantId !== merchantId) throw new NotFoundException(USER_NOT_FOUND);
    return user;
  }

  async invite(
    scope: MerchantScope,
    input: MerchantUserInviteInput,
    actor: UserAdminActor,
  ): Promise<number> {
    const { merchantId } = scope;
    if (!MERCHANT_ROLES.some((role) => role === input.role)) {
      throw new ValidationFailedException([
        { field: 'role', message: '加盟店管理者または加盟店閲覧者を選んでください。' },
      ]);
    }
    try {
      return await this.users.invite({ ...input, merchantId }, actor);
    } catch (error) {
      if (await this.takenElsewhere(error, merchantId, input.email)) {
        // Existence is not revealed (docs/security.md): an address already used in another
        // merchant or by operator staff answers exactly like a sent invitation; nothing is
        // created and no mail goes out. An address of this merchant's own users (which its
        // admin sees in the list anyway) still says it is taken.
        return 0;
      }
      throw error;
    }
  }

  /** The invitation failed only because the address belongs to a user outside `merchantId`. */
  private async takenElsewhere(
    error: unknown,
    merchantId: number,
    email: string,
  ): Promise<boolean> {
    if (!(error instanceof ValidationFailedException)) return false;
    if (error.fieldErrors.length !== 1 || error.fieldErrors[0].field !== 'email') return false;
    const existing = await this.dataSource.manager.findOne(User, {
      select: { id: true, merchantId: true },
      where: { email: email.trim().toLowerCase() },
    });
    return existing !== null && existing.merchantId !== merchantId;
  }

  /** Ends the user's sessions at once (UserAdminService); one cannot disable oneself. */
  async disable(scope: MerchantScope, id: number, actor: UserAdminActor): Promise<void> {
    await this.get(scope, id);
    await this.users.disable(id, actor);
  }

  async enable(scope: MerchantScope, id: number, actor: UserAdminActor): Promise<void> {
    await this.get(scope, id);
    await this.users.enable(id, actor);
  }

  /** A new invitation link for one of this merchant's invited users; the old link stops working. */
  async resendInvite(scope: MerchantScope, id: number, actor: UserAdminActor): Promise<void> {
    await this.get(scope, id);
    await this.users.resendInvite(id, actor);
  }

  /** Whether the merchant requires a TOTP second factor of its users. */
  async totpRequired(scope: MerchantScope): Promise<boolean> {
    const merchant = await this.dataSource.manager.findOneBy(Merchant, { id: scope.merchantId });
    if (!merchant) throw new NotFoundException('加盟店が見つかりません。');
    return merchant.requireTotp;
  }

  /**
   * Requires (or no longer requires) a second factor of every user of the merchant. From the
   * next request on, a user without one reaches only the enrolment pages and logout (the session
   * guard reads the setting with the session). Audited as a settings change (field name only).
   */
  async setTotpRequired(
    scope: MerchantScope,
    required: boolean,
    actor: UserAdminActor,
    now = this.clock.now(),
  ): Promise<void> {
    const { merchantId } = scope;
    await runTransaction(this.dataSource, async (manager) => {
      const merchant = await manager.findOneBy(Merchant, { id: merchantId });
      if (!merchant) throw new NotFoundException('加盟店が見つかりません。');
      if (merchant.requireTotp === required) return;
      await manager.update(Merchant, { id: merchantId }, { requireTotp: required, updatedAt: now });
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.merchantSettingsUpdated,
          merchantId,
          target: { type: 'merchant', id: merchantId },
          ip: actor.ip,
          detail: { changed: ['requireTotp'] },
        },
        now,
      );
    });
  }
}
