import { ECHOED_TEXT_MAX, echoedText } from './echoed-text.util';

describe('echoedText', () => {
  it('should keep an ordinary name as typed', () => {
    expect(echoedText('山田 太郎')).toBe('山田 太郎');
    expect(echoedText('Anne-Marie O’Neil')).toBe('Anne-Marie O’Neil');
  });

  it.each([
    ['https://evil.example/login', 'hxxps[:]//evil[.]example/login'],
    ['http://evil.example', 'hxxp[:]//evil[.]example'],
    ['ｈｔｔｐｓ：／／ｅｖｉｌ．ｅｘａｍｐｌｅ', 'hxxps[:]//evil[.]example'],
    ['evil.example へ', 'evil[.]example へ'],
    ['ftp://x.y', 'ftp[:]//x[.]y'],
    ['javascript:alert(1)', 'javascript[:]alert(1)'],
    ['me@evil.example', 'me[at]evil[.]example'],
  ])('should defuse the link in %j', (typed, echoed) => {
    expect(echoedText(typed)).toBe(echoed);
  });

  it('should put everything on one line without control or bidi characters', () => {
    expect(echoedText('a\r\nSubject: x\u202eb\u200bc')).toBe('a Subject: x b c');
  });

  it('should cut long text', () => {
    const echoed = echoedText('あ'.repeat(100));
    expect([...echoed]).toHaveLength(ECHOED_TEXT_MAX);
    expect(echoed.endsWith('…')).toBe(true);
  });
});
