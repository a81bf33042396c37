import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { staticAsset } from './static-asset';

/**
 * The one stylesheet of the server-rendered pages (assets/ui.css), served by the apps at
 * `/assets/ui.css`. Read once when the app starts; the build copies the file next to this module.
 */
export const UI_STYLESHEET = readFileSync(join(__dirname, 'assets', 'ui.css'), 'utf8');

/** The stylesheet as pages link it (`/assets/ui.css?v=<hash>`) and the apps serve it. */
export const UI_STYLESHEET_ASSET = staticAsset(
  '/assets/ui.css',
  'text/css; charset=utf-8',
  UI_STYLESHEET,
);
