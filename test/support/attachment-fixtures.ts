import { crc32, deflateSync } from 'node:zlib';

/**
 * Attachment fixtures built in code, byte by byte, so every test states exactly what a file
 * holds: images with metadata (text, EXIF with GPS, comments), a header that claims a huge
 * canvas, markup dressed as an image, text in and out of UTF-8.
 */

/** GPS latitude 35.681236, longitude 139.767125 (Tokyo Station), as EXIF rationals. */
export const GPS_MARKER = 'GPS-TOKYO-STATION';

// --- PNG ---------------------------------------------------------------------------------

export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function ihdr(width: number, height: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = 8; // bit depth
  data[9] = 2; // truecolour RGB
  return pngChunk('IHDR', data);
}

/** Raw RGB scanlines (filter byte 0) of a red-to-blue gradient, compressed as one IDAT. */
function idat(width: number, height: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      row[1 + x * 3] = (x * 255) / Math.max(1, width - 1);
      row[3 + x * 3] = (y * 255) / Math.max(1, height - 1);
    }
    rows.push(row);
  }
  return pngChunk('IDAT', deflateSync(Buffer.concat(rows)));
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A plain PNG, no metadata. */
export function plainPng(width = 8, height = 6): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height),
    idat(width, height),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A PNG with a tEXt comment (`marker`), an iTXt, a zTXt, a tIME and an eXIf chunk holding GPS,
 * between the header and the pixels as cameras and editors write them.
 */
export function pngWithMetadata(marker: string, width = 8, height = 6): Buffer {
  const time = Buffer.from([0x07, 0xea, 12, 4, 10, 0, 0]);
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height),
    pngChunk('tEXt', Buffer.from(`Comment\0${marker}`, 'latin1')),
    pngChunk('iTXt', Buffer.from(`Author\0\0\0\0\0${marker}-itxt`, 'utf8')),
    pngChunk(
      'zTXt',
      Buffer.concat([Buffer.from('Title\0\0', 'latin1'), deflateSync(`${marker}-ztxt`)]),
    ),
    pngChunk('tIME', time),
    pngChunk('eXIf', exifTiff({ orientation: null })),
    idat(width, height),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG whose header claims `width` × `height` with only a few bytes of data: a decompression bomb. */
export function pngClaiming(width: number, height: number): Buffer {
  return Buffer.concat([
    PNG_SIGNATURE,
    ihdr(width, height),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Chunk types of a PNG, in order. */
export function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let offset = 8; offset + 8 <= png.length;) {
    const length = png.readUInt32BE(offset);
    types.push(png.toString('latin1', offset + 4, offset + 8));
    offset += 12 + length;
  }
  return types;
}

// --- EXIF (TIFF) -------------------------------------------------------------------------

/**
 * A big-endian TIFF block: IFD0 with ImageDescription (the GPS marker), an optional
 * Orientation, and a GPS IFD with latitude and longitude.
 */
export function exifTiff(options: { orientation: number | null }): Buffer {
  const description = Buffer.from(`${GPS_MARKER}\0`, 'latin1');
  const ifd0Entries = options.orientation === null ? 2 : 3;
  const ifd0Size = 2 + ifd0Entries * 12 + 4;
  const gpsOffset = 8 + ifd0Size;
  const gpsEntries = 4;
  const gpsSize = 2 + gpsEntries * 12 + 4;
  const dataOffset = gpsOffset + gpsSize;
  const latOffset = dataOffset;
  const lonOffset = latOffset + 24;
  const descOffset = lonOffset + 24;
  const tiff = Buffer.alloc(descOffset + description.length);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  let at = 8;
  const entry = (tag: number, type: number, count: number, value: number, short = false) => {
    tiff.writeUInt16BE(tag, at);
    tiff.writeUInt16BE(type, at + 2);
    tiff.writeUInt32BE(count, at + 4);
    if (short) tiff.writeUInt16BE(value, at + 8);
    else tiff.writeUInt32BE(value, at + 8);
    at += 12;
  };
  tiff.writeUInt16BE(ifd0Entries, at);
  at += 2;
  entry(0x010e, 2, description.length, descOffset); // ImageDescription
  if (options.orientation !== null) entry(0x0112, 3, 1, options.orientation, true);
  entry(0x8825, 4, 1, gpsOffset); // GPS IFD pointer
  tiff.writeUInt32BE(0, at);
  at = gpsOffset;
  tiff.writeUInt16BE(gpsEntries, at);
  at += 2;
  entry(0x0001, 2, 2, 0x4e000000); // GPSLatitudeRef 'N'
  entry(0x0002, 5, 3, latOffset); // GPSLatitude
  entry(0x0003, 2, 2, 0x45000000); // GPSLongitudeRef 'E'
  entry(0x0004, 5, 3, lonOffset); // GPSLongitude
  tiff.writeUInt32BE(0, at);
  const rationals = (offset: number, values: [number, number][]) =>
    values.forEach(([num, den], i) => {
      tiff.writeUInt32BE(num, offset + i * 8);
      tiff.writeUInt32BE(den, offset + i * 8 + 4);
    });
  rationals(latOffset, [
    [35, 1],
    [40, 1],
    [52450, 1000],
  ]);
  rationals(lonOffset, [
    [139, 1],
    [46, 1],
    [1650, 1000],
  ]);
  description.copy(tiff, descOffset);
  return tiff;
}

// --- JPEG --------------------------------------------------------------------------------

export function jpegSegment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** The entropy-coded bytes of the fixture: a stuffed 0xFF00 and a restart marker inside. */
export const JPEG_SCAN_DATA = Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0x9a]);

/**
 * A JPEG as a phone writes it: JFIF, an EXIF APP1 with Orientation 6 and GPS, an XMP APP1, an
 * APP13 (IPTC) and a comment holding `marker`, then tables, frame, scan and end of image,
 * followed by trailing bytes. The structure is real; the scan data is a stand-in.
 */
export function jpegWithExifGps(marker: string, width = 640, height = 480): Buffer {
  const sof = Buffer.alloc(15);
  sof[0] = 8;
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof[5] = 3;
  sof.set([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1], 6);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    jpegSegment(
      0xe1,
      Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff({ orientation: 6 })]),
    ),
    jpegSegment(
      0xe1,
      Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${marker}-xmp</x:xmpmeta>`, 'latin1'),
    ),
    jpegSegment(0xed, Buffer.from(`Photoshop 3.0\x008BIM${marker}-iptc`, 'latin1')),
    jpegSegment(0xfe, Buffer.from(`${marker}-comment`, 'latin1')),
    jpegSegment(0xdb, Buffer.alloc(65, 1)),
    jpegSegment(0xc0, sof),
    jpegSegment(0xc4, Buffer.alloc(20, 0)),
    jpegSegment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    JPEG_SCAN_DATA,
    Buffer.from([0xff, 0xd9]),
    Buffer.from(`${marker}-trailer`, 'latin1'),
  ]);
}

/** Markers of a JPEG's segments before the scan (0xE1 = APP1, …). */
export function jpegMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  for (let offset = 2; offset + 4 <= jpeg.length;) {
    const marker = jpeg[offset + 1];
    markers.push(marker);
    if (marker === 0xda || marker === 0xd9) break;
    offset += 2 + jpeg.readUInt16BE(offset + 2);
  }
  return markers;
}

// --- GIF and WebP ------------------------------------------------------------------------

/** A one-frame GIF89a with the NETSCAPE loop, an XMP application extension and a comment. */
export function gifWithComment(marker: string): Buffer {
  const subBlocks = (data: Buffer) => {
    const parts: Buffer[] = [];
    for (let i = 0; i < data.length; i += 255) {
      const slice = data.subarray(i, i + 255);
      parts.push(Buffer.from([slice.length]), slice);
    }
    return Buffer.concat([...parts, Buffer.from([0])]);
  };
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'),
    Buffer.from([2, 0, 2, 0, 0x80, 0, 0]), // 2×2, global colour table of 2
    Buffer.from([0, 0, 0, 255, 255, 255]),
    Buffer.from([0x21, 0xff, 11]),
    Buffer.from('NETSCAPE2.0', 'latin1'),
    Buffer.from([3, 1, 0, 0, 0]),
    Buffer.from([0x21, 0xff, 11]),
    Buffer.from('XMP DataXMP', 'latin1'),
    subBlocks(Buffer.from(`<x:xmpmeta>${marker}-xmp</x:xmpmeta>`, 'latin1')),
    Buffer.from([0x21, 0xfe]),
    subBlocks(Buffer.from(`${marker}-comment`, 'latin1')),
    Buffer.from([0x21, 0xf9, 4, 0, 0, 0, 0, 0]), // graphic control
    Buffer.from([0x2c, 0, 0, 0, 0, 2, 0, 2, 0, 0]), // image descriptor 2×2
    Buffer.from([2, 2, 0x4c, 0x01, 0]), // LZW min code 2, one sub-block, terminator
    Buffer.from([0x3b]),
  ]);
}

function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 === 1 ? Buffer.from([0]) : Buffer.alloc(0)]);
}

/** An extended WebP (VP8X flags EXIF and XMP) with a lossless frame header, EXIF (GPS) and XMP chunks. */
export function webpWithExif(marker: string, width = 16, height = 9): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x08 | 0x04;
  vp8x.writeUIntLE(width - 1, 4, 3);
  vp8x.writeUIntLE(height - 1, 7, 3);
  const vp8l = Buffer.alloc(9);
  vp8l[0] = 0x2f;
  vp8l.writeUInt32LE(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 1);
  const body = Buffer.concat([
    Buffer.from('WEBP', 'latin1'),
    riffChunk('VP8X', vp8x),
    riffChunk('VP8L', vp8l),
    riffChunk('EXIF', exifTiff({ orientation: null })),
    riffChunk('XMP ', Buffer.from(`<x:xmpmeta>${marker}-xmp</x:xmpmeta>`, 'latin1')),
  ]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

// --- Not images --------------------------------------------------------------------------

export const HTML_AS_PNG = Buffer.from(
  '<!DOCTYPE html><html><body><script>fetch("/api/v1/tickets")</script></body></html>',
  'utf8',
);

export const SVG_WITH_SCRIPT = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
  'utf8',
);

/** A minimal PDF (header, one empty page, trailer). */
export function minimalPdf(marker = ''): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n% ${marker}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

export function utf8Text(marker: string): Buffer {
  return Buffer.from(
    `ご注文番号 A-1001 の明細です。\n${marker}\n身に覚えのない請求 3,980円\n`,
    'utf8',
  );
}

/** 「明細」 in Shift_JIS: not valid UTF-8. */
export const SHIFT_JIS_TEXT = Buffer.from([0x96, 0xbe, 0x8d, 0xd7, 0x0a]);
