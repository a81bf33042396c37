import { attachmentDisposition } from './attachment-response.util';

describe('attachmentDisposition', () => {
  it('should give an ASCII fallback and the UTF-8 name in RFC 5987 form', () => {
    expect(attachmentDisposition('明細 (1).pdf')).toBe(
      `attachment; filename="__ (1).pdf"; filename*=UTF-8''%E6%98%8E%E7%B4%B0%20%281%29.pdf`,
    );
  });

  it('should survive a lone surrogate (encodeURIComponent would throw)', () => {
    expect(attachmentDisposition('a\ud800b.txt')).toBe(
      `attachment; filename="ab.txt"; filename*=UTF-8''ab.txt`,
    );
  });

  it('should never let a quote, a backslash or a line break into the header', () => {
    const header = attachmentDisposition('a"b\\c\r\nSet-Cookie: x=1.txt');
    expect(header).not.toMatch(/[\r\n]/u);
    expect(header).toMatch(
      /^attachment; filename="a_b_cSet-Cookie: x=1\.txt"; filename\*=UTF-8''/u,
    );
  });
});
