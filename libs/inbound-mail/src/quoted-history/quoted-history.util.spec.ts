import { isForwardSubject, stripQuotedHistory } from './quoted-history.util';

const REPLY = 'ご連絡ありがとうございます。\n注文番号は ORD-1234 です。';

/** [format, the whole body as the client sends it]: each must come back as REPLY. */
const FORMATS: [string, string][] = [
  [
    'Gmail (English)',
    `${REPLY}\n\nOn Fri, Dec 4, 2026 at 10:00 AM 窓口 <reply+abc@inbound.test> wrote:\n> 前回のご案内です。\n> 以上`,
  ],
  [
    'Gmail (English), the attribution wrapped onto two lines',
    `${REPLY}\n\nOn Fri, Dec 4, 2026 at 10:00 AM テストショップ 窓口 <\nreply+abc@inbound.test> wrote:\n\n> 前回のご案内です。`,
  ],
  [
    'Gmail (Japanese)',
    `${REPLY}\n\n2026年12月4日(金) 10:00 テストショップ 窓口 <reply+abc@inbound.test>:\n\n> 前回のご案内です。\n>`,
  ],
  [
    'Gmail (Japanese), wrapped',
    `${REPLY}\n\n2026年12月4日(金) 10:00 テストショップ 窓口 <\nreply+abc@inbound.test>:\n> 前回のご案内です。`,
  ],
  [
    'iPhone Mail (Japanese)',
    `${REPLY}\n\n2026/12/04 10:00、テストショップ 窓口 <reply+abc@inbound.test>のメール:\n\n> 前回のご案内です。`,
  ],
  [
    'Outlook (English)',
    `${REPLY}\n\n-----Original Message-----\nFrom: テストショップ <noreply@madoguchi.test>\nSent: Friday, December 4, 2026 10:00 AM\nTo: taro@example.jp\nSubject: お問い合わせを受け付けました\n\n前回のご案内です。`,
  ],
  [
    'Outlook (Japanese), full-width separator',
    `${REPLY}\n\n－－－－－Original Message－－－－－\n差出人: テストショップ <noreply@madoguchi.test>\n送信日時: 2026年12月4日 10:00\n宛先: taro@example.jp\n件名: お問い合わせを受け付けました\n\n前回のご案内です。`,
  ],
  [
    'Outlook (Japanese), header block under a rule',
    `${REPLY}\n\n________________________________\n差出人: テストショップ <noreply@madoguchi.test>\n送信日時: 2026年12月4日 10:00\n宛先: taro@example.jp\n件名: お問い合わせを受け付けました\n\n前回のご案内です。`,
  ],
  [
    'Outlook (English), header block without a rule',
    `${REPLY}\n\nFrom: Test Shop <noreply@madoguchi.test>\nDate: Fri, 4 Dec 2026 10:00\nTo: taro@example.jp\nSubject: Re: inquiry\n\n前回のご案内です。`,
  ],
  ['docomo mail', `${REPLY}\n\n-----Original Message-----\n前回のご案内です。`],
  ['au mail', `${REPLY}\n\n--- 元のメッセージ ---\n前回のご案内です。`],
  [
    'SoftBank mail',
    `${REPLY}\n\n----- Original Message -----\nFrom: noreply@madoguchi.test\n前回のご案内です。`,
  ],
  [
    'Thunderbird (Japanese)',
    `${REPLY}\n\nテストショップ 窓口 さんは書きました:\n> 前回のご案内です。`,
  ],
  ['`>` lines only', `${REPLY}\n> 前回のご案内です。\n> 以上`],
  ['full-width `＞` lines', `${REPLY}\n＞ 前回のご案内です。`],
  ['a signature after "-- "', `${REPLY}\n\n-- \n山田 太郎\ntaro@example.jp`],
  [
    'a reply below the quote (bottom-posting)',
    `On Fri, Dec 4, 2026 at 10:00 AM 窓口 <reply+abc@inbound.test> wrote:\n> 前回のご案内です。\n\n${REPLY}\n\n-- \n山田`,
  ],
  ['CRLF line ends', `${REPLY}\r\n\r\n> 前回のご案内です。`.replace(/\n/g, '\r\n')],
];

describe('stripQuotedHistory', () => {
  it.each(FORMATS)('should keep only the reply of %s', (_format, body) => {
    expect(stripQuotedHistory(body)).toBe(REPLY);
  });

  it('should keep the whole body when stripping would leave nothing', () => {
    const onlyQuote = '> 前回のご案内です。\n> 以上';
    expect(stripQuotedHistory(onlyQuote)).toBe(onlyQuote);
  });

  it('should keep a body without history as it is (blank lines around it trimmed)', () => {
    expect(stripQuotedHistory(`\n\n${REPLY}\n\n`)).toBe(REPLY);
  });

  it.each([
    [
      'a sentence starting with a date and ending with a colon',
      '2026年12月4日に届いたメールの内容は次のとおりです:\n本文',
    ],
    ['a line ending in のメール:', '先ほどのメール:\n本文'],
    ['a dashed line of their own', '以下の通りです。\n--------\n本文'],
  ])('should not cut at %s', (_case, body) => {
    expect(stripQuotedHistory(body)).toBe(body);
  });
});

describe('isForwardSubject', () => {
  it.each([
    ['Fwd: 不審なメール', true],
    ['FW: お支払いのお願い', true],
    ['転送: カード情報の確認', true],
    ['［ＳＰＡＭ］ Fwd: x', true],
    ['Re: 【K7QM-3XHD】', false],
    ['転送されたメールについて', false],
  ])('%s → %s', (subject, expected) => {
    expect(isForwardSubject(subject)).toBe(expected);
  });
});

describe('stripQuotedHistory on hostile input', () => {
  it('should take linear time on a line with a long run of spaces (no regex backtracking)', () => {
    // A mail's body may be megabytes; /\s+$/ on `x<spaces>y` took minutes at this size.
    const body = `お世話になっております。\n${' '.repeat(300_000)}x\n\n> 引用`;
    const started = Date.now();
    const own = stripQuotedHistory(body);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(own.startsWith('お世話になっております。')).toBe(true);
    expect(own.endsWith('x')).toBe(true);
  });
});
