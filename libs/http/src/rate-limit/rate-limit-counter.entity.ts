import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The current rate-limit window of one client (the intake's per-IP limit), shared by every
 * instance of an app: a request adds one hit with an atomic upsert, so N instances behind a
 * load balancer count against one limit. A window starts with the first hit after the last
 * one ended; rows whose window ended are purged by `expiresAt`.
 */
@Entity('rate_limit_counters')
@Index('ix_rate_limit_counters_expires', ['expiresAt'])
export class RateLimitCounter {
  /** `<limit name>:<client key>`, e.g. `intake:203.0.113.7`. */
  @PrimaryColumn({ type: 'varchar', length: 191 })
  bucket: string;

  /** Hits in the current window. */
  @Column({ type: 'int' })
  hits: number;

  /** End of the current window, milliseconds since the epoch. */
  @Column({ type: 'bigint' })
  expiresAt: string;
}
