/**
 * A page's HTML without the `<wbr />` that phrases() puts between the phrases of headings and
 * buttons (issue 19), so a test can look for a heading's words as one string.
 */
export function withoutWordBreaks(page: string): string {
  return page.replace(/<wbr\s*\/?>/g, '');
}
