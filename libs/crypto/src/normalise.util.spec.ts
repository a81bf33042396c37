import {
  foldWidth,
  normaliseEmail,
  normaliseOrderNumber,
  normalisePhoneE164,
} from './normalise.util';

describe('normalisePhoneE164', () => {
  it.each([
    ['090-1234-5678', '+819012345678'],
    ['09012345678', '+819012345678'],
    ['090 1234 5678', '+819012345678'],
    ['０９０－１２３４－５６７８', '+819012345678'],
    ['０９０１２３４５６７８', '+819012345678'],
    ['090ー1234ー5678', '+819012345678'],
    ['090−1234−5678', '+819012345678'],
    ['+81 90 1234 5678', '+819012345678'],
    ['+81-90-1234-5678', '+819012345678'],
    ['＋８１ ９０ １２３４ ５６７８', '+819012345678'],
    ['  090-1234-5678  ', '+819012345678'],
    ['(03) 6744-7492', '+81367447492'],
    ['（０３）６７４４－７４９２', '+81367447492'],
    ['03(6744)7492', '+81367447492'],
    ['03-6744-7492', '+81367447492'],
    ['0367447492', '+81367447492'],
    ['+81 3 6744 7492', '+81367447492'],
  ])('should normalise %j to %s', (input, expected) => {
    expect(normalisePhoneE164(input)).toBe(expected);
  });

  it('should keep a number that already carries another country code', () => {
    expect(normalisePhoneE164('+1 202 555 0100')).toBe('+12025550100');
  });

  it.each([
    [''],
    ['   '],
    ['abc'],
    ['電話番号'],
    ['090-1234-abcd'],
    ['tel:09012345678'],
    ['090-1234-5678 ext. 12'],
    ['090_1234_5678'],
    ['090/1234/5678'],
    ['+'],
    ['()'],
    ['---'],
    ['0'],
    ['123'],
    ['090-1234'],
    ['03-6744'],
  ])('should return null for %j', (input) => {
    expect(normalisePhoneE164(input)).toBeNull();
  });
});

describe('normaliseEmail', () => {
  it('should fold case and trim', () => {
    expect(normaliseEmail('  Taro.Yamada@Example.JP ')).toBe('taro.yamada@example.jp');
  });

  it('should fold full-width characters to their ASCII forms', () => {
    expect(normaliseEmail('Ｔａｒｏ．Ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ')).toBe(
      'taro.yamada@example.jp',
    );
  });

  it('should give the same result for every width and case of one address', () => {
    const variants = [
      'taro@example.jp',
      'TARO@EXAMPLE.JP',
      'ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ',
      ' Taro@Example.jp',
    ];

    expect(new Set(variants.map(normaliseEmail))).toEqual(new Set(['taro@example.jp']));
  });
});

describe('normaliseOrderNumber', () => {
  it.each([
    ['AB-1001'],
    ['ab-1001'],
    ['AB1001'],
    ['ab 1001'],
    [' A B - 1 0 0 1 '],
    ['ＡＢ－１００１'],
    ['ａｂ１００１'],
    ['AB\t1001'],
    ['AB\u30001001'],
    ['A-B--10-01'],
  ])('should normalise %j to AB1001', (input) => {
    expect(normaliseOrderNumber(input)).toBe('AB1001');
  });

  it('should keep other separators and characters that tell orders apart', () => {
    expect(normaliseOrderNumber('AB/1001')).toBe('AB/1001');
    expect(normaliseOrderNumber('AB1002')).not.toBe(normaliseOrderNumber('AB1001'));
  });
});

describe('foldWidth', () => {
  it('should fold full-width digits and letters and half-width katakana', () => {
    expect(foldWidth('０９０ＡＢＣａｂｃ')).toBe('090ABCabc');
    expect(foldWidth('ﾔﾏﾀﾞ ﾀﾛｳ')).toBe('ヤマダ タロウ');
  });
});
