import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

const CONSOLE_SCRIPT = readFileSync(join(__dirname, 'console.js'), 'utf8');
const CONSOLE_VOICE_SCRIPT = readFileSync(join(__dirname, 'console-voice.js'), 'utf8');
const CONSOLE_STYLESHEET = readFileSync(join(__dirname, 'console.css'), 'utf8');

// Their behaviour is tested in a browser (test/browser); here, what a browser cannot tell us.
describe('console assets', () => {
  it('should be scripts that parse, in strict mode', () => {
    for (const script of [CONSOLE_SCRIPT, CONSOLE_VOICE_SCRIPT]) {
      expect(() => new Script(script)).not.toThrow();
      expect(script).toContain("'use strict'");
    }
  });

  it('should never act on a shortcut while the user types in a field', () => {
    expect(CONSOLE_SCRIPT).toMatch(/if \(isTyping\(event\.target\)\) return;/);
  });

  it('should style SLA states by class, with balanced braces', () => {
    expect(CONSOLE_STYLESHEET).toContain('.sla--breached');
    const open = CONSOLE_STYLESHEET.split('{').length;
    expect(CONSOLE_STYLESHEET.split('}').length).toBe(open);
  });
});
