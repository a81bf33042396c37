import { ATTACHMENT_FILENAME_MAX_LENGTH } from './attachment.constant';
import { sanitiseFilename } from './attachment-filename.util';

describe('sanitiseFilename', () => {
  it.each([
    ['../../etc/passwd', 'text/plain', 'passwd.txt'],
    ['..\\..\\windows\\system.ini', 'text/plain', 'system.txt'],
    ['/', 'image/png', '添付ファイル.png'],
    ['..', 'image/png', '添付ファイル.png'],
    ['.htaccess', 'text/plain', 'htaccess.txt'],
    ['photo', 'image/jpeg', 'photo.jpg'],
    ['photo.JPEG', 'image/jpeg', 'photo.jpeg'],
    ['a\u202Egnp.exe', 'image/png', 'agnp.png'],
    ['a\u2066b\u2069c\u200e\u200f.pdf', 'application/pdf', 'abc.pdf'],
    ['line\r\nbreak\u0000.txt', 'text/plain', 'linebreak.txt'],
    ['what?<>:"|*.txt', 'text/plain', 'what_______.txt'],
    ['CON.txt', 'text/plain', 'CON_.txt'],
    ['lone\ud800surrogate.txt', 'text/plain', 'lonesurrogate.txt'],
    ['  領収書 2026年12月.pdf  ', 'application/pdf', '領収書 2026年12月.pdf'],
    ['スクショ.20261204', 'image/png', 'スクショ.20261204.png'],
  ] as const)('should make %j a safe %s name: %j', (raw, type, expected) => {
    expect(sanitiseFilename(raw, type)).toBe(expected);
  });

  it('should cap the length, keeping the extension and whole characters', () => {
    const name = sanitiseFilename(`${'😀'.repeat(300)}.png`, 'image/png');
    expect(Array.from(name)).toHaveLength(ATTACHMENT_FILENAME_MAX_LENGTH);
    expect(name.endsWith('😀.png')).toBe(true);
  });

  it('should take linear time on a long run of dots and spaces inside a name (no regex backtracking)', () => {
    // A mail's header may carry a name of up to 1 MB; a backtracking /[\s.]+$/ took minutes on it.
    const raw = `a${'. '.repeat(100_000)}x${'. '.repeat(100_000)}`;
    const started = Date.now();
    const name = sanitiseFilename(raw, 'text/plain');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(name.startsWith('a.')).toBe(true);
    expect(name.endsWith('.txt')).toBe(true);
  });
});
