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
  /** False: no scrolling `<div class="table-wrap">` around the table (a narrow table). */
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

function headerRowOf<T>(options: DataTableOptions<T>): SafeHtml {
  if (options.headerRow === false) return html``;
  return html`<thead>
    <tr>
      ${options.columns.map(
        (column) =>
          html`<th${attributes({ scope: 'col', class: column.headerClass })}>${column.header}</th>`,
      )}
    </tr>
  </thead>`;
}

/**
 * A list table, by default in a scrolling wrapper: a hidden caption, column headers and one row
 * per item, one cell the row's header (the first unless a column is marked). The desk's lists
 * and figure tables use it; the options cover the few that differ (visible caption, no wrapper,
 * no header row, ids and data-* markers that pages, scripts and tests look for).
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
  if (options.scrollWrapper === false) return table;
  return html`<div class="table-wrap">${table}</div>`;
}
