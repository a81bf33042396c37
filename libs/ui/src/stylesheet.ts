import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one stylesheet of the server-rendered pages (assets/ui.css), served by the apps at
 * `/assets/ui.css`. Read once when the app starts; the build copies the file next to this module.
 */
export const UI_STYLESHEET = readFileSync(join(__dirname, 'assets', 'ui.css'), 'utf8');
