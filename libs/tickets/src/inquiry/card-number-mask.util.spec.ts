import { maskCardNumbers, passesLuhn } from './card-number-mask.util';

describe('maskCardNumbers', () => {
  it('should mask a 16-digit card number passing Luhn and keep the last four digits', () => {
    expect(maskCardNumbers('カード 4111111111111111 で払いました')).toEqual({
      text: 'カード ************1111 で払いました',
      masked: 1,
    });
  });

  it('should mask numbers grouped by spaces or hyphens', () => {
    expect(maskCardNumbers('4111 1111 1111 1111').text).toBe('**** **** **** 1111');
    expect(maskCardNumbers('5500-0000-0000-0004').text).toBe('****-****-****-0004');
  });

  it('should mask full-width digits', () => {
    expect(maskCardNumbers('４１１１１１１１１１１１１１１１').text).toBe('************１１１１');
  });

  it('should mask 13- and 19-digit numbers', () => {
    expect(maskCardNumbers('4222222222222').text).toBe('*********2222');
    expect(maskCardNumbers('6011000990139424').masked).toBe(1);
  });

  it('should leave numbers failing Luhn, too short or too long untouched', () => {
    for (const text of [
      '4111111111111112',
      '411111111111',
      '41111111111111111111',
      '09012345678',
    ]) {
      expect(maskCardNumbers(text)).toEqual({ text, masked: 0 });
    }
  });

  it('should mask every card number in a text', () => {
    const { text, masked } = maskCardNumbers('a 4111111111111111 b 5500000000000004 c');
    expect(masked).toBe(2);
    expect(text).toBe('a ************1111 b ************0004 c');
  });

  it('should compute Luhn', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });
});
