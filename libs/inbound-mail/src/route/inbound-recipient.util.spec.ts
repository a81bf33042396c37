import {
  recipientCandidates,
  recipientsInOrder,
  referencesInSubject,
} from './inbound-recipient.util';

describe('recipientsInOrder', () => {
  it('should put the envelope first, lower-case, without duplicates or non-addresses', () => {
    expect(
      recipientsInOrder(
        ['<Reply+ABC@Inbound.test>', 'shop-a@inbound.test'],
        ['shop-a@inbound.test', 'not an address', 'x@y.jp'],
      ),
    ).toEqual(['reply+abc@inbound.test', 'shop-a@inbound.test', 'x@y.jp']);
  });

  it('should read no more than 50 recipients of thousands', () => {
    const many = Array.from({ length: 5000 }, (_, index) => `u${index}@example.jp`);
    expect(recipientsInOrder([], many)).toHaveLength(50);
  });
});

describe('recipientCandidates', () => {
  it('should tell reply addresses, slugs at the inbound domain and alias candidates apart', () => {
    expect(
      recipientCandidates(
        ['reply+abc@inbound.test', 'shop-a@inbound.test', 'support@shop.example.jp'],
        'Inbound.test',
      ),
    ).toEqual({
      replyAddresses: ['reply+abc@inbound.test'],
      slugs: ['shop-a'],
      aliases: ['shop-a@inbound.test', 'shop-a', 'support@shop.example.jp'],
    });
  });

  it('should not take a local part at another domain for a slug', () => {
    expect(recipientCandidates(['shop-a@elsewhere.jp'], 'inbound.test').slugs).toEqual([]);
  });
});

describe('referencesInSubject', () => {
  it.each([
    ['Re: 【テストショップ】お問い合わせを受け付けました（受付番号 K7QM-3XHD）', ['K7QM-3XHD']],
    ['re: k7qm-3xhd', ['K7QM-3XHD']],
    ['Re: 受付番号 Ｋ７ＱＭ－３ＸＨＤ', ['K7QM-3XHD']],
    ['ORD-20260401-7781 の件', []],
    ['AB12-CDEF5 not a reference', []],
    ['K0QM-3XHD has an O-like zero', []],
    ['', []],
  ])('%s → %j', (subject, expected) => {
    expect(referencesInSubject(subject)).toEqual(expected);
  });
});
