import { dirname, join } from 'node:path';
import type { Parser } from 'budoux';
import { html, SafeHtml } from './html.util';

/** Hiragana, katakana and kanji: text BudouX has something to say about. */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
const CACHE_LIMIT = 2000;

let parser: Parser | null = null;
const cache = new Map<string, readonly string[]>();

/**
 * BudouX's parser with its Japanese model, loaded on first use. Only its two plain files, not
 * the package's index: that also loads an HTML parser (linkedom, ~0.2 s, and ES modules Jest
 * cannot load) which server-side phrasing never needs. The package's exports map names only its
 * index, hence the paths beside it.
 */
function japaneseParser(): Parser {
  if (!parser) {
    const dist = dirname(require.resolve('budoux'));
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Parser: BudouxParser } = require(join(dist, 'parser.js')) as typeof import('budoux');
    const { model } = require(join(dist, 'data', 'models', 'ja.js')) as {
      model: ConstructorParameters<typeof Parser>[0];
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    parser = new BudouxParser(model);
  }
  return parser;
}

/** The phrases of a text as BudouX splits it (「送信内容を」「確認する」); the text itself if not Japanese. */
export function phrasesOf(text: string): readonly string[] {
  if (!JAPANESE.test(text)) return [text];
  let parts = cache.get(text);
  if (!parts) {
    parts = japaneseParser().parse(text);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, parts);
  }
  return parts;
}

/**
 * Japanese text with a `<wbr>` between its phrases, escaped: with `word-break: keep-all` (ui.css,
 * for browsers without `word-break: auto-phrase`) a heading or button then wraps between
 * phrases, never inside a word (「確認す/る」). Screen readers and text search ignore `<wbr>`.
 */
export function phrases(text: string): SafeHtml {
  const parts = phrasesOf(text);
  return html`${parts.map((part, index) => (index === 0 ? part : html`<wbr />${part}`))}`;
}
