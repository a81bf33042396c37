/** Issue 13.3: hidden words around a character diff's insertions and deletions (screen readers). */
export const TEXT_DIFF_TEXTS = {
  insStart: '［追加：',
  insEnd: '］',
  delStart: '［削除：',
  delEnd: '］',
} as const;
