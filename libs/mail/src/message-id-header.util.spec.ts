import { messageIdsOf, newMessageIdHeader, normaliseMessageId } from './message-id-header.util';

describe('newMessageIdHeader', () => {
  it('should make `<32 hex@domain>`, lower-case, different each time', () => {
    const first = newMessageIdHeader('Inbound.Madoguchi.Test');
    expect(first).toMatch(/^<[0-9a-f]{32}@inbound\.madoguchi\.test>$/);
    expect(newMessageIdHeader('inbound.madoguchi.test')).not.toBe(first);
  });
});

describe('messageIdsOf', () => {
  it('should read every id of a References header, in order', () => {
    expect(messageIdsOf('<a@x.test> <b@x.test>\r\n <c@x.test>')).toEqual([
      'a@x.test',
      'b@x.test',
      'c@x.test',
    ]);
  });

  it('should compare case and folding whitespace away', () => {
    expect(messageIdsOf('<ABC@X.Test>')).toEqual(messageIdsOf('< abc@x.test >'));
  });

  it('should take a header without brackets as one id, and several headers together', () => {
    expect(messageIdsOf('abc@x.test')).toEqual(['abc@x.test']);
    expect(messageIdsOf(['<a@x.test>', '<b@x.test>'])).toEqual(['a@x.test', 'b@x.test']);
  });

  it('should give nothing for an empty or missing header, and keep only the newest of many', () => {
    expect(messageIdsOf(undefined)).toEqual([]);
    expect(messageIdsOf('  ')).toEqual([]);
    expect(messageIdsOf('<>')).toEqual([]);
    const many = Array.from({ length: 80 }, (_, i) => `<m${i}@x.test>`).join(' ');
    const kept = messageIdsOf(many);
    expect(kept).toHaveLength(50);
    expect(kept[kept.length - 1]).toBe('m79@x.test');
  });

  it('should drop an id too long to be one', () => {
    expect(messageIdsOf(`<${'a'.repeat(300)}@x.test>`)).toEqual([]);
  });
});

describe('normaliseMessageId', () => {
  it('should give the normalised id, or null for none', () => {
    expect(normaliseMessageId(' <Abc@X.test> ')).toBe('abc@x.test');
    expect(normaliseMessageId('')).toBeNull();
  });
});
