import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, LessThan } from 'typeorm';
import { User } from '@madoguchi/auth';
import { Clock, isUniqueViolation, ValidationFailedException } from '@madoguchi/common';
import { assertStaffScope, type TenantScope } from '@madoguchi/tenancy';
import { Message } from '../message/message.entity';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import type { Ticket } from '../ticket/ticket.entity';
import { findScopedTicket } from '../ticket/ticket-write.util';
import { PRESENCE_STATES, type PresenceState, TicketPresence } from './ticket-presence.entity';

/** A presence not refreshed for this long is gone (the page's heartbeat comes every ~10 s). */
export const PRESENCE_TTL_MS = 30_000;

/** A colleague on a ticket: their name as the desk shows staff, and what they are doing. */
export interface PresenceView {
  userId: number;
  displayName: string;
  state: PresenceState;
  lastSeenAt: Date;
}

/**
 * What an open ticket page asks every few seconds: who else is there, and whether the ticket
 * or its conversation moved on since the page was drawn (the version and the newest message's
 * id; no message text, so asking is no view of personal data and is not audited).
 */
export interface TicketLiveState {
  reference: string;
  version: number;
  lastMessageId: number | null;
  others: PresenceView[];
}

export function isPresenceState(value: unknown): value is PresenceState {
  return typeof value === 'string' && (PRESENCE_STATES as readonly string[]).includes(value);
}

/**
 * Presence on tickets (issue 15): the ticket page's heartbeat writes one row per ticket and
 * user; every desk instance reads the same rows, so two agents on two instances see each other.
 * Staff only (a merchant user's page sends none): the ticket is found in the caller's scope
 * first (another merchant's or an unknown ticket is 404), and only colleagues on tickets of
 * that scope are ever listed.
 */
@Injectable()
export class TicketPresenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Records that `userId` is on the ticket (viewing or writing) and answers its live state. */
  async heartbeat(
    scope: TenantScope,
    reference: string,
    userId: number,
    state: unknown,
  ): Promise<TicketLiveState> {
    if (!isPresenceState(state)) {
      throw new ValidationFailedException([
        { field: 'state', message: 'viewing か writing を指定してください。' },
      ]);
    }
    const manager = this.dataSource.manager;
    const ticket = await findScopedTicket(manager, scope, reference);
    assertStaffScope(scope);
    const now = this.clock.now();
    await this.upsert(manager, ticket.id, userId, state, now);
    // Stale rows of this ticket go with anyone's heartbeat (and are never listed anyway).
    await manager.delete(TicketPresence, {
      ticketId: ticket.id,
      lastSeenAt: LessThan(new Date(now.getTime() - PRESENCE_TTL_MS)),
    });
    return this.liveState(manager, scope, ticket, userId, now);
  }

  /** The live state without a heartbeat (after a change event); same scope rules. */
  async state(scope: TenantScope, reference: string, userId: number): Promise<TicketLiveState> {
    const manager = this.dataSource.manager;
    const ticket = await findScopedTicket(manager, scope, reference);
    assertStaffScope(scope);
    return this.liveState(manager, scope, ticket, userId, this.clock.now());
  }

  /** The page was left: the user is no longer on the ticket. */
  async leave(scope: TenantScope, reference: string, userId: number): Promise<void> {
    const manager = this.dataSource.manager;
    const ticket = await findScopedTicket(manager, scope, reference);
    assertStaffScope(scope);
    await manager.delete(TicketPresence, { ticketId: ticket.id, userId });
  }

  /**
   * Who is on which of these tickets (the queue list's marker), except `exceptUserId`: only
   * tickets of the scope, read through the scoped ticket query.
   */
  async forReferences(
    scope: TenantScope,
    references: readonly string[],
    exceptUserId: number,
  ): Promise<Map<string, PresenceView[]>> {
    const found = new Map<string, PresenceView[]>();
    if (references.length === 0 || scope.kind === 'merchant') return found;
    const since = new Date(this.clock.now().getTime() - PRESENCE_TTL_MS);
    const rows = await scopedTicketQuery(this.dataSource.manager, scope)
      .innerJoin(TicketPresence, 'presence', 'presence.ticketId = ticket.id')
      .innerJoin(User, 'user', 'user.id = presence.userId')
      .select('ticket.reference', 'reference')
      .addSelect('presence.userId', 'userId')
      .addSelect('presence.state', 'state')
      .addSelect('presence.lastSeenAt', 'lastSeenAt')
      .addSelect('user.displayName', 'displayName')
      .andWhere('ticket.reference IN (:...references)', { references: [...references] })
      .andWhere('presence.lastSeenAt >= :since', { since })
      .andWhere('presence.userId <> :exceptUserId', { exceptUserId })
      .orderBy('presence.id', 'ASC')
      .getRawMany<PresenceRow & { reference: string }>();
    for (const row of rows) {
      found.set(row.reference, [...(found.get(row.reference) ?? []), presenceOf(row)]);
    }
    return found;
  }

  private async upsert(
    manager: EntityManager,
    ticketId: number,
    userId: number,
    state: PresenceState,
    now: Date,
  ): Promise<void> {
    const set = { state, lastSeenAt: now };
    const updated = await manager.update(TicketPresence, { ticketId, userId }, set);
    if (updated.affected) return;
    try {
      await manager.insert(TicketPresence, { ticketId, userId, ...set });
    } catch (error) {
      // The same user's other tab (or instance) inserted first: theirs is now ours to refresh.
      if (!isUniqueViolation(error)) throw error;
      await manager.update(TicketPresence, { ticketId, userId }, set);
    }
  }

  private async liveState(
    manager: EntityManager,
    scope: TenantScope,
    ticket: Ticket,
    userId: number,
    now: Date,
  ): Promise<TicketLiveState> {
    const since = new Date(now.getTime() - PRESENCE_TTL_MS);
    const [rows, last] = await Promise.all([
      manager
        .getRepository(TicketPresence)
        .createQueryBuilder('presence')
        .innerJoin(User, 'user', 'user.id = presence.userId')
        .select('presence.userId', 'userId')
        .addSelect('presence.state', 'state')
        .addSelect('presence.lastSeenAt', 'lastSeenAt')
        .addSelect('user.displayName', 'displayName')
        .where('presence.ticketId = :ticketId', { ticketId: ticket.id })
        .andWhere('presence.lastSeenAt >= :since', { since })
        .andWhere('presence.userId <> :userId', { userId })
        .orderBy('presence.id', 'ASC')
        .getRawMany<PresenceRow>(),
      scopedTicketQuery(manager, scope)
        .innerJoin(Message, 'message', 'message.ticketId = ticket.id')
        .select('MAX(message.id)', 'id')
        .andWhere('ticket.id = :ticketId', { ticketId: ticket.id })
        .getRawOne<{ id: number | string | null }>(),
    ]);
    return {
      reference: ticket.reference,
      version: ticket.version,
      lastMessageId: last?.id === null || last?.id === undefined ? null : Number(last.id),
      others: rows.map(presenceOf),
    };
  }
}

interface PresenceRow {
  userId: number | string;
  state: PresenceState;
  lastSeenAt: Date | string;
  displayName: string;
}

function presenceOf(row: PresenceRow): PresenceView {
  return {
    userId: Number(row.userId),
    displayName: row.displayName,
    state: row.state,
    // SQLite answers raw datetimes as text in UTC ('YYYY-MM-DD HH:MM:SS.sss').
    lastSeenAt:
      row.lastSeenAt instanceof Date
        ? row.lastSeenAt
        : new Date(`${row.lastSeenAt.replace(' ', 'T')}Z`),
  };
}
