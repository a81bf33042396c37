import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, SystemClock } from '@madoguchi/common';
import { ActorAudit, type RequestActor } from './actor-audit';
import { type AuditActorType, AuditEvent } from './audit-event.entity';

export interface AuditActor {
  type: AuditActorType;
  id?: number | null;
}

export interface AuditRecord {
  actor: AuditActor;
  /** Dotted verb such as `ticket.created`; see AUDIT_ACTIONS. */
  action: string;
  merchantId: number | null;
  target?: { type: string; id: string | number };
  ip?: string | null;
  /** Non-personal facts only (ids, counts, changed field names). */
  detail?: Record<string, unknown>;
}

/** Writes audit events inside the caller's transaction, so an action and its trace commit together. */
@Injectable()
export class AuditService {
  /** The default is for the few callers outside Nest (key rotation), which run on system time. */
  constructor(private readonly clock: Clock = new SystemClock()) {}

  async record(
    manager: EntityManager,
    record: AuditRecord,
    at: Date = this.clock.now(),
  ): Promise<void> {
    await manager.insert(AuditEvent, {
      actorType: record.actor.type,
      actorId: record.actor.id ?? null,
      action: record.action,
      merchantId: record.merchantId,
      targetType: record.target?.type ?? null,
      targetId: record.target ? String(record.target.id) : null,
      ip: record.ip ?? null,
      detail: record.detail ? JSON.stringify(record.detail) : null,
      createdAt: at,
    });
  }

  /**
   * The entries one actor makes in one transaction, at one time (the clock's now when not
   * given): `audit.by(actor, manager, now).record(action, subject, detail)`.
   */
  by(actor: RequestActor, manager: EntityManager, at?: Date): ActorAudit {
    return new ActorAudit(this, manager, actor, at);
  }
}
