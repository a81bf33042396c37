import { attributes, type AttributeValue } from './components';
import { html, type HtmlValue, SafeHtml } from './html.util';

export interface DataColumn<T> {
  /** The column header (`<th scope="col">`). */
  header: HtmlValue;
  /** The cell's content for one row. */
  cell: (row: T) => HtmlValue;
  /** A class on the cell, e.g. `sla-cell`. */
  className?: string;
  /** This column names the row (`<th scope="row">`); by default the first column does. */
  rowHeader?: boolean;
}

export interface DataTableOptions<T> {
  /** Read out by screen readers; not shown. */
  caption: string;
  columns: readonly DataColumn<T>[];
  rows: readonly T[];
  /** The table's class (e.g. `ticket-table`); none when absent. */
  tableClass?: string;
  /** Attributes of each row's `<tr>` (class, data-*). */
  rowAttributes?: (row: T) => Readonly<Record<string, AttributeValue>>;
  /** False: no column is the row's header (all cells `<td>`). */
  rowHeader?: boolean;
  /** Shown instead of the table when there are no rows (`<p class="empty card">`). */
  empty?: HtmlValue;
}

function cellOf<T>(column: DataColumn<T>, row: T, isRowHeader: boolean): SafeHtml {
  const content = column.cell(row);
  if (isRowHeader) {
    return html`<th${attributes({ scope: 'row', class: column.className })}>${content}</th>`;
  }
  return html`<td${attributes({ class: column.className })}>${content}</td>`;
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

/**
 * A list table in a scrolling wrapper: a hidden caption, column headers and one row per item,
 * one cell the row's header (the first unless a column is marked). The desk's lists use it.
 */
export function dataTable<T>(options: DataTableOptions<T>): SafeHtml {
  if (options.rows.length === 0 && options.empty !== undefined) {
    return html`<p class="empty card">${options.empty}</p>`;
  }
  const headerIndex = rowHeaderIndex(options);
  return html`<div class="table-wrap">
    <table${attributes({ class: options.tableClass })}>
      <caption class="visually-hidden">
        ${options.caption}
      </caption>
      <thead>
        <tr>
          ${options.columns.map((column) => html`<th scope="col">${column.header}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${options.rows.map((row) => rowOf(options, row, headerIndex))}
      </tbody>
    </table>
  </div>`;
}
