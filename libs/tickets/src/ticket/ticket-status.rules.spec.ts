import { DomainException, ErrorCode } from '@madoguchi/common';
import { TICKET_STATUS_LABELS, TICKET_STATUSES } from './ticket.constant';
import {
  allowedTransitions,
  assertTransition,
  canTransition,
  defaultStatusAfterReply,
  statusAfterNote,
  TICKET_STATUS_TRANSITIONS,
} from './ticket-status.rules';

describe('ticket status rules', () => {
  it('should follow the design life cycle', () => {
    expect(canTransition('new', 'open')).toBe(true);
    expect(canTransition('open', 'pending_customer')).toBe(true);
    expect(canTransition('pending_customer', 'pending_merchant')).toBe(true);
    expect(canTransition('pending_merchant', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'closed')).toBe(true);
    expect(canTransition('resolved', 'open')).toBe(true);
    expect(canTransition('open', 'handed_back')).toBe(true);
  });

  it('should let nothing follow closed', () => {
    expect(allowedTransitions('closed')).toEqual([]);
  });

  it('should only reopen a handed-back ticket', () => {
    expect(allowedTransitions('handed_back')).toEqual(['open']);
  });

  it('should not close a ticket before it is resolved', () => {
    for (const from of ['new', 'open', 'pending_customer', 'pending_merchant'] as const) {
      expect(canTransition(from, 'closed')).toBe(false);
    }
  });

  it('should never allow a status to itself', () => {
    for (const status of TICKET_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('should have a rule for every status', () => {
    expect(Object.keys(TICKET_STATUS_TRANSITIONS).sort()).toEqual([...TICKET_STATUSES].sort());
  });

  it('should refuse an illegal change with a 409 code and a Japanese reason naming both statuses', () => {
    const refusal = (() => {
      try {
        assertTransition('new', 'closed');
        return null;
      } catch (error) {
        return error as DomainException;
      }
    })();
    expect(refusal).toBeInstanceOf(DomainException);
    expect(refusal?.code).toBe(ErrorCode.InvalidStatusTransition);
    expect(refusal?.message).toContain(TICKET_STATUS_LABELS.new);
    expect(refusal?.message).toContain(TICKET_STATUS_LABELS.closed);
    expect(() => assertTransition('closed', 'open')).toThrow(/完了/);
    expect(() => assertTransition('open', 'pending_customer')).not.toThrow();
  });

  it('should wait on the end user after a reply, except on a resolved ticket', () => {
    expect(defaultStatusAfterReply('new')).toBe('pending_customer');
    expect(defaultStatusAfterReply('open')).toBe('pending_customer');
    expect(defaultStatusAfterReply('resolved')).toBe('resolved');
  });

  it('should open a new ticket when a note is written, and leave others as they are', () => {
    expect(statusAfterNote('new')).toBe('open');
    expect(statusAfterNote('pending_merchant')).toBe('pending_merchant');
  });
});
