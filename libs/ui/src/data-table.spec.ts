import { dataTable } from './data-table';
import { html } from './html.util';

interface Item {
  name: string;
  state: string;
}

const columns = [
  { header: '名前', cell: (item: Item) => item.name },
  {
    header: '状態',
    cell: (item: Item) => html`<strong>${item.state}</strong>`,
    className: 'state',
  },
];

describe('dataTable', () => {
  it('should render caption, column headers and a row header per row, escaping cells', () => {
    const out = dataTable({
      caption: '一覧',
      columns,
      rows: [{ name: '<b>', state: 'ok' }],
      tableClass: 'item-table',
      rowAttributes: (item) => ({ class: 'row', 'data-name': item.name }),
    }).toString();
    expect(out).toMatch(/^<div class="table-wrap">\s*<table class="item-table">/);
    expect(out).toMatch(/<caption class="visually-hidden">\s*一覧\s*<\/caption>/);
    expect(out).toContain('<th scope="col">名前</th>');
    expect(out).toContain('<th scope="col">状態</th>');
    expect(out).toContain('<tr class="row" data-name="&lt;b&gt;">');
    expect(out).toContain('<th scope="row">&lt;b&gt;</th>');
    expect(out).toContain('<td class="state"><strong>ok</strong></td>');
  });

  it('should leave the table without a class and use plain cells when asked', () => {
    const out = dataTable({
      caption: 'x',
      columns,
      rows: [{ name: 'a', state: 'b' }],
      rowHeader: false,
    }).toString();
    expect(out).toContain('<table>');
    expect(out).toContain('<td>a</td>');
    expect(out).not.toContain('scope="row"');
  });

  it('should render an empty body for no rows', () => {
    const out = dataTable({ caption: 'x', columns, rows: [] }).toString();
    expect(out).toMatch(/<tbody>\s*<\/tbody>/);
  });

  it('should make a marked column the row header', () => {
    const out = dataTable({
      caption: 'x',
      columns: [
        { header: 'コード', cell: (item: Item) => item.state },
        { header: '名前', cell: (item: Item) => item.name, rowHeader: true },
      ],
      rows: [{ name: 'a', state: 'b' }],
    }).toString();
    expect(out).toContain('<td>b</td><th scope="row">a</th>');
  });

  it('should show the empty text instead of the table when given and there are no rows', () => {
    expect(dataTable({ caption: 'x', columns, rows: [], empty: 'なし' }).toString()).toBe(
      '<p class="empty card">なし</p>',
    );
  });

  it('should show the caption when asked and leave it out when there is none', () => {
    const rows = [{ name: 'a', state: 'b' }];
    expect(dataTable({ caption: '一覧', captionVisible: true, columns, rows }).toString()).toMatch(
      /<caption>\s*一覧\s*<\/caption>/,
    );
    expect(dataTable({ columns, rows }).toString()).not.toContain('<caption');
  });

  it('should give the table an id and further attributes, in an unframed scrolling box when asked', () => {
    const out = dataTable({
      caption: 'x',
      columns,
      rows: [{ name: 'a', state: 'b' }],
      id: 'item-table',
      tableClass: 'table',
      tableAttributes: { 'data-history': true },
      scrollWrapper: false,
    }).toString();
    expect(out).toMatch(
      /^<div class="table-wrap table-wrap--plain">\s*<table class="table" id="item-table" data-history>/,
    );
  });

  it('should put a class on a column header and attributes on its cells', () => {
    const out = dataTable({
      caption: 'x',
      columns: [
        {
          header: '名前',
          cell: (item: Item) => item.name,
          cellAttributes: (item: Item) => ({ 'data-name': item.name }),
        },
        {
          header: '件数',
          headerClass: 'num',
          className: 'num',
          cell: (item: Item) => item.state,
          cellAttributes: (item: Item) =>
            item.state === '' ? { class: 'muted' } : { 'data-col': 'state' },
        },
      ],
      rows: [
        { name: 'a', state: '3' },
        { name: 'b', state: '' },
      ],
    }).toString();
    expect(out).toContain('<th scope="col">名前</th><th scope="col" class="num">件数</th>');
    expect(out).toContain(
      '<th scope="row" data-name="a">a</th><td class="num" data-col="state">3</td>',
    );
    expect(out).toContain('<th scope="row" data-name="b">b</th><td class="muted"></td>');
  });

  it('should leave out the header row when asked', () => {
    const out = dataTable({
      caption: 'x',
      columns,
      rows: [{ name: 'a', state: 'b' }],
      headerRow: false,
    }).toString();
    expect(out).not.toContain('<thead>');
    expect(out).not.toContain('scope="col"');
    expect(out).toContain('<th scope="row">a</th>');
  });
});
