import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { staticAsset } from '@madoguchi/ui';

/** A browser file beside this module (the build copies them to dist), read once at startup. */
function asset(name: string, contentType: string) {
  return staticAsset(`/assets/${name}`, contentType, readFileSync(join(__dirname, name), 'utf8'));
}

const SCRIPT = 'text/javascript; charset=utf-8';

/** The console's own files, linked by their content hash (`url`) from the pages. */
export const CONSOLE_STYLESHEET_ASSET = asset('console.css', 'text/css; charset=utf-8');
export const CONSOLE_SCRIPT_ASSET = asset('console.js', SCRIPT);
export const CONSOLE_VOICE_SCRIPT_ASSET = asset('console-voice.js', SCRIPT);
