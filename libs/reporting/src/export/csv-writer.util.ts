/** A spreadsheet treats a cell starting with one of these as a formula (or DDE) when opened. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell holding one of these must be quoted (RFC 4180). */
const NEEDS_QUOTES = /[",\r\n]/;

/** The byte-order mark that makes Excel (Japanese Windows) read UTF-8 rather than Shift_JIS. */
export const UTF8_BOM = '\uFEFF';

/**
 * One CSV cell: a value a spreadsheet would run as a formula gets a leading apostrophe (OWASP
 * "CSV injection"), then RFC 4180 quoting with doubled quotes.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated (RFC 4180). */
export function csvRecord(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A whole CSV document with a UTF-8 BOM: a header record, then the rows. */
export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  return UTF8_BOM + csvRecord(header) + rows.map(csvRecord).join('');
}
