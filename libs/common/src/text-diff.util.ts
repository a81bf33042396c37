/**
 * Character-level text comparison for Japanese text (answer versions, edited approved replies).
 * Japanese has no spaces between words, so a word diff says nothing: the diff works on code
 * points (an astral character such as 𠮷 or an emoji is one unit, never two halves).
 */

export type DiffKind = 'equal' | 'insert' | 'delete';

/** One run of the diff: text kept, inserted (only in `after`) or deleted (only in `before`). */
export interface DiffOp {
  kind: DiffKind;
  text: string;
}

/**
 * Edits beyond which the Myers search stops and the differing middle is reported as one
 * deletion and one insertion: the memory of the search grows with the square of the edits.
 * Two texts that differ this much are a rewrite, and shown as one.
 */
export const DIFF_MAX_EDITS = 3_000;

/**
 * The shortest edit script from `before` to `after`, by code point (Myers' O((N+M)D)
 * algorithm after trimming the common prefix and suffix), as runs of equal, deleted and
 * inserted text in order. Concatenating the equal and deleted runs gives `before`; the
 * equal and inserted runs give `after`.
 */
export function diffChars(before: string, after: string, maxEdits = DIFF_MAX_EDITS): DiffOp[] {
  const a = Array.from(before);
  const b = Array.from(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffOp[] = [];
  const push = (kind: DiffKind, text: string) => {
    if (text === '') return;
    const last = ops[ops.length - 1];
    if (last && last.kind === kind) last.text += text;
    else ops.push({ kind, text });
  };
  push('equal', a.slice(0, start).join(''));
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxEdits);
  for (const op of middle) push(op.kind, op.text);
  push('equal', a.slice(endA).join(''));
  return ops;
}

/** Myers' greedy forward search with the trace kept for the walk back. */
function myers(a: string[], b: string[], maxEdits: number): DiffOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 && m === 0) return [];
  if (n === 0) return [{ kind: 'insert', text: b.join('') }];
  if (m === 0) return [{ kind: 'delete', text: a.join('') }];
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  v[offset + 1] = 0;
  // trace[d]: v for k in [-d-1, d+1] as it stood before step d (index k + d + 1).
  const trace: Int32Array[] = [];
  const limit = Math.min(max, maxEdits);
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return walkBack(a, b, trace);
    }
  }
  // Too many edits: one deletion and one insertion.
  return [
    { kind: 'delete', text: a.join('') },
    { kind: 'insert', text: b.join('') },
  ];
}

function walkBack(a: string[], b: string[], trace: Int32Array[]): DiffOp[] {
  const reversed: DiffOp[] = [];
  const emit = (kind: DiffKind, char: string) => {
    const last = reversed[reversed.length - 1];
    if (last && last.kind === kind) last.text = char + last.text;
    else reversed.push({ kind, text: char });
  };
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const at = (k: number) => trace[d][k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      emit('equal', a[x - 1]);
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) emit('insert', b[y - 1]);
      else emit('delete', a[x - 1]);
    }
    x = prevX;
    y = prevY;
  }
  // Within one edit position the walk back meets insertions and deletions in either order;
  // the runs come out in text order once reversed.
  return reversed.reverse();
}

/**
 * A diff stored beside the text it leads to: equal and inserted runs are kept as their length
 * in code points (the text is the message body), deleted runs as their text. It holds only
 * what `after` does not, so it is never larger than `before`.
 */
export type CompactDiff = ([0, number] | [1, number] | [-1, string])[];

export function compactDiff(ops: readonly DiffOp[]): CompactDiff {
  return ops.map((op) =>
    op.kind === 'delete'
      ? ([-1, op.text] as [-1, string])
      : ([op.kind === 'equal' ? 0 : 1, Array.from(op.text).length] as [0 | 1, number]),
  );
}

/** The full diff again from its compact form and the text it leads to. */
export function expandDiff(compact: CompactDiff, after: string): DiffOp[] {
  const chars = Array.from(after);
  let position = 0;
  const ops: DiffOp[] = [];
  for (const entry of compact) {
    if (entry[0] === -1) {
      ops.push({ kind: 'delete', text: entry[1] });
      continue;
    }
    const length = Math.max(0, Math.trunc(entry[1]));
    ops.push({
      kind: entry[0] === 0 ? 'equal' : 'insert',
      text: chars.slice(position, position + length).join(''),
    });
    position += length;
  }
  return ops;
}

/**
 * Text as compared for "sent verbatim": line endings normalised (CRLF, CR → LF), every run of
 * whitespace (spaces, tabs, line breaks, the full-width space U+3000, NBSP) collapsed to one
 * space, and the ends trimmed. Anything else (a changed character, punctuation, a removed
 * space between two words) is an edit.
 */
export function normaliseForComparison(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\s\u3000\u00a0]+/gu, ' ')
    .trim();
}

/** Whether two texts are the same after {@link normaliseForComparison}. */
export function sameTextIgnoringWhitespace(a: string, b: string): boolean {
  return normaliseForComparison(a) === normaliseForComparison(b);
}
