import {
  type AnswerReply,
  answersSentOf,
  outdatedReceivers,
  periodOf,
  verificationsOf,
} from './incident-report.service';

const NOW = new Date('2026-12-04T03:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

function code(
  id: number,
  ticketId: number,
  fields: Partial<{
    attempts: number;
    expiresAt: Date;
    usedAt: Date | null;
    result: 'included' | 'not_included' | 'undetermined' | null;
  }> = {},
) {
  return {
    id,
    ticketId,
    attempts: 0,
    expiresAt: minutes(5),
    usedAt: null,
    result: null,
    ...fields,
  };
}

function reply(fields: Partial<AnswerReply>): AnswerReply {
  return {
    messageId: 1,
    ticketId: 1,
    version: 1,
    templateId: 10,
    purpose: 'answer',
    path: 'agent',
    provenance: null,
    correction: false,
    ...fields,
  };
}

describe('verificationsOf', () => {
  it('should count each code once: verified, failed, pending (newest and live) or expired', () => {
    const figures = verificationsOf(
      [
        code(1, 1, { usedAt: minutes(-5), result: 'included', attempts: 1 }),
        code(2, 2, { usedAt: minutes(-4), result: 'undetermined' }),
        code(3, 3, { attempts: 5 }),
        // ticket 4: an older live code replaced by a newer one, which is pending
        code(4, 4),
        code(5, 4),
        // ticket 5: the only code, timed out
        code(6, 5, { expiresAt: minutes(-1), attempts: 2 }),
      ],
      NOW,
    );
    expect(figures).toEqual({
      codesSent: 6,
      verified: 2,
      failed: 1,
      expired: 2,
      pending: 1,
      wrongEntries: 8,
      ticketsVerified: 2,
      outcomes: { included: 1, not_included: 0, undetermined: 1 },
    });
  });
});

describe('answersSentOf', () => {
  it('should count replies by purpose and path and the status page’s verified results', () => {
    const verifications = verificationsOf(
      [
        code(1, 1, { usedAt: minutes(-5), result: 'included' }),
        code(2, 2, { usedAt: minutes(-5), result: 'included' }),
        code(3, 3, { usedAt: minutes(-5), result: 'not_included' }),
      ],
      NOW,
    );
    const rows = answersSentOf(
      [
        reply({ purpose: 'leak_included', path: 'agent', provenance: 'verbatim' }),
        reply({ purpose: 'answer', path: 'bulk', provenance: 'verbatim' }),
        reply({ purpose: 'answer', path: 'bulk', provenance: 'verbatim' }),
        reply({ purpose: 'answer', path: 'agent', provenance: 'edited' }),
      ],
      verifications,
    );
    const byPurpose = Object.fromEntries(rows.map((r) => [r.purpose, r]));
    expect(byPurpose.leak_included).toEqual({
      purpose: 'leak_included',
      byPath: { agent: 1, bulk: 0, status_page: 2 },
      total: 3,
      verbatim: 1,
      edited: 0,
    });
    expect(byPurpose.leak_not_included.byPath).toEqual({ agent: 0, bulk: 0, status_page: 1 });
    expect(byPurpose.answer).toMatchObject({
      byPath: { agent: 1, bulk: 2, status_page: 0 },
      verbatim: 2,
      edited: 1,
    });
    // The public page's answers are read, not sent: no row.
    expect(byPurpose.faq).toBeUndefined();
  });
});

describe('outdatedReceivers', () => {
  it('should count tickets whose newest use of the template is below the version in use', () => {
    const replies = [
      // ticket 1: v1 then v2: up to date
      reply({ ticketId: 1, messageId: 1, version: 1 }),
      reply({ ticketId: 1, messageId: 5, version: 2 }),
      // ticket 2: v1 only: outdated
      reply({ ticketId: 2, messageId: 2, version: 1 }),
      // ticket 3: v2 then (a later message of) v1: outdated
      reply({ ticketId: 3, messageId: 3, version: 2 }),
      reply({ ticketId: 3, messageId: 6, version: 1 }),
      // another template: not counted
      reply({ ticketId: 4, messageId: 4, version: 1, templateId: 11 }),
    ];
    expect(outdatedReceivers(replies, 10, 2)).toBe(2);
    expect(outdatedReceivers(replies, 10, 1)).toBe(0);
  });
});

describe('periodOf', () => {
  it('should run from the earliest of recording, notice and first ticket to today (Tokyo dates)', () => {
    const recorded = { createdAt: new Date('2026-11-20T01:00:00Z') };
    expect(periodOf(recorded, [{ noticeDate: null }], [], NOW)).toEqual({
      from: '2026-11-20',
      to: '2026-12-04',
    });
    expect(
      periodOf(
        recorded,
        [{ noticeDate: '2026-11-18' }, { noticeDate: null }],
        // 2026-11-16 23:30 Tokyo
        [{ createdAt: new Date('2026-11-16T14:30:00Z') }],
        NOW,
      ),
    ).toEqual({ from: '2026-11-16', to: '2026-12-04' });
  });
});
