import { csvDocument } from '@madoguchi/reporting';
import { type IncidentReport, type IncidentReportFigures } from '@madoguchi/incident-response';
import { formatText, formatTokyoDateTime } from '@madoguchi/ui';
import { cellKey, reportParts } from './incident-report.tables';
import { INCIDENT_REPORT_TEXTS as R } from './incident-report.texts';

type Cell = string | number;

/**
 * The report as one CSV in long format (UTF-8 with BOM, CRLF, formula-safe cells):
 * `加盟店コード, 加盟店名, 区分, 項目, キー, 値`, one record per figure. First the report's own
 * lines (merchant columns empty: incident, period, texts, generation time), then, for the
 * operator's all-merchants file, the total (merchant code `*`), then each merchant. The key is
 * the page's `data-key` of the same figure, so a spreadsheet can pivot it and a test can hold
 * the page and the file side by side.
 */
export function incidentReportCsv(report: IncidentReport): string {
  const h = report.header;
  const H = R.header;
  const C = R.csv;
  const rows: Cell[][] = [];
  const meta = (key: string, label: string, value: Cell) =>
    rows.push(['', '', C.report, label, `report.${key}`, value]);
  meta('incident', H.incident, h.title);
  meta('period', H.period, formatText(H.periodValue, { from: h.period.from, to: h.period.to }));
  meta('period_from', H.period, h.period.from);
  meta('period_to', H.period, h.period.to);
  meta('description', H.description, h.description);
  meta('leaked_items', H.leakedItems, h.leakedItems);
  meta(
    'occurred',
    H.occurred,
    h.occurredFrom || h.occurredTo
      ? `${h.occurredFrom ? formatTokyoDateTime(h.occurredFrom) : ''} 〜 ${h.occurredTo ? formatTokyoDateTime(h.occurredTo) : ''}`
      : '',
  );
  meta('recorded_at', H.recordedAt, formatTokyoDateTime(h.recordedAt));
  meta('generated_at', H.generatedAt, formatTokyoDateTime(h.generatedAt));
  if (report.total) figures(rows, '*', C.all, null, report.total);
  for (const section of report.sections) {
    figures(rows, section.merchantCode, section.merchantName, section.noticeDate, section);
  }
  return csvDocument([C.merchantCode, C.merchantName, C.section, C.item, C.key, C.value], rows);
}

function figures(
  rows: Cell[][],
  code: string,
  name: string,
  noticeDate: string | null | undefined,
  f: IncidentReportFigures,
): void {
  if (code !== '*') {
    rows.push([
      code,
      name,
      R.csv.report,
      R.header.noticeDate,
      'report.notice_date',
      noticeDate ?? '',
    ]);
  }
  for (const part of reportParts(f)) {
    if (part.message) rows.push([code, name, part.heading, part.message, `${part.id}.message`, '']);
    for (const table of part.tables) {
      const single = table.columns.length === 1 && table.columns[0].key === '';
      for (const row of table.rows) {
        table.columns.forEach((column, index) => {
          const item = single
            ? `${table.caption}: ${row.label}`
            : `${table.caption}: ${row.label} / ${column.label}`;
          rows.push([
            code,
            name,
            part.heading,
            item,
            cellKey(table, row, column),
            row.cells[index],
          ]);
        });
      }
    }
  }
}
