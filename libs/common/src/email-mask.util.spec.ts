import { isMaskedEmailAddress, maskEmailAddress } from './email-mask.util';

describe('maskEmailAddress', () => {
  it('should keep the first character of the local part and of the domain, and the suffix', () => {
    expect(maskEmailAddress('taro@example.jp')).toBe('t***@e***.jp');
    expect(maskEmailAddress('hanako.yamada@example.com')).toBe('h***@e***.com');
  });

  it('should keep a second-level suffix such as co.jp whole', () => {
    expect(maskEmailAddress('taro@example.co.jp')).toBe('t***@e***.co.jp');
    expect(maskEmailAddress('taro@example.NE.jp')).toBe('t***@e***.NE.jp');
  });

  it('should fold subdomains into one masked name, so their number is not told', () => {
    expect(maskEmailAddress('taro@mail.example.co.jp')).toBe('t***@m***.co.jp');
    expect(maskEmailAddress('taro@a.b.c.example.jp')).toBe('t***@a***.jp');
  });

  it('should hide a one-character local part entirely and say nothing of any length', () => {
    expect(maskEmailAddress('t@example.jp')).toBe('***@e***.jp');
    expect(maskEmailAddress('ta@example.jp')).toBe('t***@e***.jp');
    expect(maskEmailAddress('a-very-long-local-part@example.jp')).toBe('a***@e***.jp');
  });

  it('should count characters as the reader sees them (non-ASCII, surrogate pairs, accents)', () => {
    expect(maskEmailAddress('山田太郎@例え.jp')).toBe('山***@例***.jp');
    expect(maskEmailAddress('𠮷野@example.jp')).toBe('𠮷***@e***.jp');
    // e + combining acute accent is one character on screen: it is not split.
    expect(maskEmailAddress('e\u0301mile@example.fr')).toBe('e\u0301***@e***.fr');
    expect(maskEmailAddress('𠮷@example.jp')).toBe('***@e***.jp');
  });

  it('should mask a domain without a dot and trim surrounding spaces', () => {
    expect(maskEmailAddress('root@localhost')).toBe('r***@l***');
    expect(maskEmailAddress('  taro@example.jp ')).toBe('t***@e***.jp');
  });

  it('should split at the last @ (a quoted local part may hold one)', () => {
    expect(maskEmailAddress('"a@b"@example.jp')).toBe('"***@e***.jp');
  });

  it('should answer null for text that is not an address', () => {
    for (const text of [
      '',
      'taro',
      '@example.jp',
      'taro@',
      'taro@example..jp',
      'ta ro@example.jp',
    ]) {
      expect(maskEmailAddress(text)).toBeNull();
    }
  });
});

describe('isMaskedEmailAddress', () => {
  it('should accept what maskEmailAddress gives', () => {
    for (const address of [
      'taro@example.jp',
      't@example.jp',
      'taro@mail.example.co.jp',
      '山田@例え.jp',
      '𠮷野@example.jp',
      'e\u0301mile@example.fr',
      'root@localhost',
    ]) {
      expect(isMaskedEmailAddress(maskEmailAddress(address) as string)).toBe(true);
    }
  });

  it('should refuse an unmasked address or other text', () => {
    for (const text of [
      'taro@example.jp',
      't***@example.jp',
      '今すぐお電話ください***@e***.jp',
      'お電話を***@e***.jp',
      't***@e***.jp <a href=x>',
      't***@e***.a.b.c',
      `t***@e***.${'j'.repeat(90)}`,
    ]) {
      expect(isMaskedEmailAddress(text)).toBe(false);
    }
  });
});
