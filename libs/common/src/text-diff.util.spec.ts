import {
  compactDiff,
  diffChars,
  type DiffOp,
  expandDiff,
  normaliseForComparison,
  sameTextIgnoringWhitespace,
} from './text-diff.util';

const before = (ops: DiffOp[]) =>
  ops
    .filter((op) => op.kind !== 'insert')
    .map((op) => op.text)
    .join('');
const after = (ops: DiffOp[]) =>
  ops
    .filter((op) => op.kind !== 'delete')
    .map((op) => op.text)
    .join('');
const editCount = (ops: DiffOp[]) =>
  ops.filter((op) => op.kind !== 'equal').reduce((sum, op) => sum + Array.from(op.text).length, 0);

/** A small seeded generator, so the property test is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('diffChars', () => {
  it('should find the changed characters of a Japanese sentence', () => {
    const ops = diffChars('お客様の情報は含まれておりません。', 'お客様の情報は含まれております。');
    expect(ops).toEqual([
      { kind: 'equal', text: 'お客様の情報は含まれておりま' },
      { kind: 'delete', text: 'せん' },
      { kind: 'insert', text: 'す' },
      { kind: 'equal', text: '。' },
    ]);
  });

  it('should report an insertion and a deletion in the middle', () => {
    expect(diffChars('山田様、ご連絡', '山田太郎様、連絡')).toEqual([
      { kind: 'equal', text: '山田' },
      { kind: 'insert', text: '太郎' },
      { kind: 'equal', text: '様、' },
      { kind: 'delete', text: 'ご' },
      { kind: 'equal', text: '連絡' },
    ]);
  });

  it('should treat an astral character (𠮷, an emoji) as one unit', () => {
    const ops = diffChars('𠮷野家😀です', '吉野家😀です');
    expect(ops).toEqual([
      { kind: 'delete', text: '𠮷' },
      { kind: 'insert', text: '吉' },
      { kind: 'equal', text: '野家😀です' },
    ]);
  });

  it('should handle empty texts and equal texts', () => {
    expect(diffChars('', '')).toEqual([]);
    expect(diffChars('', 'あ')).toEqual([{ kind: 'insert', text: 'あ' }]);
    expect(diffChars('あ', '')).toEqual([{ kind: 'delete', text: 'あ' }]);
    expect(diffChars('同じ', '同じ')).toEqual([{ kind: 'equal', text: '同じ' }]);
  });

  it('should give a minimal script that rebuilds both texts (random texts)', () => {
    const next = random(42);
    const alphabet = Array.from('あいうえおカキク漢字。、\n ');
    const text = (length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const a = text(Math.floor(next() * 30));
      const b = text(Math.floor(next() * 30));
      const ops = diffChars(a, b);
      expect(before(ops)).toBe(a);
      expect(after(ops)).toBe(b);
      // Myers is minimal: the edits equal len(a) + len(b) - 2 * LCS.
      expect(editCount(ops)).toBe(a.length + b.length - 2 * lcsLength(a, b));
      // Runs are merged: never two neighbours of one kind.
      for (let i = 1; i < ops.length; i++) expect(ops[i].kind).not.toBe(ops[i - 1].kind);
    }
  });

  it('should fall back to one deletion and one insertion beyond the edit limit', () => {
    const ops = diffChars('前あいうえお後', '前かきくけこ後', 2);
    expect(ops).toEqual([
      { kind: 'equal', text: '前' },
      { kind: 'delete', text: 'あいうえお' },
      { kind: 'insert', text: 'かきくけこ' },
      { kind: 'equal', text: '後' },
    ]);
  });

  it('should diff two long texts (a whole answer rewritten) within the limit', () => {
    const a = '弊社の調査の結果、'.repeat(600);
    const b = `${a.slice(0, 2000)}大変申し訳ございません。${a.slice(2000)}`;
    const ops = diffChars(a, b);
    expect(ops.filter((op) => op.kind !== 'equal')).toEqual([
      { kind: 'insert', text: '大変申し訳ございません。' },
    ]);
  });
});

describe('compactDiff / expandDiff', () => {
  it('should keep only the deleted text and rebuild the diff from the sent text', () => {
    const sent = '山田太郎様、連絡😀';
    const ops = diffChars('山田様、ご連絡😀', sent);
    const compact = compactDiff(ops);
    expect(compact).toEqual([
      [0, 2],
      [1, 2],
      [0, 2],
      [-1, 'ご'],
      [0, 3],
    ]);
    expect(expandDiff(compact, sent)).toEqual(ops);
  });
});

describe('normaliseForComparison', () => {
  it('should trim, collapse whitespace (full-width space and line breaks too) and unify line endings', () => {
    expect(
      normaliseForComparison('  山田 様\r\n\r\nご連絡\u3000\u3000ありがとう\t ございます。\n'),
    ).toBe('山田 様 ご連絡 ありがとう ございます。');
    expect(sameTextIgnoringWhitespace('あ\r\nい', 'あ\nい')).toBe(true);
    expect(sameTextIgnoringWhitespace('あ\rい', 'あ　い')).toBe(true);
    expect(sameTextIgnoringWhitespace(' あ い ', 'あ い')).toBe(true);
  });

  it('should still tell apart a changed character or a removed space', () => {
    expect(sameTextIgnoringWhitespace('含まれております。', '含まれておりません。')).toBe(false);
    expect(sameTextIgnoringWhitespace('山田 太郎', '山田太郎')).toBe(false);
    expect(sameTextIgnoringWhitespace('ご連絡。', 'ご連絡')).toBe(false);
  });
});

function lcsLength(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const row = new Array<number>(y.length + 1).fill(0);
  for (const char of x) {
    let diagonal = 0;
    for (let j = 1; j <= y.length; j++) {
      const above = row[j];
      row[j] = char === y[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[y.length];
}
