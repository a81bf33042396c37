import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@madoguchi/config';
import { Merchant } from '@madoguchi/tenancy';
import type { User } from '../user/user.entity';
import { isStaffRole } from '../user/user-role.util';
import { isIpAllowed } from './ip-allow-list.util';

/**
 * Which client addresses a user may come from: operator staff by STAFF_ALLOWED_IP_RANGES, a
 * merchant's users by that merchant's allowedIpRanges. Empty lists allow everyone. Checked at
 * login and on every request, so changing a list takes effect at once.
 */
@Injectable()
export class IpAccessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async allows(
    user: Pick<User, 'role' | 'merchantId'>,
    ip: string | null | undefined,
  ): Promise<boolean> {
    if (isStaffRole(user.role)) return isIpAllowed(ip, this.config.auth.staffAllowedIpRanges);
    // A merchant role without a merchant is broken data: let it in nowhere.
    if (user.merchantId === null) return false;
    const merchant = await this.dataSource.manager.findOne(Merchant, {
      where: { id: user.merchantId },
      select: { id: true, allowedIpRanges: true },
    });
    if (!merchant) return false;
    return isIpAllowed(ip, merchant.allowedIpRanges ?? []);
  }
}
