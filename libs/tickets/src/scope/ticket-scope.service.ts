import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserRole } from '@madoguchi/auth';
import type { TenantScope } from '@madoguchi/tenancy';
import { QueueMember } from '../queue/queue-member.entity';

export interface ScopeSubject {
  id: number;
  role: UserRole;
  merchantId: number | null;
}

/** Resolves a user's ticket scope, once per request (the desk guard calls it). */
@Injectable()
export class TicketScopeService {
  constructor(private readonly dataSource: DataSource) {}

  async forUser(user: ScopeSubject): Promise<TenantScope> {
    switch (user.role) {
      case 'admin':
      case 'supervisor':
        return { kind: 'staff', userId: user.id, queueIds: 'all' };
      case 'agent': {
        const memberships = await this.dataSource.getRepository(QueueMember).find({
          select: { queueId: true },
          where: { userId: user.id },
          order: { queueId: 'ASC' },
        });
        return {
          kind: 'staff',
          userId: user.id,
          queueIds: memberships.map((member) => member.queueId),
        };
      }
      case 'merchant_admin':
      case 'merchant_viewer':
        // A merchant user without a merchant is a data error: refuse rather than guess a scope.
        if (user.merchantId === null) throw new Error(`merchant user ${user.id} has no merchant`);
        return { kind: 'merchant', userId: user.id, merchantId: user.merchantId };
    }
  }
}
