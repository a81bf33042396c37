import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
  async record(manager: EntityManager, record: AuditRecord, at: Date = new Date()): Promise<void> {
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
}
