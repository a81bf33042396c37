import { isEmail } from 'class-validator';
import { foldWidth, normaliseOrderNumber, normalisePhoneE164 } from '@madoguchi/crypto';

/** Largest file and most data rows one upload may hold (bigger files are refused whole). */
export const AFFECTED_LIST_MAX_BYTES = 5 * 1024 * 1024;
export const AFFECTED_LIST_MAX_ROWS = 200_000;
/** Longest cell kept while parsing: a longer one is cut there and its row rejected (`cell_too_long`). */
export const AFFECTED_LIST_MAX_CELL_CHARS = 1024;
/** Most cells per record: further cells are not kept, and the row is rejected (`column_count`). */
export const AFFECTED_LIST_MAX_CELLS = 256;

export type AffectedListColumn = 'email' | 'phone' | 'order';
export type AffectedListEncoding = 'utf-8' | 'shift_jis';

/**
 * Header names per column, compared after NFKC folding, lower-casing and dropping spaces,
 * `_`, `-` and `・` (so `Order Number`, `order_number` and `注文番号` all match).
 */
export const AFFECTED_LIST_HEADERS: Readonly<Record<AffectedListColumn, readonly string[]>> = {
  email: ['email', 'emailaddress', 'mail', 'mailaddress', 'メールアドレス', 'メール', 'eメール'],
  phone: ['phone', 'phonenumber', 'tel', 'telephone', '電話番号', '電話', '携帯電話番号'],
  order: ['ordernumber', 'orderno', 'orderid', 'order', '注文番号', 'ご注文番号', '受注番号'],
};

/** Why a whole file is refused; nothing is changed. */
export type AffectedListFileErrorCode =
  | 'empty_file'
  | 'too_large'
  | 'not_text'
  | 'no_known_column'
  | 'duplicate_column'
  | 'no_rows'
  | 'too_many_rows'
  /** Every data row was rejected: the report lists why, and nothing changed. */
  | 'no_valid_rows';

/** Why one row is skipped (reported with its line number). */
export type AffectedListRowIssue =
  | 'empty_row'
  | 'column_count'
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_order_number'
  | 'unterminated_quote'
  /** A cell over AFFECTED_LIST_MAX_CELL_CHARS characters (no real email, phone or order number is). */
  | 'cell_too_long';

export class AffectedListFileError extends Error {
  constructor(
    readonly code: AffectedListFileErrorCode,
    readonly detail: { column?: AffectedListColumn; rejections?: AffectedListRejection[] } = {},
  ) {
    super(`affected list refused: ${code}`);
    this.name = 'AffectedListFileError';
  }
}

/** One accepted row: normalised values, held in memory only until they are hashed. */
export interface AffectedListRow {
  line: number;
  email: string | null;
  /** Already in E.164 (normalisePhoneE164), as the blind index takes it. */
  phone: string | null;
  order: string | null;
}

export interface AffectedListRejection {
  line: number;
  issue: AffectedListRowIssue;
}

export interface ParsedAffectedList {
  encoding: AffectedListEncoding;
  columns: AffectedListColumn[];
  /** Data rows read (the header and a final line break excluded). */
  rowsRead: number;
  rows: AffectedListRow[];
  rejections: AffectedListRejection[];
}

const ORDER_NUMBER_MAX = 64;
const EMAIL_MAX = 254;
const PHONE_MAX = 30;
// eslint-disable-next-line no-control-regex -- a text cell holds no control characters
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Bytes to text: valid UTF-8 (a BOM is dropped) is UTF-8, anything else must be valid
 * Shift_JIS (Excel's "CSV" on Japanese Windows); NUL bytes or undecodable bytes mean it is not
 * a text file.
 */
export function decodeAffectedList(bytes: Uint8Array): {
  text: string;
  encoding: AffectedListEncoding;
} {
  if (bytes.length === 0) throw new AffectedListFileError('empty_file');
  if (bytes.length > AFFECTED_LIST_MAX_BYTES) throw new AffectedListFileError('too_large');
  if (bytes.includes(0)) throw new AffectedListFileError('not_text');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // not UTF-8: try Shift_JIS below
  }
  try {
    return {
      text: new TextDecoder('shift_jis', { fatal: true }).decode(bytes),
      encoding: 'shift_jis',
    };
  } catch {
    throw new AffectedListFileError('not_text');
  }
}

interface CsvRecord {
  line: number;
  cells: string[];
  unterminated: boolean;
  /** A cell was cut at AFFECTED_LIST_MAX_CELL_CHARS, or cells beyond AFFECTED_LIST_MAX_CELLS were dropped. */
  oversized: boolean;
}

/**
 * RFC 4180 records, one at a time, with the physical line each starts on: quoted cells may
 * hold commas, doubled quotes and line breaks; CRLF, LF and CR all end a record. A final line
 * break makes no empty record. Memory stays bounded whatever the file holds: a cell keeps at
 * most {@link AFFECTED_LIST_MAX_CELL_CHARS} characters and a record at most
 * {@link AFFECTED_LIST_MAX_CELLS} cells (the record is marked `oversized`); the caller stops
 * reading when it has seen enough records.
 */
export function* csvRecords(text: string): Generator<CsvRecord> {
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let ended = false;
    let oversized = false;
    const add = (c: string): void => {
      if (cell.length < AFFECTED_LIST_MAX_CELL_CHARS) cell += c;
      else oversized = true;
    };
    const endCell = (): void => {
      if (cells.length < AFFECTED_LIST_MAX_CELLS) cells.push(cell);
      else oversized = true;
      cell = '';
    };
    while (i < n && !ended) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            add('"');
            i += 2;
          } else {
            quoted = false;
            i++;
          }
        } else {
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          add(c);
          i++;
        }
      } else if (c === '"' && cell === '') {
        quoted = true;
        i++;
      } else if (c === ',') {
        endCell();
        i++;
      } else if (c === '\r' || c === '\n') {
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        ended = true;
      } else {
        add(c);
        i++;
      }
    }
    endCell();
    yield { line: start, cells, unterminated: quoted, oversized };
  }
}

/** Every record of `text` (tests; the parser reads them one at a time with {@link csvRecords}). */
export function parseCsvRecords(text: string): CsvRecord[] {
  return [...csvRecords(text)];
}

function headerKey(cell: string): string {
  return foldWidth(cell)
    .replace(/^\ufeff/, '')
    .toLowerCase()
    .replace(/[\s_\-・]/g, '');
}

function columnOf(cell: string): AffectedListColumn | null {
  const key = headerKey(cell);
  for (const column of ['email', 'phone', 'order'] as const) {
    if (AFFECTED_LIST_HEADERS[column].includes(key)) return column;
  }
  return null;
}

type RowCheck = { ok: true; row: AffectedListRow } | { ok: false; issue: AffectedListRowIssue };

function checkRow(line: number, values: Map<AffectedListColumn, string>): RowCheck {
  const email = values.get('email') ?? '';
  const phone = values.get('phone') ?? '';
  const order = values.get('order') ?? '';
  if (email === '' && phone === '' && order === '') return { ok: false, issue: 'empty_row' };
  let emailValue: string | null = null;
  if (email !== '') {
    const folded = foldWidth(email);
    if (folded.length > EMAIL_MAX || !isEmail(folded)) return { ok: false, issue: 'invalid_email' };
    emailValue = folded;
  }
  const phoneE164 = phone === '' || phone.length > PHONE_MAX ? null : normalisePhoneE164(phone);
  if (phone !== '' && phoneE164 === null) return { ok: false, issue: 'invalid_phone' };
  if (
    order !== '' &&
    (order.length > ORDER_NUMBER_MAX ||
      CONTROL_CHARS.test(order) ||
      normaliseOrderNumber(order) === '')
  ) {
    return { ok: false, issue: 'invalid_order_number' };
  }
  return {
    ok: true,
    row: { line, email: emailValue, phone: phoneE164, order: order || null },
  };
}

/**
 * Reads an affected-customer list: the first non-empty record is the header (Japanese or
 * English names, see {@link AFFECTED_LIST_HEADERS}; other columns are ignored and never
 * kept); each data row is accepted whole or rejected whole with its line number.
 */
export function parseAffectedList(
  bytes: Uint8Array,
  maxRows = AFFECTED_LIST_MAX_ROWS,
): ParsedAffectedList {
  const { text, encoding } = decodeAffectedList(bytes);
  const records = csvRecords(text);
  // Read by hand up to the header: a `break` out of for…of would close the generator.
  let header: CsvRecord | null = null;
  for (let next = records.next(); !next.done; next = records.next()) {
    if (next.value.cells.some((cell) => cell.trim() !== '')) {
      header = next.value;
      break;
    }
  }
  if (header === null) throw new AffectedListFileError('empty_file');
  const columnAt = new Map<AffectedListColumn, number>();
  header.cells.forEach((cell, index) => {
    const column = columnOf(cell);
    if (column === null) return;
    if (columnAt.has(column)) throw new AffectedListFileError('duplicate_column', { column });
    columnAt.set(column, index);
  });
  if (columnAt.size === 0 || header.unterminated || header.oversized) {
    throw new AffectedListFileError('no_known_column');
  }
  const rows: AffectedListRow[] = [];
  const rejections: AffectedListRejection[] = [];
  let rowsRead = 0;
  // Rows are checked as they are read: the row cap stops the reading at the first row over it.
  for (const record of records) {
    rowsRead++;
    if (rowsRead > maxRows) throw new AffectedListFileError('too_many_rows');
    if (record.unterminated) {
      rejections.push({ line: record.line, issue: 'unterminated_quote' });
      continue;
    }
    const blank = record.cells.every((cell) => cell.trim() === '');
    if (!blank && record.cells.length !== header.cells.length) {
      rejections.push({ line: record.line, issue: 'column_count' });
      continue;
    }
    if (record.oversized) {
      rejections.push({ line: record.line, issue: 'cell_too_long' });
      continue;
    }
    const values = new Map<AffectedListColumn, string>();
    for (const [column, index] of columnAt) values.set(column, (record.cells[index] ?? '').trim());
    const checked = checkRow(record.line, values);
    if (checked.ok) rows.push(checked.row);
    else rejections.push({ line: record.line, issue: checked.issue });
  }
  if (rowsRead === 0) throw new AffectedListFileError('no_rows');
  const columns = (['email', 'phone', 'order'] as const).filter((c) => columnAt.has(c));
  return { encoding, columns, rowsRead, rows, rejections };
}
