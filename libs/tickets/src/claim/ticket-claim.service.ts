import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  Clock,
  DeskEventBus,
  isLockConflict,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import {
  assertStaffScope,
  scopedQueueQuery,
  type TicketActor,
  type TenantScope,
} from '@madoguchi/tenancy';
import { TicketChangedEvent } from '../events/ticket-changed.event';
import { QueueMember } from '../queue/queue-member.entity';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import type { TicketStatus } from '../ticket/ticket.constant';
import { Ticket } from '../ticket/ticket.entity';
import {
  assertExpectedVersion,
  changeResultOf,
  findScopedTicket,
  staleVersion,
  writeTicketChange,
} from '../ticket/ticket-write.util';
import type { TicketChangeResult } from '../ticket/ticket-view.type';

/**
 * Statuses "take next" hands out: tickets waiting on an agent. Tickets waiting on the end user
 * or the merchant come back as `open` when they answer.
 */
export const TAKEABLE_STATUSES: readonly TicketStatus[] = ['new', 'open'];
const CANDIDATES_PER_ROUND = 10;
/**
 * Rounds of candidates before giving up. Each round starts only after every candidate of the
 * previous one went to someone else, so this bound is reached only under extreme contention;
 * an empty candidate list ends the loop long before.
 */
const MAX_ROUNDS = 20;
const STAFF_ROLES = ['admin', 'supervisor', 'agent'] as const;

/**
 * THE claim rule. A ticket has at most one assignee, and two agents can never both take it:
 *
 * - take next: the most urgent (priority, then SLA due, then id: the queue list's order) unassigned new/open ticket of the queue is
 *   claimed with one conditional UPDATE (`… WHERE id = ? AND queue_id = ? AND assignee_id IS
 *   NULL AND status IN (new, open)`). The database applies it to at most one claimant; a
 *   claimant whose UPDATE touched no row lost the race and tries the next candidate, reading
 *   the queue again until it is empty. No lock is held between reading the candidates and
 *   claiming, so agents never wait on each other.
 * - assign / reassign / release: an explicit change guarded by the ticket's version (a stale
 *   view is refused with StaleVersion), only to staff who may work the ticket's queue.
 */
@Injectable()
export class TicketClaimService {
  private readonly logger = new Logger(TicketClaimService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly events: DeskEventBus,
    private readonly clock: Clock,
  ) {}

  /** Claims the most urgent unassigned ticket of a queue for the actor; null when none is left. */
  async takeNext(
    scope: TenantScope,
    queueId: number,
    actor: TicketActor,
  ): Promise<TicketChangeResult | null> {
    const queueVisible =
      Number.isInteger(queueId) &&
      (await scopedQueueQuery(this.dataSource.manager, scope)
        .andWhere('queue.id = :queueId', { queueId })
        .getExists());
    if (!queueVisible) throw new NotFoundException('キューが見つかりません。');
    // Looked up first, refused second: another merchant's queue stays a 404, never a 403.
    assertStaffScope(scope);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const candidates = await scopedTicketQuery(this.dataSource.manager, scope)
        .select(['ticket.id'])
        .andWhere('ticket.queueId = :queueId', { queueId })
        .andWhere('ticket.assigneeId IS NULL')
        .andWhere('ticket.status IN (:...takeable)', { takeable: [...TAKEABLE_STATUSES] })
        .andWhere('ticket.slaDueAt IS NOT NULL')
        .orderBy('ticket.priorityRank', 'DESC')
        .addOrderBy('ticket.slaDueAt', 'ASC')
        .addOrderBy('ticket.id', 'ASC')
        .limit(CANDIDATES_PER_ROUND)
        .getMany();
      if (candidates.length === 0) return null;
      for (const candidate of candidates) {
        const claimed = await this.tryClaim(candidate.id, queueId, actor);
        if (claimed) return claimed;
      }
      // Every candidate of this round went to someone else: read the queue again.
    }
    this.logger.warn(`take next in queue ${queueId} lost ${MAX_ROUNDS} rounds of claims`);
    return null;
  }

  /**
   * Assigns (assigneeId) or releases (null) a ticket. The assignee must be active staff allowed
   * to work the ticket's queue (an agent: a member of it).
   */
  async assign(
    scope: TenantScope,
    reference: string,
    assigneeId: number | null,
    expectedVersion: number | undefined,
    actor: TicketActor,
  ): Promise<TicketChangeResult> {
    const now = this.clock.now();
    const { updated, previousAssigneeId } = await runTransaction(
      this.dataSource,
      async (manager) => {
        const ticket = await findScopedTicket(manager, scope, reference);
        // Found first, refused second: another merchant's ticket stays a 404, never a 403.
        assertStaffScope(scope);
        assertExpectedVersion(ticket, expectedVersion);
        if (assigneeId !== null) await this.assertMayWork(manager, assigneeId, ticket.queueId);
        if (ticket.assigneeId === assigneeId)
          return { updated: null, previousAssigneeId: ticket.assigneeId };
        const changed = await writeTicketChange(manager, ticket, { assigneeId }, now);
        await this.audit.record(
          manager,
          {
            actor: { type: 'user', id: actor.userId },
            action:
              assigneeId === null ? AUDIT_ACTIONS.ticketReleased : AUDIT_ACTIONS.ticketAssigned,
            merchantId: ticket.merchantId,
            target: { type: 'ticket', id: ticket.reference },
            ip: actor.ip,
            detail: { assigneeId, previousAssigneeId: ticket.assigneeId, via: 'assign' },
          },
          now,
        );
        return { updated: changed, previousAssigneeId: ticket.assigneeId };
      },
    ).catch((error: unknown) => {
      // Two concurrent assignments that collide in InnoDB: the loser met a concurrent edit.
      throw isLockConflict(error) ? staleVersion() : error;
    });
    if (updated === null) {
      // Nothing to change: answer with the ticket as it stands.
      const current = await findScopedTicket(this.dataSource.manager, scope, reference);
      return changeResultOf(current);
    }
    this.emit(
      updated,
      previousAssigneeId !== null && updated.assigneeId === null ? 'released' : 'assigned',
    );
    return changeResultOf(updated);
  }

  private async tryClaim(
    ticketId: number,
    queueId: number,
    actor: TicketActor,
  ): Promise<TicketChangeResult | null> {
    const now = this.clock.now();
    try {
      const claimed = await runTransaction(this.dataSource, async (manager) => {
        const result = await manager
          .createQueryBuilder()
          .update(Ticket)
          .set({ assigneeId: actor.userId, updatedAt: now, version: () => 'version + 1' })
          // Still unassigned, takeable and in the queue asked for (it may have been moved since).
          .where(
            'id = :id AND queue_id = :queueId AND assignee_id IS NULL AND status IN (:...takeable)',
            { id: ticketId, queueId, takeable: [...TAKEABLE_STATUSES] },
          )
          .execute();
        // mysql2 reports affectedRows, better-sqlite3 changes: TypeORM maps both to `affected`.
        if (result.affected !== 1) return null;
        const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: ticketId });
        await this.audit.record(
          manager,
          {
            actor: { type: 'user', id: actor.userId },
            action: AUDIT_ACTIONS.ticketAssigned,
            merchantId: ticket.merchantId,
            target: { type: 'ticket', id: ticket.reference },
            ip: actor.ip,
            detail: { assigneeId: actor.userId, previousAssigneeId: null, via: 'take_next' },
          },
          now,
        );
        return ticket;
      });
      if (!claimed) return null;
      this.emit(claimed, 'assigned');
      return changeResultOf(claimed);
    } catch (error) {
      // Under heavy contention InnoDB may pick this claim as a deadlock victim: it simply lost.
      if (isLockConflict(error)) {
        this.logger.debug(`claim of ticket ${ticketId} lost to a lock conflict`);
        return null;
      }
      throw error;
    }
  }

  /**
   * Staff a ticket may be (re)assigned to, by the same rule as {@link assign}: active admins
   * and supervisors, and the agents who are members of the ticket's queue.
   */
  async assignableStaff(
    scope: TenantScope,
    reference: string,
  ): Promise<Array<{ id: number; displayName: string }>> {
    assertStaffScope(scope);
    const manager = this.dataSource.manager;
    const ticket = await findScopedTicket(manager, scope, reference);
    const users = await manager
      .getRepository(User)
      .createQueryBuilder('user')
      .select(['user.id', 'user.displayName'])
      .leftJoin(QueueMember, 'member', 'member.userId = user.id AND member.queueId = :queueId', {
        queueId: ticket.queueId,
      })
      .where('user.disabledAt IS NULL')
      .andWhere(
        "(user.role IN ('admin', 'supervisor') OR (user.role = 'agent' AND member.userId IS NOT NULL))",
      )
      .orderBy('user.displayName', 'ASC')
      .addOrderBy('user.id', 'ASC')
      .limit(200)
      .getMany();
    return users.map((user) => ({ id: user.id, displayName: user.displayName }));
  }

  private async assertMayWork(
    manager: EntityManager,
    userId: number,
    queueId: number,
  ): Promise<void> {
    const user = Number.isInteger(userId)
      ? await manager.getRepository(User).findOneBy({ id: userId })
      : null;
    const isStaff =
      user !== null &&
      user.disabledAt === null &&
      (STAFF_ROLES as readonly string[]).includes(user.role);
    const member =
      isStaff && user.role === 'agent'
        ? await manager.getRepository(QueueMember).existsBy({ userId, queueId })
        : isStaff;
    if (!member) {
      throw new ValidationFailedException([
        { field: 'assigneeId', message: 'このキューを担当できるスタッフを選んでください。' },
      ]);
    }
  }

  private emit(ticket: Ticket, kind: 'assigned' | 'released'): void {
    this.events.emit(
      'ticket.changed',
      new TicketChangedEvent(
        ticket.id,
        ticket.reference,
        ticket.merchantId,
        ticket.queueId,
        kind,
        ticket.version,
      ),
    );
  }
}
