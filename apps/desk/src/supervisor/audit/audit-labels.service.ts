import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Merchant } from '@madoguchi/tenancy';

/**
 * Names for the audit trail page: the audit lib sits below auth and tenancy (they record into
 * it), so it returns ids and this second, read-only lookup adds display names.
 */
@Injectable()
export class AuditLabelsService {
  constructor(private readonly dataSource: DataSource) {}

  async userNames(ids: readonly number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const users = await this.dataSource.manager.find(User, {
      select: { id: true, displayName: true },
      where: { id: In(unique) },
    });
    return new Map(users.map((user) => [user.id, user.displayName]));
  }

  /** Every merchant by name: the filter's choices and the table's labels. */
  async merchants(): Promise<{ id: number; name: string }[]> {
    const merchants = await this.dataSource.manager.find(Merchant, {
      select: { id: true, name: true },
      order: { name: 'ASC', id: 'ASC' },
    });
    return merchants.map((merchant) => ({ id: merchant.id, name: merchant.name }));
  }
}
