import type { EntityManager } from 'typeorm';
import { FixedClock } from '@madoguchi/common';
import { AuditEvent } from './audit-event.entity';
import { AuditService } from './audit.service';

/** The rows an AuditService writes, without a database: the helper only shapes them. */
function recordingManager(): { manager: EntityManager; rows: unknown[] } {
  const rows: unknown[] = [];
  const manager = {
    insert: (entity: unknown, row: unknown) => {
      expect(entity).toBe(AuditEvent);
      rows.push(row);
      return Promise.resolve();
    },
  } as unknown as EntityManager;
  return { manager, rows };
}

const NOW = new Date('2031-04-02T01:00:00.000Z');
const CLOCK_TIME = '2031-05-01T00:00:00.000Z';

describe('AuditService.by (one actor’s entries)', () => {
  const audit = new AuditService(new FixedClock(CLOCK_TIME));

  it('should write the same row as record() for a signed-in user with the request address', async () => {
    const helper = recordingManager();
    const direct = recordingManager();
    const subject = { merchantId: 7, target: { type: 'ticket', id: 'ABCD2345' } };
    await audit
      .by({ userId: 3, ip: '192.0.2.1' }, helper.manager, NOW)
      .record('ticket.replied', subject, { messageId: 9 });
    await audit.record(
      direct.manager,
      {
        actor: { type: 'user', id: 3 },
        action: 'ticket.replied',
        merchantId: 7,
        target: { type: 'ticket', id: 'ABCD2345' },
        ip: '192.0.2.1',
        detail: { messageId: 9 },
      },
      NOW,
    );
    expect(helper.rows).toEqual(direct.rows);
    expect(helper.rows).toEqual([
      {
        actorType: 'user',
        actorId: 3,
        action: 'ticket.replied',
        merchantId: 7,
        targetType: 'ticket',
        targetId: 'ABCD2345',
        ip: '192.0.2.1',
        detail: '{"messageId":9}',
        createdAt: NOW,
      },
    ]);
  });

  it('should name an end user without an id, and leave target and detail empty when not given', async () => {
    const { manager, rows } = recordingManager();
    await audit
      .by({ endUser: true, ip: null }, manager, NOW)
      .record('x.done', { merchantId: null });
    expect(rows).toEqual([
      expect.objectContaining({
        actorType: 'end_user',
        actorId: null,
        merchantId: null,
        targetType: null,
        targetId: null,
        ip: null,
        detail: null,
      }),
    ]);
  });

  it('should keep an empty detail as {} (not null), as the callers wrote it', async () => {
    const { manager, rows } = recordingManager();
    await audit
      .by({ userId: 1, ip: null }, manager, NOW)
      .record('x.deleted', { merchantId: 2 }, {});
    expect(rows).toEqual([expect.objectContaining({ detail: '{}' })]);
  });

  it("should stamp the clock's time when no time is given", async () => {
    const { manager, rows } = recordingManager();
    await audit.by({ userId: 1, ip: null }, manager).record('x.done', { merchantId: null });
    expect(rows).toEqual([expect.objectContaining({ createdAt: new Date(CLOCK_TIME) })]);
  });
});
