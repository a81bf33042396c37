import { replyTokenOf } from './reply-address.service';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';

describe('replyTokenOf', () => {
  it.each([
    [`reply+${TOKEN}@inbound.madoguchi.test`],
    [`REPLY+${TOKEN.toUpperCase()}@INBOUND.MADOGUCHI.TEST`],
    [`<reply+${TOKEN}@inbound.madoguchi.test>`],
    [`reply+${TOKEN}`],
    [`  reply+${TOKEN}@relay.example  `],
  ])('should read the token of %j', (address) => {
    expect(replyTokenOf(address)).toBe(TOKEN);
  });

  it.each([
    ['shop-abc@inbound.madoguchi.test'],
    [`${TOKEN}@inbound.madoguchi.test`],
    [`reply+${TOKEN.slice(1)}@inbound.madoguchi.test`],
    [`reply+${TOKEN}0@inbound.madoguchi.test`],
    [`reply+${TOKEN.replace('0', 'g')}@inbound.madoguchi.test`],
    [`reply+../${TOKEN}@inbound.madoguchi.test`],
    [''],
  ])('should refuse %j', (address) => {
    expect(replyTokenOf(address)).toBeNull();
  });
});
