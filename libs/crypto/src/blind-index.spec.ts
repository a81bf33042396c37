import { createHash, randomBytes } from 'node:crypto';
import { BlindIndex } from './blind-index';
import { buildCryptoKeys } from './crypto-keys';

const HEX_64 = /^[0-9a-f]{64}$/;

const indexWith = (blindIndexKey: Buffer): BlindIndex =>
  new BlindIndex(
    buildCryptoKeys(`k1:${randomBytes(32).toString('base64')}`, blindIndexKey.toString('base64')),
  );

describe('BlindIndex', () => {
  const key = randomBytes(32);
  const index = indexWith(key);

  it('should give one index for an email in any case or width', () => {
    const variants = [
      'taro.yamada@example.jp',
      'Taro.Yamada@Example.JP',
      '  TARO.YAMADA@EXAMPLE.JP ',
      'ｔａｒｏ．ｙａｍａｄａ＠ｅｘａｍｐｌｅ．ｊｐ',
    ];

    expect(new Set(variants.map((email) => index.email(email))).size).toBe(1);
  });

  it('should give different indexes for different emails', () => {
    expect(index.email('taro@example.jp')).not.toBe(index.email('hanako@example.jp'));
  });

  it('should give one index for a phone number in any Japanese format', () => {
    const variants = [
      '090-1234-5678',
      '09012345678',
      '０９０－１２３４－５６７８',
      '+81 90 1234 5678',
      '090 1234 5678',
      '090ー1234ー5678',
    ];

    const indexes = variants.map((phone) => index.phone(phone));

    expect(indexes[0]).toMatch(HEX_64);
    expect(new Set(indexes).size).toBe(1);
    expect(index.phone('(03) 6744-7492')).toBe(index.phone('03-6744-7492'));
    expect(index.phone('03-6744-7492')).not.toBe(index.phone('090-1234-5678'));
  });

  it('should return null for a phone number that cannot be normalised', () => {
    for (const phone of ['', 'abc', '090-1234', 'tel:09012345678']) {
      expect(index.phone(phone)).toBeNull();
    }
  });

  it('should give one index for an order number regardless of case, width, spaces and hyphens', () => {
    const variants = ['AB-1001', 'ab1001', 'ＡＢ－１００１', 'ab 1001'];

    expect(new Set(variants.map((order) => index.orderNumber(order))).size).toBe(1);
  });

  it('should give different indexes for the same text under different purposes', () => {
    expect(index.email('1001')).not.toBe(index.orderNumber('1001'));
    expect(index.phone('09012345678')).not.toBe(index.orderNumber('+819012345678'));
    expect(index.of('email', 'x')).not.toBe(index.of('order', 'x'));
    expect(index.of('email', 'x')).not.toBe(index.of('phone', 'x'));
  });

  it('should give different indexes under different keys', () => {
    const other = indexWith(randomBytes(32));

    expect(other.email('taro@example.jp')).not.toBe(index.email('taro@example.jp'));
    expect(other.phone('090-1234-5678')).not.toBe(index.phone('090-1234-5678'));
    expect(other.orderNumber('AB-1001')).not.toBe(index.orderNumber('AB-1001'));
  });

  it('should give the same index under the same key in another instance', () => {
    expect(indexWith(key).email('taro@example.jp')).toBe(index.email('taro@example.jp'));
  });

  it('should output 64 lower-case hex characters', () => {
    expect(index.email('taro@example.jp')).toMatch(HEX_64);
    expect(index.phone('090-1234-5678')).toMatch(HEX_64);
    expect(index.orderNumber('AB-1001')).toMatch(HEX_64);
    expect(index.of('email', '')).toMatch(HEX_64);
  });

  it('should not be a plain hash of the value, which anyone could recompute', () => {
    const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

    expect(index.email('taro@example.jp')).not.toBe(sha256('taro@example.jp'));
    expect(index.email('taro@example.jp')).not.toBe(sha256('email\u0000taro@example.jp'));
  });
});
