import { csvCell, csvDocument, csvRecord, UTF8_BOM } from './csv-writer.util';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+81 3 1234', "'+81 3 1234"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', `"'\r=1"`],
  ])('should defuse a formula cell %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('should quote commas, quotes and line breaks and double inner quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('should leave plain values, Japanese text and formula characters inside a value alone', () => {
    expect(csvCell('K7QM-3XHD')).toBe('K7QM-3XHD');
    expect(csvCell('決済・カード')).toBe('決済・カード');
    expect(csvCell('2025-04-01 09:30')).toBe('2025-04-01 09:30');
    expect(csvCell(42)).toBe('42');
  });

  it('should write null and undefined as empty cells', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('csvDocument', () => {
  it('should start with a BOM and end every record with CRLF', () => {
    const doc = csvDocument(
      ['a', 'b'],
      [
        ['1', null],
        ['=x', 'y,z'],
      ],
    );
    expect(doc).toBe(`${UTF8_BOM}a,b\r\n1,\r\n'=x,"y,z"\r\n`);
    expect(csvRecord([])).toBe('\r\n');
  });
});
