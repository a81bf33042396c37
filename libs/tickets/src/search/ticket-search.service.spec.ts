import { searchKindsOf } from './ticket-search.service';

describe('searchKindsOf', () => {
  it('should read a reference in any typed form', () => {
    expect(searchKindsOf('k7qm3xhd')).toContain('reference');
    expect(searchKindsOf('Ｋ７ＱＭ－３ＸＨＤ')).toContain('reference');
  });

  it('should read an address as an email only', () => {
    expect(searchKindsOf('Taro@Example.jp')).toEqual(['email']);
  });

  it.each(['090-1234-5678', '０９０１２３４５６７８', '+81 90 1234 5678', '03-6744-7492'])(
    'should read %s as a phone (or an order number)',
    (query) => {
      expect(searchKindsOf(query)).toEqual(['phone', 'order_number']);
    },
  );

  it('should read other text as an order number', () => {
    expect(searchKindsOf('ORD-2024-000123')).toEqual(['order_number']);
  });
});
