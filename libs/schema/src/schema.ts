import { AuditEventAppendOnlySubscriber } from '@madoguchi/audit';
import type { DatabaseSchema } from '@madoguchi/database';
import { ALL_ENTITIES } from './entities';
import { ALL_MIGRATIONS } from './migrations';

/** Madoguchi's whole schema: every entity, every migration, and the subscribers on them. */
export const MADOGUCHI_SCHEMA: DatabaseSchema = {
  entities: ALL_ENTITIES,
  migrations: ALL_MIGRATIONS,
  // The audit trail is append-only: updates and deletes of an AuditEvent throw.
  subscribers: [AuditEventAppendOnlySubscriber],
};
