import { firstLineOf } from './first-line.util';

describe('firstLineOf', () => {
  it('should take the first non-empty line, trimmed', () => {
    expect(firstLineOf('\n\n  注文について  \r\n二行目')).toBe('注文について');
  });

  it('should cut a long line with an ellipsis without splitting a character', () => {
    expect(firstLineOf('あ'.repeat(70), 60)).toBe(`${'あ'.repeat(60)}…`);
    expect(firstLineOf('😀'.repeat(5), 3)).toBe('😀😀😀…');
    expect(firstLineOf('短い', 60)).toBe('短い');
  });

  it('should give null for no text', () => {
    expect(firstLineOf(null)).toBeNull();
    expect(firstLineOf(' \n ')).toBeNull();
  });
});
