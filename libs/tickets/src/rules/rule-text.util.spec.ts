import { containsAnyKeyword, normaliseRuleText } from './rule-text.util';

describe('normaliseRuleText', () => {
  it('should fold full-width, half-width and case into one form', () => {
    expect(normaliseRuleText('ＶＩＳＡ Card')).toBe('visa card');
    expect(normaliseRuleText('ｶｰﾄﾞ')).toBe(normaliseRuleText('カード'));
  });

  it('should make katakana and hiragana match each other', () => {
    expect(normaliseRuleText('カード')).toBe('かーど');
    expect(normaliseRuleText('ヴ')).toBe('ゔ');
  });
});

describe('containsAnyKeyword', () => {
  it('should find a keyword written in another width or kana', () => {
    expect(containsAnyKeyword('ｶｰﾄﾞが不正利用されました', ['かーど'])).toBe(true);
    expect(containsAnyKeyword('カードが使えません', ['ｶｰﾄﾞ'])).toBe(true);
    expect(containsAnyKeyword('ＰＡＳＳＷＯＲＤを忘れた', ['password'])).toBe(true);
  });

  it('should match anything without keywords and nothing with blank ones only', () => {
    expect(containsAnyKeyword('何でも', [])).toBe(true);
    expect(containsAnyKeyword('何でも', ['  '])).toBe(false);
    expect(containsAnyKeyword('住所の変更', ['カード', '不正'])).toBe(false);
  });
});
