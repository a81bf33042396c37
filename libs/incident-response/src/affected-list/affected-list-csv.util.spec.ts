import {
  AffectedListFileError,
  decodeAffectedList,
  parseAffectedList,
  AFFECTED_LIST_MAX_CELL_CHARS,
  AFFECTED_LIST_MAX_CELLS,
  parseCsvRecords,
} from './affected-list-csv.util';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** 電話番号 and 注文番号 in Shift_JIS, written as bytes (TextEncoder only writes UTF-8). */
const SJIS_PHONE = [0x93, 0x64, 0x98, 0x62, 0x94, 0xd4, 0x8d, 0x86];
const SJIS_ORDER = [0x92, 0x8d, 0x95, 0xb6, 0x94, 0xd4, 0x8d, 0x86];

function fileError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AffectedListFileError) return error.code;
    throw error;
  }
  throw new Error('expected a file error');
}

describe('decodeAffectedList', () => {
  it('should read UTF-8 and drop a BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('email\r\n')]);
    expect(decodeAffectedList(bytes)).toEqual({ text: 'email\r\n', encoding: 'utf-8' });
  });

  it('should read Shift_JIS when the bytes are not valid UTF-8', () => {
    const bytes = new Uint8Array([...SJIS_PHONE, 0x2c, ...SJIS_ORDER]);
    expect(decodeAffectedList(bytes)).toEqual({ text: '電話番号,注文番号', encoding: 'shift_jis' });
  });

  it('should refuse binary and empty files', () => {
    expect(fileError(() => decodeAffectedList(new Uint8Array([0x50, 0x4b, 0x03, 0x00])))).toBe(
      'not_text',
    );
    expect(fileError(() => decodeAffectedList(new Uint8Array([0xff, 0xff, 0xff])))).toBe(
      'not_text',
    );
    expect(fileError(() => decodeAffectedList(new Uint8Array()))).toBe('empty_file');
  });
});

describe('parseCsvRecords', () => {
  it('should keep quoted commas, quotes and line breaks and number records by their first line', () => {
    const records = parseCsvRecords('a,b\r\n"x,1","say ""hi""\nthere"\r\nlast,row\n');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'], unterminated: false, oversized: false },
      { line: 2, cells: ['x,1', 'say "hi"\nthere'], unterminated: false, oversized: false },
      { line: 4, cells: ['last', 'row'], unterminated: false, oversized: false },
    ]);
  });

  it('should mark an unterminated quote', () => {
    expect(parseCsvRecords('a\n"open')).toEqual([
      { line: 1, cells: ['a'], unterminated: false, oversized: false },
      { line: 2, cells: ['open'], unterminated: true, oversized: false },
    ]);
  });
});

describe('parseAffectedList', () => {
  it('should map Japanese and English headers and ignore other columns', () => {
    const parsed = parseAffectedList(
      utf8(
        '氏名,メールアドレス,Phone Number,order_number\n太郎,Taro@Example.jp,090-1111-2222,A-1\n',
      ),
    );
    expect(parsed.columns).toEqual(['email', 'phone', 'order']);
    expect(parsed.rows).toEqual([
      { line: 2, email: 'Taro@Example.jp', phone: '+819011112222', order: 'A-1' },
    ]);
    expect(parsed.rowsRead).toBe(1);
  });

  it('should reject bad rows whole, with their line numbers and reasons', () => {
    const parsed = parseAffectedList(
      utf8(
        [
          'email,phone,注文番号',
          'ok@example.jp,,',
          'not-an-email,090-1111-2222,A-2',
          ',12,',
          ',,',
          'a@example.jp,090-1111-2222',
          ',,B-7',
        ].join('\n'),
      ),
    );
    expect(parsed.rowsRead).toBe(6);
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 7]);
    expect(parsed.rejections).toEqual([
      { line: 3, issue: 'invalid_email' },
      { line: 4, issue: 'invalid_phone' },
      { line: 5, issue: 'empty_row' },
      { line: 6, issue: 'column_count' },
    ]);
  });

  it('should refuse a file without a known column, with a column twice, or too many rows', () => {
    expect(fileError(() => parseAffectedList(utf8('name,address\nA,B\n')))).toBe('no_known_column');
    expect(fileError(() => parseAffectedList(utf8('email,メール\na@b.jp,c@d.jp\n')))).toBe(
      'duplicate_column',
    );
    expect(fileError(() => parseAffectedList(utf8('email\n')))).toBe('no_rows');
    expect(fileError(() => parseAffectedList(utf8('email\na@b.jp\nc@d.jp\n'), 1))).toBe(
      'too_many_rows',
    );
  });

  it('should cap a cell and the cells of a record while parsing, and reject that row', () => {
    const [header, long] = parseCsvRecords(
      `email\n${'a'.repeat(AFFECTED_LIST_MAX_CELL_CHARS * 4)}`,
    );
    expect(header.oversized).toBe(false);
    expect(long.cells[0]).toHaveLength(AFFECTED_LIST_MAX_CELL_CHARS);
    expect(long.oversized).toBe(true);
    const [wide] = parseCsvRecords(','.repeat(AFFECTED_LIST_MAX_CELLS * 3));
    expect(wide.cells).toHaveLength(AFFECTED_LIST_MAX_CELLS);
    expect(wide.oversized).toBe(true);
    const parsed = parseAffectedList(
      utf8(`email\nok@example.jp\n${'a'.repeat(5000)}@example.jp\n`),
    );
    expect(parsed.rows.map((r) => r.line)).toEqual([2]);
    expect(parsed.rejections).toEqual([{ line: 3, issue: 'cell_too_long' }]);
  });
});
