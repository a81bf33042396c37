import { staticAsset } from './static-asset';

/**
 * Both apps' icon: a white speech bubble (the window, 窓口) on the default brand blue. Small SVG
 * rather than an ICO: every browser the pages support reads it, and it stays sharp at any size.
 */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="7" fill="#1f4e8c"/>' +
  '<path d="M7 8h18v12H15l-6 5v-5H7z" fill="#fff"/></svg>\n';

export const FAVICON_ASSET = staticAsset('/assets/favicon.svg', 'image/svg+xml', FAVICON_SVG);
