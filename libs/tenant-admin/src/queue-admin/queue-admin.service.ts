import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  Clock,
  type FieldError,
  isUniqueViolation,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { Merchant, Queue, type TicketActor } from '@madoguchi/tenancy';
import { QueueMember } from '@madoguchi/tickets';

export const QUEUE_NAME_MAX_LENGTH = 100;

export interface QueueAdminMember {
  userId: number;
  displayName: string;
  disabled: boolean;
}

export interface QueueAdminQueue {
  id: number;
  name: string;
  isDefault: boolean;
  members: QueueAdminMember[];
}

export interface QueueAdminMerchant {
  id: number;
  name: string;
  queues: QueueAdminQueue[];
}

export interface AgentOption {
  id: number;
  displayName: string;
}

/**
 * The operator's queue set-up: queues per merchant and their agent members. Agents' scopes are
 * resolved per request (TicketScopeService), so a membership change applies on their next
 * request. Supervisors and admins see every queue and are never members.
 */
@Injectable()
export class QueueAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Every merchant with its queues and their members, by name. */
  async overview(): Promise<QueueAdminMerchant[]> {
    const manager = this.dataSource.manager;
    const [merchants, queues, members] = await Promise.all([
      manager.find(Merchant, {
        select: { id: true, name: true },
        order: { name: 'ASC', id: 'ASC' },
      }),
      manager.find(Queue, { order: { isDefault: 'DESC', name: 'ASC', id: 'ASC' } }),
      manager.find(QueueMember, { relations: { user: true }, order: { userId: 'ASC' } }),
    ]);
    return merchants.map((merchant) => ({
      id: merchant.id,
      name: merchant.name,
      queues: queues
        .filter((queue) => queue.merchantId === merchant.id)
        .map((queue) => ({
          id: queue.id,
          name: queue.name,
          isDefault: queue.isDefault,
          members: members
            .filter((member) => member.queueId === queue.id && member.user)
            .map((member) => ({
              userId: member.userId,
              displayName: member.user?.displayName ?? '',
              disabled: member.user?.disabledAt != null,
            }))
            .sort((a, b) => a.displayName.localeCompare(b.displayName, 'ja')),
        })),
    }));
  }

  /** Active agents: the users a queue can take as members. */
  async agents(): Promise<AgentOption[]> {
    const users = await this.dataSource.manager.find(User, {
      select: { id: true, displayName: true },
      where: { role: 'agent', disabledAt: IsNull() },
      order: { displayName: 'ASC', id: 'ASC' },
    });
    return users.map((user) => ({ id: user.id, displayName: user.displayName }));
  }

  async createQueue(merchantId: number, name: string, actor: TicketActor): Promise<number> {
    const trimmed = name.trim();
    const errors: FieldError[] = [];
    if (trimmed === '') errors.push({ field: 'name', message: 'キュー名を入力してください。' });
    else if (trimmed.length > QUEUE_NAME_MAX_LENGTH) {
      errors.push({
        field: 'name',
        message: `キュー名は${QUEUE_NAME_MAX_LENGTH}文字以内で入力してください。`,
      });
    }
    if (
      !Number.isInteger(merchantId) ||
      !(await this.dataSource.manager.exists(Merchant, { where: { id: merchantId } }))
    ) {
      errors.push({ field: 'merchantId', message: '加盟店を選んでください。' });
    }
    if (errors.length > 0) throw new ValidationFailedException(errors);
    const now = this.clock.now();
    return runTransaction(this.dataSource, async (manager) => {
      if (await manager.exists(Queue, { where: { merchantId, name: trimmed } })) {
        throw new ValidationFailedException([
          { field: 'name', message: 'この加盟店には同じ名前のキューがあります。' },
        ]);
      }
      const queue = await manager.save(
        manager.create(Queue, { merchantId, name: trimmed, isDefault: false, createdAt: now }),
      );
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.queueCreated,
          merchantId,
          target: { type: 'queue', id: queue.id },
          ip: actor.ip,
        },
        now,
      );
      return queue.id;
    });
  }

  /** Adds an active agent to a queue; adding an existing member changes nothing. */
  async addMember(queueId: number, userId: number | null, actor: TicketActor): Promise<void> {
    const now = this.clock.now();
    try {
      await runTransaction(this.dataSource, async (manager) => {
        const queue = await this.findQueue(queueId);
        const agent =
          userId !== null && Number.isInteger(userId)
            ? await manager.findOne(User, { where: { id: userId } })
            : null;
        if (!agent || agent.role !== 'agent' || agent.disabledAt !== null) {
          throw new ValidationFailedException([
            { field: 'userId', message: 'エージェントを選んでください。' },
          ]);
        }
        if (await manager.exists(QueueMember, { where: { queueId, userId: agent.id } })) return;
        await manager.insert(QueueMember, { queueId, userId: agent.id, createdAt: now });
        await this.audit.record(
          manager,
          {
            actor: { type: 'user', id: actor.userId },
            action: AUDIT_ACTIONS.queueMemberAdded,
            merchantId: queue.merchantId,
            target: { type: 'queue', id: queue.id },
            ip: actor.ip,
            detail: { userId: agent.id },
          },
          now,
        );
      });
    } catch (error) {
      // The same agent added twice at once: the primary key decides, the result is the same.
      if (isUniqueViolation(error)) return;
      throw error;
    }
  }

  async removeMember(queueId: number, userId: number, actor: TicketActor): Promise<void> {
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const queue = await this.findQueue(queueId);
      const result = await manager.delete(QueueMember, { queueId, userId });
      if ((result.affected ?? 0) === 0) return;
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.queueMemberRemoved,
          merchantId: queue.merchantId,
          target: { type: 'queue', id: queue.id },
          ip: actor.ip,
          detail: { userId },
        },
        now,
      );
    });
  }

  private async findQueue(queueId: number): Promise<Queue> {
    const queue = Number.isInteger(queueId)
      ? await this.dataSource.manager.findOne(Queue, { where: { id: queueId } })
      : null;
    if (!queue) throw new NotFoundException('キューが見つかりません。');
    return queue;
  }
}
