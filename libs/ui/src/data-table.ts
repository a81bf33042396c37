import { attributes, type AttributeValue } from './components';
import { html, type HtmlValue, SafeHtml } from './html.util';

export interface DataColumn<T> {
  /** The column header (`<th scope="col">`); may be empty (a column of row headers). */
  header: HtmlValue;
  /** The cell's content for one row. */
  cell: (row: T) => HtmlValue;
  /** A class on every cell of the column, e.g. `sla-cell` or `num`. */
  className?: string;
  /** A class on the column's header, e.g. `num` to align it with its cells. */
  headerClass?: string;
  /** Attributes of one row's cell (data-*; a `class` here replaces {@link className}). */
  cellAttributes?: (row: T) => Readonly<Record<string, AttributeValue>>;
  /** This column names the row (`<th scope="row">`); by default the first column does. */
  rowHeader?: boolean;
}

export interface DataTableOptions<T> {
  /**
   * The table's name, read out by screen readers and hidden unless {@link captionVisible}.
   * Omitted only where the heading right above the table already names it.
   */
  caption?: HtmlValue;
  /** Show the caption on the page (default: visually hidden). */
  captionVisible?: boolean;
  columns: readonly DataColumn<T>[];
  rows: readonly T[];
  /** The table's id (pages and tests find it by it). */
  id?: string;
  /** The table's class (e.g. `ticket-table`); none when absent. */
  tableClass?: string;
  /** Further attributes of the `<table>` (data-* markers). */
  tableAttributes?: Readonly<Record<string, AttributeValue>>;
  /**
   * False: the table's scrolling box has no frame of its own (a table inside a card). Either way
   * a table wider than the screen scrolls sideways in its box, never the page (a phone).
   */
  scrollWrapper?: boolean;
  /** False: no header row (a table of labelled values whose row headers say it all). */
  headerRow?: boolean;
  /** Attributes of each row's `<tr>` (class, data-*). */
  rowAttributes?: (row: T) => Readonly<Record<string, AttributeValue>>;
  /** False: no column is the row's header (all cells `<td>`). */
  rowHeader?: boolean;
  /** Shown instead of the table when there are no rows (`<p class="empty card">`). */
  empty?: HtmlValue;
}

function cellOf<T>(column: DataColumn<T>, row: T, isRowHeader: boolean): SafeHtml {
  const content = column.cell(row);
  const attrs = { class: column.className, ...column.cellAttributes?.(row) };
  if (isRowHeader) return html`<th${attributes({ scope: 'row', ...attrs })}>${content}</th>`;
  return html`<td${attributes(attrs)}>${content}</td>`;
}

function rowOf<T>(options: DataTableOptions<T>, row: T, headerIndex: number): SafeHtml {
  const cells = options.columns.map((column, index) => cellOf(column, row, index === headerIndex));
  return html`<tr${attributes(options.rowAttributes?.(row) ?? {})}>
    ${cells}
  </tr>`;
}

/** Which column holds the row's header: the one marked, else the first; -1 for none. */
function rowHeaderIndex<T>(options: DataTableOptions<T>): number {
  if (options.rowHeader === false) return -1;
  const marked = options.columns.findIndex((column) => column.rowHeader);
  return marked >= 0 ? marked : 0;
}

function captionOf<T>(options: DataTableOptions<T>): SafeHtml {
  if (options.caption === undefined) return html``;
  return html`<caption${attributes({ class: options.captionVisible ? undefined : 'visually-hidden' })}>
    ${options.caption}
  </caption>`;
}

function isBlank(value: HtmlValue): boolean {
  return value === null || value === undefined || value === false || String(value).trim() === '';
}

function headerRowOf<T>(options: DataTableOptions<T>): SafeHtml {
  if (options.headerRow === false) return html``;
  return html`<thead>
    <tr>
      ${options.columns.map((column) =>
        // A column without a name (the row headers' own) gets an empty cell, not an empty
        // header a screen reader would announce as nothing (axe empty-table-header).
        isBlank(column.header)
          ? html`<td${attributes({ class: column.headerClass })}></td>`
          : html`<th${attributes({ scope: 'col', class: column.headerClass })}>${column.header}</th>`,
      )}
    </tr>
  </thead>`;
}

/**
 * A list table in a box that scrolls it sideways when it is wider than the screen: a hidden
 * caption, column headers and one row per item, one cell the row's header (the first unless a
 * column is marked). The desk's lists and figure tables use it; the options cover the few that
 * differ (visible caption, unframed box, no header row, ids and data-* markers that pages,
 * scripts and tests look for).
 */
export function dataTable<T>(options: DataTableOptions<T>): SafeHtml {
  if (options.rows.length === 0 && options.empty !== undefined) {
    return html`<p class="empty card">${options.empty}</p>`;
  }
  const headerIndex = rowHeaderIndex(options);
  const tableAttributes = { class: options.tableClass, id: options.id, ...options.tableAttributes };
  const table = html`<table${attributes(tableAttributes)}>
    ${captionOf(options)} ${headerRowOf(options)}
    <tbody>
      ${options.rows.map((row) => rowOf(options, row, headerIndex))}
    </tbody>
  </table>`;
  const wrapClass = options.scrollWrapper === false ? 'table-wrap table-wrap--plain' : 'table-wrap';
  return html`<div class="${wrapClass}">${table}</div>`;
}
