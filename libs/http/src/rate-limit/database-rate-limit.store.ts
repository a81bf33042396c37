import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { RateLimitCounter } from './rate-limit-counter.entity';

/** What @fastify/rate-limit expects back from a store: hits so far, and ms left in the window. */
export interface RateLimitState {
  current: number;
  ttl: number;
}

type StoreCallback = (error: Error | null, state?: RateLimitState) => void;

/** The shape of a @fastify/rate-limit store (see its store/LocalStore.js): built with `new`. */
export interface RateLimitStore {
  incr(key: string, callback: StoreCallback, timeWindow: number, max: number): void;
  read(key: string, callback: StoreCallback): void;
  child(routeOptions: unknown): RateLimitStore;
}

export type RateLimitStoreClass = new (options: unknown) => RateLimitStore;

const TABLE = 'rate_limit_counters';
/** 2^24: packs the count and the ms left (a window under 4.6 hours) into one insert id. */
const PACK = 16_777_216;

/**
 * A fixed-window rate-limit counter in the database (`rate_limit_counters`), so that every
 * instance of an app counts against one limit per client (no in-process state that
 * must be shared; MySQL only, no Redis). Same windows as the plugin's in-memory store: a
 * window starts with a client's first hit after the previous window ended and lasts the
 * window length. Each hit is one atomic upsert that also starts a new window when the old one
 * has ended:
 *
 * - MySQL/MariaDB: `INSERT … ON DUPLICATE KEY UPDATE …, expires_at = LAST_INSERT_ID(…) …`,
 *   whose insert id carries the new count and the window's end back (affected rows 1 = a
 *   fresh row, one hit);
 * - SQLite: `INSERT … ON CONFLICT DO UPDATE … RETURNING hits, expires_at`.
 *
 * Rows of ended windows are deleted now and then (at most once per window length per
 * process), off the request's path. A failing database is reported to the plugin, which
 * (with `skipOnError`) lets the request through to its handler, which then answers 503.
 */
export class DatabaseRateLimitCounter {
  private readonly logger = new Logger('RateLimit');
  private readonly mysql: boolean;
  private lastPurgeAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    /** Names the limit in the bucket key, so two limits never share counters. */
    private readonly name: string,
    private readonly now: () => number = Date.now,
  ) {
    this.mysql = dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
  }

  /** Adds one hit for `key`; returns the hits of its current window and the ms left in it. */
  async hit(key: string, windowMs: number): Promise<RateLimitState> {
    const now = this.now();
    const bucket = this.bucket(key);
    const { hits, expiresAt } = this.mysql
      ? await this.hitMysql(bucket, now, now + windowMs)
      : await this.hitSqlite(bucket, now, now + windowMs);
    this.purgeEnded(now, windowMs);
    return { current: hits, ttl: Math.max(0, expiresAt - now) };
  }

  /** The hits of `key`'s current window, without adding one. */
  async peek(key: string): Promise<RateLimitState> {
    const now = this.now();
    const rows = (await this.dataSource.query(
      `SELECT hits, expires_at FROM ${this.table()} WHERE bucket = ? AND expires_at > ?`,
      [this.bucket(key), now],
    )) as { hits: number | string; expires_at: number | string }[];
    if (rows.length === 0) return { current: 0, ttl: 0 };
    return { current: Number(rows[0].hits), ttl: Number(rows[0].expires_at) - now };
  }

  /** Deletes the rows whose window ended by `now`; returns how many. */
  async purge(now: number = this.now()): Promise<number> {
    const { affected } = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(RateLimitCounter)
      .where('expires_at <= :now', { now })
      .execute();
    return affected ?? 0;
  }

  /** A @fastify/rate-limit `store` option backed by this counter. */
  asStore(): RateLimitStoreClass {
    const store: RateLimitStore = {
      incr: (key, callback, timeWindow) => {
        this.hit(key, timeWindow).then(
          (state) => callback(null, state),
          (error: unknown) => callback(asError(error)),
        );
      },
      read: (key, callback) => {
        this.peek(key).then(
          (state) => callback(null, state),
          (error: unknown) => callback(asError(error)),
        );
      },
      // A per-route limit would count in the same table under the same name.
      child: () => store,
    };
    // The plugin calls `new Store(options)`; a constructor returning an object yields it.
    return function DatabaseRateLimitStore() {
      return store;
    } as unknown as RateLimitStoreClass;
  }

  private bucket(key: string): string {
    return `${this.name}:${key}`.slice(0, 191);
  }

  private table(): string {
    return this.dataSource.driver.escape(TABLE);
  }

  private async hitMysql(
    bucket: string,
    now: number,
    newExpiresAt: number,
  ): Promise<{ hits: number; expiresAt: number }> {
    if (newExpiresAt - now >= PACK) throw new Error('rate-limit window too long for the counter');
    // MySQL assigns left to right, so `hits` in the second assignment is the new count (1: a
    // window (re)started). That assignment also hands both results back in one round trip:
    // LAST_INSERT_ID(hits × 2^24 + ms left), whose remainder plus `now` is the new expires_at.
    const result = (await this.dataSource.query(
      `INSERT INTO ${this.table()} (bucket, hits, expires_at) VALUES (?, 1, ?) ` +
        'ON DUPLICATE KEY UPDATE hits = IF(expires_at <= ?, 1, hits + 1), ' +
        `expires_at = LAST_INSERT_ID(hits * ${PACK} + IF(hits = 1, ?, expires_at) - ?) MOD ${PACK} + ?`,
      [bucket, newExpiresAt, now, newExpiresAt, now, now],
    )) as { affectedRows: number; insertId: number | string };
    // One affected row: a new row (its first hit); two: an existing row changed.
    if (result.affectedRows === 1) return { hits: 1, expiresAt: newExpiresAt };
    const packed = Number(result.insertId);
    return { hits: Math.floor(packed / PACK), expiresAt: now + (packed % PACK) };
  }

  private async hitSqlite(
    bucket: string,
    now: number,
    newExpiresAt: number,
  ): Promise<{ hits: number; expiresAt: number }> {
    // SQLite evaluates every assignment against the old row.
    const rows = (await this.dataSource.query(
      `INSERT INTO ${this.table()} (bucket, hits, expires_at) VALUES (?, 1, ?) ` +
        'ON CONFLICT (bucket) DO UPDATE SET ' +
        'hits = CASE WHEN expires_at <= ? THEN 1 ELSE hits + 1 END, ' +
        'expires_at = CASE WHEN expires_at <= ? THEN ? ELSE expires_at END ' +
        'RETURNING hits, expires_at',
      [bucket, newExpiresAt, now, now, newExpiresAt],
    )) as { hits: number | string; expires_at: number | string }[];
    return { hits: Number(rows[0].hits), expiresAt: Number(rows[0].expires_at) };
  }

  private purgeEnded(now: number, windowMs: number): void {
    if (now - this.lastPurgeAt < windowMs) return;
    this.lastPurgeAt = now;
    this.purge(now).catch((error: unknown) => {
      this.logger.warn(`could not purge ended rate-limit windows: ${asError(error).message}`);
    });
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
