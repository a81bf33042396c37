import { parseCallerId } from './caller-id.util';

describe('parseCallerId', () => {
  it.each([
    ['anonymous'],
    ['Anonymous'],
    ['unknown'],
    ['restricted'],
    ['private'],
    ['blocked'],
    ['unavailable'],
    ['+266696687'],
    ['266696687'],
    ['+7378742833'],
    ['+8656696'],
    ['+2562533'],
    [''],
    ['   '],
    [undefined],
    [null],
    ['client:agent-12'],
    ['sip:someone@example.jp'],
    ['+1'],
  ])('should treat %p as a withheld caller ID, never as a number', (from) => {
    expect(parseCallerId(from)).toEqual({ withheld: true });
  });

  it.each([
    ['+819012345678', '+819012345678'],
    ['+81367447492', '+81367447492'],
    ['090-1234-5678', '+819012345678'],
    ['+14155550123', '+14155550123'],
  ])('should read %p as the number %p', (from, e164) => {
    expect(parseCallerId(from)).toEqual({ withheld: false, e164 });
  });
});
