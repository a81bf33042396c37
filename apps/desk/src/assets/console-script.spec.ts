import { Script } from 'node:vm';
import { CONSOLE_SCRIPT } from './console-script';
import { CONSOLE_STYLESHEET } from './console-stylesheet';

describe('console assets', () => {
  it('should be a script that parses, in strict mode, with no template leftovers', () => {
    expect(() => new Script(CONSOLE_SCRIPT)).not.toThrow();
    expect(CONSOLE_SCRIPT).toContain("'use strict'");
    expect(CONSOLE_SCRIPT).not.toContain('${');
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
