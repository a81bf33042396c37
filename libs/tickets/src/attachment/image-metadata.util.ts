/**
 * Image metadata stripping in plain JavaScript (no native image library, nothing decoded): the
 * container is walked segment by segment and the pieces that carry metadata are left out, the
 * pixels copied as they are. Each walker also reads the dimensions from the headers (for the
 * decompression-bomb check) and refuses a structure it cannot follow as a broken image.
 */

export type ImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export interface CleanedImage {
  bytes: Buffer;
  /** The largest canvas or frame the headers declare. */
  width: number;
  height: number;
}

/** The bytes are not an image of their type that these walkers can follow. */
export class BrokenImageError extends Error {}

export function stripImageMetadata(type: ImageType, bytes: Buffer): CleanedImage {
  try {
    switch (type) {
      case 'image/jpeg':
        return cleanJpeg(bytes);
      case 'image/png':
        return cleanPng(bytes);
      case 'image/gif':
        return cleanGif(bytes);
      case 'image/webp':
        return cleanWebp(bytes);
    }
  } catch (error) {
    // A read past the end (RangeError) is a truncated file; whatever else hostile bytes make a
    // walker trip on is a broken image too, refused with a message, never a server error.
    if (error instanceof BrokenImageError) throw error;
    throw new BrokenImageError(error instanceof Error ? error.message : 'unreadable image');
  }
}

function broken(reason: string): never {
  throw new BrokenImageError(reason);
}

// --- JPEG ---------------------------------------------------------------------------------

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const APP15 = 0xef;
const COM = 0xfe;
const ICC_PROFILE = Buffer.from('ICC_PROFILE\0', 'latin1');
/** SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not. */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
/** Markers without a length: RST0–7 and TEM. */
const isStandalone = (marker: number) => (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01;

/**
 * Keeps the image and the application segments needed to show it right (APP0 JFIF, APP2 ICC
 * colour profile, APP14 Adobe colour transform) and leaves out the rest: APP1 (EXIF with GPS,
 * XMP), APP13 (IPTC, Photoshop), the other APPn (maker notes, multi-picture indexes), COM, and
 * anything after the end of image (appended pictures, other files). The EXIF orientation alone
 * is kept, in a minimal APP1 of its own, so a phone photo of a statement is not shown sideways.
 */
function cleanJpeg(bytes: Buffer): CleanedImage {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) broken('no JPEG start');
  const out: Buffer[] = [bytes.subarray(0, 2)];
  let orientation: number | null = null;
  let orientationAt = -1;
  let width = 0;
  let height = 0;
  let offset = 2;
  for (;;) {
    if (offset >= bytes.length) broken('JPEG without end of image');
    if (bytes[offset] !== 0xff) broken('JPEG segment expected');
    // Fill bytes (0xFF repeated) may precede a marker.
    while (bytes[offset] === 0xff && offset < bytes.length) offset += 1;
    const marker = bytes.readUInt8(offset);
    const segmentStart = offset - 1;
    offset += 1;
    if (marker === EOI) {
      out.push(Buffer.from([0xff, EOI]));
      break;
    }
    if (isStandalone(marker)) {
      out.push(bytes.subarray(segmentStart, offset));
      continue;
    }
    const length = bytes.readUInt16BE(offset);
    if (length < 2) broken('JPEG segment length');
    const end = offset + length;
    if (end > bytes.length) broken('JPEG segment past the end');
    if (isStartOfFrame(marker)) {
      if (length < 7) broken('JPEG frame header');
      height = Math.max(height, bytes.readUInt16BE(offset + 3));
      width = Math.max(width, bytes.readUInt16BE(offset + 5));
    }
    if (marker === APP1) {
      const found = exifOrientation(bytes.subarray(offset + 2, end));
      if (found !== null && orientation === null) {
        orientation = found;
        orientationAt = out.length;
      }
    } else if (keepsJpegSegment(marker, bytes.subarray(offset + 2, end))) {
      out.push(bytes.subarray(segmentStart, end));
    }
    offset = end;
    if (marker === SOS) {
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      const dataStart = offset;
      while (offset < bytes.length) {
        if (bytes[offset] === 0xff && offset + 1 < bytes.length) {
          const next = bytes[offset + 1];
          if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) break;
        }
        offset += 1;
      }
      out.push(bytes.subarray(dataStart, offset));
      // Many encoders end the data without an end-of-image marker: close the file properly.
      if (offset >= bytes.length) {
        out.push(Buffer.from([0xff, EOI]));
        break;
      }
    }
  }
  if (width === 0 || height === 0) broken('JPEG without a frame size');
  if (orientation !== null && orientation !== 1) {
    out.splice(orientationAt, 0, orientationSegment(orientation));
  }
  return { bytes: Buffer.concat(out), width, height };
}

function keepsJpegSegment(marker: number, payload: Buffer): boolean {
  if (marker === COM) return false;
  if (marker < APP0 || marker > APP15) return true;
  if (marker === APP2) return payload.subarray(0, ICC_PROFILE.length).equals(ICC_PROFILE);
  return marker === APP0 || marker === APP14;
}

/** The Orientation tag (0x0112) of IFD0 of an EXIF APP1 payload, or null. */
function exifOrientation(payload: Buffer): number | null {
  if (payload.length < 14 || payload.toString('latin1', 0, 6) !== 'Exif\0\0') return null;
  const tiff = payload.subarray(6);
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  try {
    const ifd = u32(4);
    const entries = u16(ifd);
    for (let i = 0; i < entries; i += 1) {
      const entry = ifd + 2 + i * 12;
      if (u16(entry) === 0x0112) {
        const value = u16(entry + 8);
        return value >= 1 && value <= 8 ? value : null;
      }
    }
  } catch {
    // An EXIF block we cannot read has no orientation to keep; it is dropped either way.
  }
  return null;
}

/** APP1 with an EXIF block holding only the Orientation tag (big-endian TIFF, one IFD entry). */
function orientationSegment(orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // count
  tiff.writeUInt16BE(orientation, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, APP1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

// --- PNG ----------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/**
 * The chunks kept: the image, its colour and transparency, its pixel size and animation. Text
 * (tEXt, zTXt, iTXt), EXIF (eXIf, with GPS), the modification time (tIME) and every chunk not
 * listed (private ones included) are left out.
 */
const PNG_KEPT_CHUNKS = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'cHRM',
  'gAMA',
  'iCCP',
  'sBIT',
  'sRGB',
  'cICP',
  'bKGD',
  'pHYs',
  'acTL',
  'fcTL',
  'fdAT',
]);

function cleanPng(bytes: Buffer): CleanedImage {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) broken('no PNG signature');
  const out: Buffer[] = [PNG_SIGNATURE];
  let width = 0;
  let height = 0;
  let offset = 8;
  let first = true;
  for (;;) {
    if (offset + 12 > bytes.length) broken('PNG without IEND');
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > bytes.length) broken('PNG chunk past the end');
    if (first) {
      if (type !== 'IHDR' || length < 8) broken('PNG without IHDR first');
      width = bytes.readUInt32BE(offset + 8);
      height = bytes.readUInt32BE(offset + 12);
      first = false;
    }
    if (PNG_KEPT_CHUNKS.has(type)) out.push(bytes.subarray(offset, end));
    offset = end;
    if (type === 'IEND') break;
  }
  if (width === 0 || height === 0) broken('PNG without a size');
  return { bytes: Buffer.concat(out), width, height };
}

// --- GIF ----------------------------------------------------------------------------------

const GIF_EXTENSION = 0x21;
const GIF_IMAGE = 0x2c;
const GIF_TRAILER = 0x3b;
const GIF_PLAIN_TEXT = 0x01;
const GIF_GRAPHIC_CONTROL = 0xf9;
const GIF_APPLICATION = 0xff;
/** The application extensions that only say how often an animation loops. */
const GIF_LOOP_APPLICATIONS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);

/**
 * Keeps the frames, their timing (graphic control) and the animation loop; leaves out comment
 * extensions, every other application extension (XMP hides there) and unknown ones.
 */
function cleanGif(bytes: Buffer): CleanedImage {
  const signature = bytes.toString('latin1', 0, 6);
  if (signature !== 'GIF87a' && signature !== 'GIF89a') broken('no GIF signature');
  let width = bytes.readUInt16LE(6);
  let height = bytes.readUInt16LE(8);
  const packed = bytes.readUInt8(10);
  let offset = 13 + ((packed & 0x80) !== 0 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
  if (offset > bytes.length) broken('GIF colour table past the end');
  const out: Buffer[] = [bytes.subarray(0, offset)];
  /** Data sub-blocks (a length byte, then that many bytes) up to the zero-length terminator. */
  const skipSubBlocks = (at: number): number => {
    let position = at;
    for (;;) {
      const size = bytes.readUInt8(position);
      position += 1 + size;
      if (size === 0) return position;
      if (position > bytes.length) broken('GIF sub-block past the end');
    }
  };
  for (;;) {
    const introducer = bytes.readUInt8(offset);
    if (introducer === GIF_TRAILER) {
      out.push(bytes.subarray(offset, offset + 1));
      break;
    }
    if (introducer === GIF_IMAGE) {
      width = Math.max(width, bytes.readUInt16LE(offset + 1) + bytes.readUInt16LE(offset + 5));
      height = Math.max(height, bytes.readUInt16LE(offset + 3) + bytes.readUInt16LE(offset + 7));
      const local = bytes.readUInt8(offset + 9);
      let position = offset + 10 + ((local & 0x80) !== 0 ? 3 * 2 ** ((local & 0x07) + 1) : 0);
      position = skipSubBlocks(position + 1); // after the LZW minimum code size
      out.push(bytes.subarray(offset, position));
      offset = position;
      continue;
    }
    if (introducer !== GIF_EXTENSION) broken('GIF block expected');
    const label = bytes.readUInt8(offset + 1);
    const end = skipSubBlocks(offset + 2);
    const keep =
      label === GIF_APPLICATION
        ? bytes.readUInt8(offset + 2) === 11 &&
          GIF_LOOP_APPLICATIONS.has(bytes.toString('latin1', offset + 3, offset + 14))
        : label === GIF_GRAPHIC_CONTROL || label === GIF_PLAIN_TEXT;
    if (keep) out.push(bytes.subarray(offset, end));
    offset = end;
  }
  if (width === 0 || height === 0) broken('GIF without a size');
  return { bytes: Buffer.concat(out), width, height };
}

// --- WebP ---------------------------------------------------------------------------------

const VP8X_XMP_FLAG = 0x04;
const VP8X_EXIF_FLAG = 0x08;

/** The chunks kept: the frames, alpha, animation and colour profile. */
const WEBP_KEPT_CHUNKS = new Set(['VP8X', 'VP8 ', 'VP8L', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);

/** Leaves out EXIF, XMP and unknown chunks and clears the EXIF and XMP flags in VP8X. */
function cleanWebp(bytes: Buffer): CleanedImage {
  if (
    bytes.length < 20 ||
    bytes.toString('latin1', 0, 4) !== 'RIFF' ||
    bytes.toString('latin1', 8, 12) !== 'WEBP'
  ) {
    broken('no WebP header');
  }
  const riffEnd = Math.min(bytes.length, 8 + bytes.readUInt32LE(4));
  const chunks: Buffer[] = [];
  let width = 0;
  let height = 0;
  let offset = 12;
  while (offset + 8 <= riffEnd) {
    const fourcc = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const dataStart = offset + 8;
    const end = dataStart + size + (size % 2);
    if (dataStart + size > riffEnd) broken('WebP chunk past the end');
    const data = bytes.subarray(dataStart, dataStart + size);
    switch (fourcc) {
      case 'VP8X': {
        if (size < 10) broken('WebP VP8X header');
        width = Math.max(width, data.readUIntLE(4, 3) + 1);
        height = Math.max(height, data.readUIntLE(7, 3) + 1);
        const chunk = Buffer.from(bytes.subarray(offset, Math.min(end, riffEnd)));
        chunk[8] &= ~(VP8X_EXIF_FLAG | VP8X_XMP_FLAG);
        chunks.push(chunk);
        break;
      }
      case 'VP8 ': {
        if (size < 10 || data[3] !== 0x9d || data[4] !== 0x01 || data[5] !== 0x2a) {
          broken('WebP VP8 frame header');
        }
        width = Math.max(width, data.readUInt16LE(6) & 0x3fff);
        height = Math.max(height, data.readUInt16LE(8) & 0x3fff);
        chunks.push(bytes.subarray(offset, Math.min(end, riffEnd)));
        break;
      }
      case 'VP8L': {
        if (size < 5 || data[0] !== 0x2f) broken('WebP VP8L header');
        const bits = data.readUInt32LE(1);
        width = Math.max(width, (bits & 0x3fff) + 1);
        height = Math.max(height, ((bits >>> 14) & 0x3fff) + 1);
        chunks.push(bytes.subarray(offset, Math.min(end, riffEnd)));
        break;
      }
      default:
        if (WEBP_KEPT_CHUNKS.has(fourcc))
          chunks.push(bytes.subarray(offset, Math.min(end, riffEnd)));
    }
    offset = end;
  }
  if (width === 0 || height === 0) broken('WebP without a size');
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return { bytes: Buffer.concat([header, body]), width, height };
}
