import {
  REFERENCE_ALPHABET,
  generateTicketReference,
  normaliseTicketReference,
} from './ticket-reference.util';

describe('ticket reference', () => {
  it('should never contain characters confused on the phone', () => {
    for (const forbidden of ['0', 'O', '1', 'I', 'L'])
      expect(REFERENCE_ALPHABET).not.toContain(forbidden);
    for (let i = 0; i < 500; i++)
      expect(generateTicketReference()).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  });

  it('should normalise what people type', () => {
    expect(normaliseTicketReference('k7qm3xhd')).toBe('K7QM-3XHD');
    expect(normaliseTicketReference('ｋ７ＱＭ－３ＸＨＤ')).toBe('K7QM-3XHD');
    expect(normaliseTicketReference('K7QM-3XH0')).toBeNull();
    expect(normaliseTicketReference('K7QM')).toBeNull();
  });
});
