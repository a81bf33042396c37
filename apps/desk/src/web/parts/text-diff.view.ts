import type { DiffOp } from '@madoguchi/common';
import { html, SafeHtml } from '@madoguchi/ui';
import { TEXT_DIFF_TEXTS } from './text-diff.texts';

const D = TEXT_DIFF_TEXTS;

/**
 * A character diff as one block of text: insertions in <ins> (underlined), deletions in <del>
 * (struck through), each with hidden start and end words, because screen readers do not
 * announce <ins>/<del> by default and colour alone would not say which is which.
 */
export function textDiffBlock(ops: readonly DiffOp[], label: string): SafeHtml {
  // One line of markup: the block is white-space: pre-wrap, so template whitespace would show.
  const parts = ops.map((op) => {
    // prettier-ignore
    if (op.kind === 'insert') return html`<ins><span class="visually-hidden">${D.insStart}</span>${op.text}<span class="visually-hidden">${D.insEnd}</span></ins>`;
    // prettier-ignore
    if (op.kind === 'delete') return html`<del><span class="visually-hidden">${D.delStart}</span>${op.text}<span class="visually-hidden">${D.delEnd}</span></del>`;
    return html`${op.text}`;
  });
  return html`<p class="text-diff" role="group" aria-label="${label}">${parts}</p>`;
}
