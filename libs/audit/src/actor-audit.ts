import type { EntityManager } from 'typeorm';
import type { AuditActor, AuditService } from './audit.service';

/**
 * Someone acting through a request, with the request's address: a signed-in user (the shape of
 * TicketActor, IncidentActor and the other `{ userId, ip }` actors) or an end user, who has no
 * account.
 */
export type RequestActor =
  { userId: number; ip: string | null } | { endUser: true; ip: string | null };

/** What an audit entry is about: its merchant (null when operator-wide) and the thing it names. */
export interface AuditSubject {
  merchantId: number | null;
  target?: { type: string; id: string | number };
}

/**
 * The audit trail of one actor within one transaction ({@link AuditService.by}): each entry
 * carries who acted, from where and when, so a service writes only what differs.
 */
export class ActorAudit {
  constructor(
    private readonly audit: AuditService,
    private readonly manager: EntityManager,
    private readonly actor: RequestActor,
    private readonly at: Date | undefined,
  ) {}

  /** `detail`: non-personal facts only (ids, counts, changed field names). */
  record(action: string, subject: AuditSubject, detail?: Record<string, unknown>): Promise<void> {
    return this.audit.record(
      this.manager,
      {
        actor: auditActorOf(this.actor),
        action,
        merchantId: subject.merchantId,
        target: subject.target,
        ip: this.actor.ip,
        detail,
      },
      this.at,
    );
  }
}

function auditActorOf(actor: RequestActor): AuditActor {
  return 'userId' in actor ? { type: 'user', id: actor.userId } : { type: 'end_user' };
}
