import { BlindIndex } from '@madoguchi/crypto';
import { affectedListValueAt, indexAffectedList } from './affected-list-index.util';

describe('indexAffectedList', () => {
  const blindIndex = BlindIndex.forWorker(new Uint8Array(32).fill(7));
  const csv = (lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');

  it('should pack each distinct value once, at its first row, as the hex index the tables keep', () => {
    const indexed = indexAffectedList(
      csv([
        'email,phone,order_number',
        'a@example.jp,090-1000-0001,A-1',
        'A@example.jp,090-1000-0002,A-1',
        'bad,090-1000-0003,',
        'a@example.jp,090-1000-0001,A-1',
      ]),
      blindIndex,
    );
    expect(indexed.rowsRead).toBe(4);
    expect(indexed.rowCount).toBe(3);
    expect(indexed.rejections).toEqual([{ line: 4, issue: expect.any(String) }]);
    expect(indexed.valueCount).toBe(4);
    const packed = Buffer.from(indexed.values);
    const values = Array.from({ length: indexed.valueCount }, (_, i) =>
      affectedListValueAt(packed, i),
    );
    expect(values).toEqual([
      { kind: 'email', row: 0, index: blindIndex.email('a@example.jp') },
      { kind: 'phone', row: 0, index: blindIndex.phone('090-1000-0001') },
      { kind: 'order', row: 0, index: blindIndex.orderNumber('A-1') },
      { kind: 'phone', row: 1, index: blindIndex.phone('090-1000-0002') },
    ]);
    // Nothing of the file is in the buffer, only indexes.
    expect(packed.toString('latin1')).not.toContain('example.jp');
  });

  it('should hand back a buffer of its own, so it can be transferred to another thread', () => {
    const indexed = indexAffectedList(csv(['email', 'x@example.jp']), blindIndex);
    expect(indexed.values.byteLength).toBe(37);
    expect(() => structuredClone(indexed.values, { transfer: [indexed.values] })).not.toThrow();
  });
});
