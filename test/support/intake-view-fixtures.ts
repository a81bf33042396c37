import type { SiteBranding } from '../../apps/intake/src/web/site-branding.type';

/** A branded site for the intake's view specs (logo, brand colour and phone code all set). */
export const site: SiteBranding = {
  slug: 'demo-a-shop',
  displayName: 'デモAショップ',
  merchantName: '株式会社デモA',
  logoUrl: 'https://cdn.example.jp/logo.png',
  brandColor: '#aa3300',
  phoneCode: '101',
};

/**
 * The markup with whitespace between and inside tags collapsed and the phrase-break hints
 * (`<wbr>`) taken out, for structural checks that should not care how the templates are
 * formatted or where a line may break. Text content checks use the raw page.
 */
export function flat(page: string): string {
  return page
    .replace(/<wbr\s*\/?>/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*\/?>/g, '>')
    .replace(/>\s+/g, '>')
    .replace(/\s+</g, '<');
}

/** The opening tag of the control with this id. */
export function tagWithId(page: string, id: string): string {
  const match = new RegExp(`<(input|textarea|select)[^>]*\\bid="${id}"[^>]*>`).exec(flat(page));
  if (!match) throw new Error(`no control with id ${id}`);
  return match[0];
}
