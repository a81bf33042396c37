import { filterForm } from './filter-form';
import { selectField } from './components';

describe('filterForm', () => {
  it('should GET to the list with a hidden heading, the fields, apply and reset', () => {
    const out = filterForm({
      action: '/queues/3?x="y"',
      heading: '絞り込み',
      fields: [
        selectField({ name: 'status', label: '状態', options: [{ value: '', label: 'すべて' }] }),
      ],
      applyLabel: '適用',
      resetLabel: 'リセット',
    }).toString();
    expect(out).toMatch(
      /<form\s+class="filters"\s+method="get"\s+action="\/queues\/3\?x=&quot;y&quot;"\s+aria-labelledby="filters-heading"\s*>/,
    );
    expect(out).toContain('<h2 class="visually-hidden" id="filters-heading">絞り込み</h2>');
    expect(out).toContain('name="status"');
    expect(out).toContain('<button class="btn" type="submit">適用</button>');
    expect(out).toContain(
      '<a class="btn btn--ghost" href="/queues/3?x=&quot;y&quot;">リセット</a>',
    );
  });

  it('should take another reset link and heading id', () => {
    const out = filterForm({
      action: '/a',
      heading: 'h',
      fields: [],
      applyLabel: 'a',
      resetLabel: 'r',
      resetHref: '/b',
      headingId: 'other',
    }).toString();
    expect(out).toContain('aria-labelledby="other"');
    expect(out).toContain('href="/b"');
  });
});
