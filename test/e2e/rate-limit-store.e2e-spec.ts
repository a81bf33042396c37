import { DatabaseRateLimitCounter, RateLimitCounter } from '@madoguchi/http';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';

describe(`shared rate-limit counter (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let now = Date.UTC(2026, 10, 25, 1, 0, 0);
  const clock = () => now;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
  });

  afterAll(async () => {
    await testEnv?.cleanup();
  });

  it('should count every hit exactly once when two counters (two instances) race', async () => {
    const first = new DatabaseRateLimitCounter(testEnv.dataSource, 'race', clock);
    const second = new DatabaseRateLimitCounter(testEnv.dataSource, 'race', clock);
    const hits = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).hit('198.51.100.1', 60_000)),
    );
    expect(hits.map((state) => state.current).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(await first.peek('198.51.100.1')).toEqual({ current: 20, ttl: 60_000 });
    // Another client and another limit name count on their own.
    expect((await first.hit('198.51.100.2', 60_000)).current).toBe(1);
    const other = new DatabaseRateLimitCounter(testEnv.dataSource, 'other', clock);
    expect((await other.hit('198.51.100.1', 60_000)).current).toBe(1);
  });

  it('should keep a window from its first hit and start a new one after it ended', async () => {
    const counter = new DatabaseRateLimitCounter(testEnv.dataSource, 'window', clock);
    expect(await counter.hit('203.0.113.9', 60_000)).toEqual({ current: 1, ttl: 60_000 });
    now += 59_000;
    expect(await counter.hit('203.0.113.9', 60_000)).toEqual({ current: 2, ttl: 1_000 });
    now += 1_000;
    expect(await counter.peek('203.0.113.9')).toEqual({ current: 0, ttl: 0 });
    expect(await counter.hit('203.0.113.9', 60_000)).toEqual({ current: 1, ttl: 60_000 });
    now += 30_000;
    expect(await counter.hit('203.0.113.9', 60_000)).toEqual({ current: 2, ttl: 30_000 });
  });

  it('should purge the rows of ended windows only', async () => {
    const counter = new DatabaseRateLimitCounter(testEnv.dataSource, 'purge', clock);
    await counter.hit('192.0.2.1', 10_000);
    await counter.hit('192.0.2.2', 120_000);
    const rows = () =>
      testEnv.dataSource
        .getRepository(RateLimitCounter)
        .find({ order: { bucket: 'ASC' } })
        .then((found) => found.filter((row) => row.bucket.startsWith('purge:')));
    expect((await rows()).map((row) => row.bucket)).toEqual(['purge:192.0.2.1', 'purge:192.0.2.2']);
    now += 10_000;
    expect(await counter.purge()).toBeGreaterThanOrEqual(1);
    expect((await rows()).map((row) => row.bucket)).toEqual(['purge:192.0.2.2']);
  });
});
