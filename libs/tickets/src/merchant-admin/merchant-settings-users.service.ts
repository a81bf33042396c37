import { Injectable } from '@nestjs/common';
import {
  MERCHANT_ROLES,
  type UserAdminActor,
  type UserAdminItem,
  UserAdminService,
} from '@madoguchi/auth';
import { NotFoundException, ValidationFailedException } from '@madoguchi/common';

/** An invitation as a merchant admin sends it: no merchant field, the scope decides. */
export interface MerchantUserInviteInput {
  email: string;
  displayName: string;
  role: string;
}

const USER_NOT_FOUND = 'ユーザーが見つかりません。';

/**
 * A merchant admin's management of its own merchant's users: a thin layer over the operator's
 * UserAdminService that forces the merchant id to the caller's and allows merchant roles only.
 * Another merchant's user answers NotFound, exactly like an unknown id, so ids reveal nothing.
 */
@Injectable()
export class MerchantSettingsUsersService {
  constructor(private readonly users: UserAdminService) {}

  async list(merchantId: number, now = new Date()): Promise<UserAdminItem[]> {
    // The operator's list is the whole desk (a few hundred users at most); filtering here keeps
    // one code path for user states.
    return (await this.users.list(now)).filter((user) => user.merchantId === merchantId);
  }

  async get(merchantId: number, id: number, now = new Date()): Promise<UserAdminItem> {
    const user = await this.users.get(id, now).catch((error: unknown) => {
      if (error instanceof NotFoundException) return null;
      throw error;
    });
    if (!user || user.merchantId !== merchantId) throw new NotFoundException(USER_NOT_FOUND);
    return user;
  }

  async invite(
    merchantId: number,
    input: MerchantUserInviteInput,
    actor: UserAdminActor,
  ): Promise<number> {
    if (!MERCHANT_ROLES.some((role) => role === input.role)) {
      throw new ValidationFailedException([
        { field: 'role', message: '加盟店管理者または加盟店閲覧者を選んでください。' },
      ]);
    }
    return this.users.invite({ ...input, merchantId }, actor);
  }

  /** Ends the user's sessions at once (UserAdminService); one cannot disable oneself. */
  async disable(merchantId: number, id: number, actor: UserAdminActor): Promise<void> {
    await this.get(merchantId, id);
    await this.users.disable(id, actor);
  }

  async enable(merchantId: number, id: number, actor: UserAdminActor): Promise<void> {
    await this.get(merchantId, id);
    await this.users.enable(id, actor);
  }
}
