import { button } from './components';
import { phrases, phrasesOf } from './phrases';

describe('phrases', () => {
  it('should split Japanese into BudouX phrases and join them with <wbr>', () => {
    expect(phrasesOf('送信内容を確認する')).toEqual(['送信内容を', '確認する']);
    expect(phrases('送信内容を確認する').toString()).toBe('送信内容を<wbr />確認する');
  });

  it('should keep one phrase and text without Japanese as they are', () => {
    expect(phrases('確認する').toString()).toBe('確認する');
    expect(phrases('Madoguchi support desk').toString()).toBe('Madoguchi support desk');
  });

  it('should escape every phrase', () => {
    const out = phrases('<b>「株式会社デモ」の窓口</b>を確認する').toString();
    expect(out).not.toContain('<b>');
    expect(out).toContain('&lt;b&gt;');
    expect(out.replaceAll('<wbr />', '')).toBe(
      '&lt;b&gt;「株式会社デモ」の窓口&lt;/b&gt;を確認する',
    );
  });

  it('should phrase the labels of buttons', () => {
    expect(button('確認コードをメールで受け取る').toString()).toContain(
      '>確認コードを<wbr />メールで<wbr />受け取る</button>',
    );
  });
});
