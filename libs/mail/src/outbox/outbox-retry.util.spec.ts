import { describeDeliveryError, maskAddress, outboxRetryDelayMs } from './outbox-retry.util';

describe('outboxRetryDelayMs', () => {
  it('should double from 30 s and stop at 1 h without jitter', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 7, 8, 11].map((attempts) => outboxRetryDelayMs(attempts, middle))).toEqual([
      30_000, 60_000, 120_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });

  it('should stay within ±20 % of the base delay', () => {
    expect(outboxRetryDelayMs(1, () => 0)).toBe(24_000);
    expect(outboxRetryDelayMs(1, () => 1)).toBe(36_000);
    expect(outboxRetryDelayMs(12, () => 1)).toBe(4_320_000);
  });
});

describe('describeDeliveryError', () => {
  it('should strip addresses and line breaks from an SMTP reply', () => {
    const error = Object.assign(
      new Error('Message failed: 451 4.3.0 <taro.yamada@example.co.jp>:\r\n try later'),
      {
        code: 'EMESSAGE',
        command: 'DATA',
      },
    );
    expect(describeDeliveryError(error)).toBe(
      'EMESSAGE DATA: Message failed: 451 4.3.0 <[address]>: try later',
    );
  });

  it('should cut a long message to 500 characters', () => {
    expect(describeDeliveryError(new Error('x'.repeat(2000)))).toHaveLength(500);
  });
});

describe('maskAddress', () => {
  it('should keep the first letter and the domain only', () => {
    expect(maskAddress('taro@example.com')).toBe('t***@example.com');
    expect(maskAddress('not-an-address')).toBe('***');
  });
});
