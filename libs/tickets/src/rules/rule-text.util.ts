/**
 * The form in which rule words and a message are compared: NFKC (full-width letters and digits
 * become ASCII, half-width katakana full-width), lower case, and katakana folded into hiragana,
 * so 「カード」「ｶｰﾄﾞ」「かーど」 and 「ＰＡＹ」「pay」 match each other.
 */
export function normaliseRuleText(text: string): string {
  return foldKatakana(text.normalize('NFKC').toLowerCase());
}

/** Katakana ァ (U+30A1) … ヶ (U+30F6) to their hiragana (0x60 lower); ー and others stay. */
function foldKatakana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
}

/** Whether `text` contains any of `keywords` (both normalised here); true when there are none. */
export function containsAnyKeyword(text: string, keywords: readonly string[]): boolean {
  if (keywords.length === 0) return true;
  const haystack = normaliseRuleText(text);
  return keywords.some((keyword) => {
    const needle = normaliseRuleText(keyword).trim();
    return needle !== '' && haystack.includes(needle);
  });
}
