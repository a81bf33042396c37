import {
  type EntitySubscriberInterface,
  EventSubscriber,
  type RemoveEvent,
  type SoftRemoveEvent,
  type UpdateEvent,
} from 'typeorm';
import { AuditEvent } from './audit-event.entity';

/** The error every attempt to change or remove an audit event meets. */
export class AuditTrailAppendOnlyError extends Error {
  constructor(operation: string) {
    super(`audit_events is append-only: ${operation} refused`);
    this.name = 'AuditTrailAppendOnlyError';
  }
}

/**
 * The audit trail is append-only in the application: any update, removal or soft removal of an
 * AuditEvent through TypeORM (repository, entity manager or query builder) throws before a
 * statement reaches the database. Registered on the one data source (libs/schema). Raw SQL
 * bypasses subscribers; a test keeps the application free of raw writes to `audit_events`, and
 * docs/security.md says what a database account can still do.
 */
@EventSubscriber()
export class AuditEventAppendOnlySubscriber implements EntitySubscriberInterface<AuditEvent> {
  listenTo(): typeof AuditEvent {
    return AuditEvent;
  }

  beforeUpdate(_event: UpdateEvent<AuditEvent>): void {
    throw new AuditTrailAppendOnlyError('update');
  }

  beforeRemove(_event: RemoveEvent<AuditEvent>): void {
    throw new AuditTrailAppendOnlyError('delete');
  }

  beforeSoftRemove(_event: SoftRemoveEvent<AuditEvent>): void {
    throw new AuditTrailAppendOnlyError('soft delete');
  }
}
