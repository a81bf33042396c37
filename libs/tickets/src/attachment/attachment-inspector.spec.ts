import { inflateSync } from 'node:zlib';
import {
  GPS_MARKER,
  HTML_AS_PNG,
  JPEG_SCAN_DATA,
  SHIFT_JIS_TEXT,
  SVG_WITH_SCRIPT,
  gifWithComment,
  jpegMarkers,
  jpegSegment,
  pngChunk,
  jpegWithExifGps,
  minimalPdf,
  pngChunkTypes,
  pngClaiming,
  pngWithMetadata,
  plainPng,
  utf8Text,
  webpWithExif,
} from '../../../../test/support/attachment-fixtures';
import { ATTACHMENT_LIMITS } from './attachment.constant';
import { AttachmentInspector } from './attachment-inspector';
import { AttachmentRefusedError } from './attachment-refused.error';

const MARKER = 'SECRET-META-7Q4Z';

async function refusalsOf(files: { filename: string; bytes: Buffer }[]): Promise<string[]> {
  try {
    await AttachmentInspector.inspect(files);
  } catch (error) {
    if (error instanceof AttachmentRefusedError) {
      expect(error.fieldErrors.every((each) => each.field === 'attachments')).toBe(true);
      return error.fieldErrors.map((each) => each.message);
    }
    throw error;
  }
  throw new Error('expected the files to be refused');
}

describe('AttachmentInspector', () => {
  describe('types decided from the bytes', () => {
    it('should accept a PNG, a JPEG, a GIF, a WebP, a PDF and UTF-8 text, typed by their bytes', async () => {
      const clean = await AttachmentInspector.inspect([
        { filename: 'a.png', bytes: plainPng() },
        { filename: 'b.jpg', bytes: jpegWithExifGps(MARKER) },
        { filename: 'c.gif', bytes: gifWithComment(MARKER) },
        { filename: 'd.webp', bytes: webpWithExif(MARKER) },
        { filename: 'e.pdf', bytes: minimalPdf() },
      ]);
      expect(clean.map((file) => file.contentType)).toEqual([
        'image/png',
        'image/jpeg',
        'image/gif',
        'image/webp',
        'application/pdf',
      ]);
      const [text] = await AttachmentInspector.inspect([
        { filename: 'メモ.txt', bytes: utf8Text(MARKER) },
      ]);
      expect(text).toEqual({
        filename: 'メモ.txt',
        contentType: 'text/plain',
        bytes: utf8Text(MARKER),
      });
    });

    it('should refuse a .png that is really HTML, with a Japanese message naming it', async () => {
      const refusals = await refusalsOf([{ filename: 'screenshot.png', bytes: HTML_AS_PNG }]);
      expect(refusals).toEqual([
        expect.stringContaining('「screenshot.png」は添付できない種類のファイルです'),
      ]);
    });

    it('should refuse an SVG, even named .txt', async () => {
      expect(await refusalsOf([{ filename: 'logo.svg', bytes: SVG_WITH_SCRIPT }])).toHaveLength(1);
      expect(await refusalsOf([{ filename: 'logo.txt', bytes: SVG_WITH_SCRIPT }])).toHaveLength(1);
    });

    it('should refuse XML and text with an embedded script element', async () => {
      const xml = Buffer.from('<?xml version="1.0"?><note>hi</note>');
      const sneaky = Buffer.from('領収書です\n<script>alert(1)</script>\n');
      expect(await refusalsOf([{ filename: 'a.txt', bytes: xml }])).toHaveLength(1);
      expect(await refusalsOf([{ filename: 'b.txt', bytes: sneaky }])).toHaveLength(1);
    });

    it('should refuse text that is not valid UTF-8 (Shift_JIS) and text with a NUL byte', async () => {
      expect(await refusalsOf([{ filename: 'sjis.txt', bytes: SHIFT_JIS_TEXT }])).toEqual([
        expect.stringContaining('UTF-8'),
      ]);
      expect(await refusalsOf([{ filename: 'nul.txt', bytes: Buffer.from('a\0b') }])).toHaveLength(
        1,
      );
    });

    it('should refuse a type file-type knows but we do not allow (a ZIP)', async () => {
      const zip = Buffer.from('504b0304140000000800', 'hex');
      expect(
        await refusalsOf([{ filename: 'a.zip', bytes: Buffer.concat([zip, Buffer.alloc(40)]) }]),
      ).toHaveLength(1);
    });
  });

  describe('metadata stripping', () => {
    it('should strip tEXt, iTXt, zTXt, tIME and eXIf from a PNG and keep the pixels', async () => {
      const original = pngWithMetadata(MARKER);
      const [clean] = await AttachmentInspector.inspect([{ filename: 'p.png', bytes: original }]);
      expect(pngChunkTypes(clean.bytes)).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect(clean.bytes.includes(MARKER)).toBe(false);
      expect(clean.bytes.includes(GPS_MARKER)).toBe(false);
      // The pixels are the same bytes: 6 rows of a filter byte and 8 RGB pixels.
      const idatAt = clean.bytes.indexOf('IDAT') + 4;
      const idatLength = clean.bytes.readUInt32BE(idatAt - 8);
      expect(inflateSync(clean.bytes.subarray(idatAt, idatAt + idatLength))).toHaveLength(
        6 * (1 + 8 * 3),
      );
    });

    it('should strip EXIF with GPS, XMP, APP13 and comments from a JPEG, keeping only its orientation', async () => {
      const [clean] = await AttachmentInspector.inspect([
        { filename: 'photo.jpg', bytes: jpegWithExifGps(MARKER) },
      ]);
      expect(clean.bytes.includes(MARKER)).toBe(false);
      expect(clean.bytes.includes(GPS_MARKER)).toBe(false);
      // GPS IFD pointer tag 0x8825 is gone with the original APP1.
      expect(clean.bytes.includes(Buffer.from([0x88, 0x25]))).toBe(false);
      // SOI, JFIF, the minimal orientation APP1, tables, frame, scan.
      expect(jpegMarkers(clean.bytes)).toEqual([0xe0, 0xe1, 0xdb, 0xc0, 0xc4, 0xda]);
      const app1 = clean.bytes.indexOf(Buffer.from([0xff, 0xe1]));
      expect(clean.bytes.readUInt16BE(app1 + 2)).toBeLessThan(40);
      expect(clean.bytes.includes(Buffer.from([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, 6]))).toBe(
        true,
      );
      // The scan data is copied as is, and the file ends at its end-of-image marker.
      expect(clean.bytes.includes(JPEG_SCAN_DATA)).toBe(true);
      expect(clean.bytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    });

    it('should keep only the chunks and segments it knows to be harmless (a whitelist)', async () => {
      const png = pngWithMetadata(MARKER);
      const iend = png.length - 12;
      const withPrivate = Buffer.concat([
        png.subarray(0, iend),
        pngChunk('prVt', Buffer.from(MARKER)),
        pngChunk('pHYs', Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1])),
        png.subarray(iend),
      ]);
      const [cleanPng] = await AttachmentInspector.inspect([
        { filename: 'a.png', bytes: withPrivate },
      ]);
      expect(pngChunkTypes(cleanPng.bytes)).toEqual(['IHDR', 'IDAT', 'pHYs', 'IEND']);

      const jpeg = jpegWithExifGps(MARKER);
      const withApps = Buffer.concat([
        jpeg.subarray(0, 2),
        jpegSegment(0xe2, Buffer.from('ICC_PROFILE\0\x01\x01profile', 'latin1')),
        jpegSegment(0xe2, Buffer.from(`MPF\0${MARKER}`, 'latin1')),
        jpegSegment(0xec, Buffer.from(`Ducky${MARKER}`, 'latin1')),
        jpegSegment(0xee, Buffer.from('Adobe\0\x64\0\0\0\0\x01', 'latin1')),
        jpeg.subarray(2),
      ]);
      const [cleanJpeg] = await AttachmentInspector.inspect([
        { filename: 'a.jpg', bytes: withApps },
      ]);
      expect(jpegMarkers(cleanJpeg.bytes)).toEqual([
        0xe2, 0xee, 0xe0, 0xe1, 0xdb, 0xc0, 0xc4, 0xda,
      ]);
      expect(cleanJpeg.bytes.includes(MARKER)).toBe(false);
    });

    it('should strip GIF comments and application extensions but keep the NETSCAPE loop', async () => {
      const original = gifWithComment(MARKER);
      const [clean] = await AttachmentInspector.inspect([{ filename: 'a.gif', bytes: original }]);
      expect(clean.bytes.includes(MARKER)).toBe(false);
      expect(clean.bytes.includes('NETSCAPE2.0')).toBe(true);
      expect(clean.bytes.includes('XMP DataXMP')).toBe(false);
      expect(clean.bytes[clean.bytes.length - 1]).toBe(0x3b);
    });

    it('should strip WebP EXIF and XMP chunks, clear their VP8X flags and fix the RIFF size', async () => {
      const [clean] = await AttachmentInspector.inspect([
        { filename: 'a.webp', bytes: webpWithExif(MARKER) },
      ]);
      expect(clean.bytes.includes(MARKER)).toBe(false);
      expect(clean.bytes.includes(GPS_MARKER)).toBe(false);
      expect(clean.bytes.includes('EXIF')).toBe(false);
      expect(clean.bytes[20] & 0x0c).toBe(0);
      expect(clean.bytes.readUInt32LE(4)).toBe(clean.bytes.length - 8);
    });
  });

  describe('limits', () => {
    it('should refuse a PNG header claiming 100000×100000 pixels (a decompression bomb)', async () => {
      expect(
        await refusalsOf([{ filename: 'bomb.png', bytes: pngClaiming(100_000, 100_000) }]),
      ).toEqual([expect.stringContaining('縦横のサイズが大きすぎます')]);
    });

    it('should refuse an image over 50 megapixels even when each side is allowed', async () => {
      expect(
        await refusalsOf([{ filename: 'wide.png', bytes: pngClaiming(10_000, 6_000) }]),
      ).toHaveLength(1);
      await expect(
        AttachmentInspector.inspect([{ filename: 'ok.png', bytes: pngClaiming(5_000, 5_000) }]),
      ).resolves.toHaveLength(1);
    });

    it('should refuse a truncated image as broken', async () => {
      const truncated = pngWithMetadata(MARKER).subarray(0, 60);
      expect(await refusalsOf([{ filename: 't.png', bytes: truncated }])).toEqual([
        expect.stringContaining('画像として読み取れませんでした'),
      ]);
      const jpeg = jpegWithExifGps(MARKER);
      expect(await refusalsOf([{ filename: 't.jpg', bytes: jpeg.subarray(0, 30) }])).toHaveLength(
        1,
      );
    });

    it('should refuse more than five files, an empty file, a file over 5 MiB and more than 15 MiB together', async () => {
      const six = Array.from({ length: 6 }, (_, i) => ({
        filename: `${i}.txt`,
        bytes: utf8Text('x'),
      }));
      expect(await refusalsOf(six)).toEqual(['添付できるファイルは5個までです。']);
      expect(await refusalsOf([{ filename: 'empty.txt', bytes: Buffer.alloc(0) }])).toHaveLength(1);
      const big = Buffer.alloc(ATTACHMENT_LIMITS.maxFileBytes + 1, 0x61);
      expect(await refusalsOf([{ filename: 'big.txt', bytes: big }])).toEqual([
        expect.stringContaining('1ファイル5MBまで'),
      ]);
      const almost = Buffer.alloc(ATTACHMENT_LIMITS.maxFileBytes - 10, 0x61);
      const four = Array.from({ length: 4 }, (_, i) => ({ filename: `${i}.txt`, bytes: almost }));
      expect(await refusalsOf(four)).toEqual([expect.stringContaining('合計15MBまで')]);
    });

    it('should report every refused file at once and accept nothing then', async () => {
      const refusals = await refusalsOf([
        { filename: 'ok.txt', bytes: utf8Text('x') },
        { filename: 'page.png', bytes: HTML_AS_PNG },
        { filename: 'bomb.png', bytes: pngClaiming(100_000, 100_000) },
      ]);
      expect(refusals).toHaveLength(2);
    });
  });

  describe('hostile bytes', () => {
    it('should refuse every truncation and corruption of each image with a message, never an error', async () => {
      const images = [
        pngWithMetadata(MARKER),
        jpegWithExifGps(MARKER),
        gifWithComment(MARKER),
        webpWithExif(MARKER),
      ];
      let seed = 7;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed;
      };
      for (const image of images) {
        const variants: Buffer[] = [];
        for (let length = 1; length < image.length; length += 3) {
          variants.push(image.subarray(0, length));
        }
        for (let i = 0; i < 150; i += 1) {
          const corrupt = Buffer.from(image);
          for (let flips = 0; flips < 4; flips += 1) {
            corrupt[random() % corrupt.length] = random() % 256;
          }
          variants.push(corrupt);
        }
        for (const bytes of variants) {
          await AttachmentInspector.inspect([{ filename: 'x.bin', bytes }]).catch(
            (error: unknown) => {
              expect(error).toBeInstanceOf(AttachmentRefusedError);
            },
          );
        }
      }
    });
  });

  describe('file names', () => {
    it('should keep only the base name of a path and give it the extension of its type', async () => {
      const [a, b, c] = await AttachmentInspector.inspect([
        { filename: '../../etc/passwd', bytes: utf8Text('x') },
        { filename: 'C:\\Users\\yamada\\Desktop\\明細.PNG', bytes: plainPng() },
        { filename: 'invoice.pdf.exe', bytes: minimalPdf() },
      ]);
      expect(a.filename).toBe('passwd.txt');
      expect(b.filename).toBe('明細.png');
      expect(c.filename).toBe('invoice.pdf.pdf');
    });

    it('should remove right-to-left overrides so a name cannot disguise its extension', async () => {
      const [clean] = await AttachmentInspector.inspect([
        { filename: 'invoice\u202Egpj.exe', bytes: plainPng() },
      ]);
      expect(clean.filename).toBe('invoicegpj.png');
      const refusals = await refusalsOf([{ filename: 'x\u202Egnp.html', bytes: HTML_AS_PNG }]);
      expect(refusals[0]).not.toMatch(/[\u202a-\u202e]/u);
    });

    it('should name a JPEG sent as .png by its real type', async () => {
      const [clean] = await AttachmentInspector.inspect([
        { filename: 'screenshot.png', bytes: jpegWithExifGps(MARKER) },
      ]);
      expect(clean).toMatchObject({ filename: 'screenshot.jpg', contentType: 'image/jpeg' });
    });
  });
});
