import { BlindIndex } from '@madoguchi/crypto';
import {
  AffectedListFileError,
  type AffectedListColumn,
  type AffectedListEncoding,
  type AffectedListFileErrorCode,
  type AffectedListRejection,
  parseAffectedList,
} from './affected-list-csv.util';

/** The kinds of value as one byte each in the packed buffer (the position is the code). */
const KIND_CODES: readonly AffectedListColumn[] = ['email', 'phone', 'order'];
/** Bytes of one HMAC-SHA256 blind index (64 hex characters as stored). */
const INDEX_BYTES = 32;
/** One packed value: kind code (1 byte), row ordinal (4, little-endian), blind index (32). */
export const AFFECTED_LIST_PACKED_VALUE_BYTES = 1 + 4 + INDEX_BYTES;

/**
 * What the worker hands back: counts, rejections and indexes, never a value from the file. The
 * indexes come as one packed buffer, transferred, not copied: a 5 MB list holds some 300,000
 * of them, and as many small objects would take the receiving event loop hundreds of
 * milliseconds to deserialise (and its garbage collector as long again).
 */
export interface IndexedAffectedList {
  encoding: AffectedListEncoding;
  columns: AffectedListColumn[];
  rowsRead: number;
  rejections: AffectedListRejection[];
  /** Rows accepted (read minus rejected). */
  rowCount: number;
  /**
   * The distinct values of the file, each once, at its first occurrence, in file order:
   * {@link AFFECTED_LIST_PACKED_VALUE_BYTES} bytes each. A value seen again later in the file is
   * not repeated; a row none of whose values are here repeats earlier rows only.
   */
  values: ArrayBuffer;
  valueCount: number;
}

/** One packed value, read back (the index as the lower-case hex the tables keep). */
export interface AffectedListIndexedValue {
  kind: AffectedListColumn;
  /** Ordinal of the accepted row it came from (0-based, non-decreasing along the buffer). */
  row: number;
  index: string;
}

/** A refusal of the whole file, as it crosses from the worker (an Error loses its fields there). */
export interface AffectedListWorkerRefusal {
  refused: AffectedListFileErrorCode;
  detail: AffectedListFileError['detail'];
}

/**
 * Reads, checks and hashes a list: the CPU-heavy part of an upload (decoding, CSV, email and
 * phone checks, one HMAC per value, the file's own duplicates), run in a worker thread
 * (affected-list-worker.runner.ts).
 */
export function indexAffectedList(
  bytes: Uint8Array,
  blindIndex: BlindIndex,
  maxRows?: number,
): IndexedAffectedList {
  const parsed = parseAffectedList(bytes, maxRows);
  const values = Buffer.alloc(parsed.rows.length * 3 * AFFECTED_LIST_PACKED_VALUE_BYTES);
  const seen = new Set<string>();
  let valueCount = 0;
  const put = (kind: AffectedListColumn, row: number, index: string): void => {
    if (seen.has(index)) return;
    seen.add(index);
    const offset = valueCount * AFFECTED_LIST_PACKED_VALUE_BYTES;
    values.writeUInt8(KIND_CODES.indexOf(kind), offset);
    values.writeUInt32LE(row, offset + 1);
    if (values.write(index, offset + 5, INDEX_BYTES, 'hex') !== INDEX_BYTES) {
      throw new Error('blind index is not 32 bytes of hex');
    }
    valueCount++;
  };
  parsed.rows.forEach((row, ordinal) => {
    if (row.email !== null) put('email', ordinal, blindIndex.email(row.email));
    // The row's phone is already E.164 (normalised while checking it): the index of BlindIndex.phone().
    if (row.phone !== null) put('phone', ordinal, blindIndex.of('phone', row.phone));
    if (row.order !== null) put('order', ordinal, blindIndex.orderNumber(row.order));
  });
  // A fresh ArrayBuffer of the exact size (Buffer.alloc may share a pooled one): transferable.
  const packed = new ArrayBuffer(valueCount * AFFECTED_LIST_PACKED_VALUE_BYTES);
  values.copy(new Uint8Array(packed), 0, 0, packed.byteLength);
  return {
    encoding: parsed.encoding,
    columns: parsed.columns,
    rowsRead: parsed.rowsRead,
    rejections: parsed.rejections,
    rowCount: parsed.rows.length,
    values: packed,
    valueCount,
  };
}

/** The value at `position` of a packed buffer ({@link IndexedAffectedList.values}). */
export function affectedListValueAt(values: Buffer, position: number): AffectedListIndexedValue {
  const offset = position * AFFECTED_LIST_PACKED_VALUE_BYTES;
  const kind = KIND_CODES[values.readUInt8(offset)];
  if (kind === undefined) throw new Error('packed affected-list value of unknown kind');
  return {
    kind,
    row: values.readUInt32LE(offset + 1),
    index: values.toString('hex', offset + 5, offset + AFFECTED_LIST_PACKED_VALUE_BYTES),
  };
}
