import { ATTACHMENT_LIMITS, IMAGE_LIMITS } from './attachment.constant';

const MIB = 1024 * 1024;

/** The Japanese messages of attachment refusals, shown as field errors on every page and API. */
export const ATTACHMENT_TEXTS = {
  tooMany: `添付できるファイルは${ATTACHMENT_LIMITS.maxFiles}個までです。`,
  tooLarge: (filename: string) =>
    `「${filename}」は大きすぎます。1ファイル${ATTACHMENT_LIMITS.maxFileBytes / MIB}MBまで添付できます。`,
  totalTooLarge: `添付ファイルの合計が大きすぎます。合計${ATTACHMENT_LIMITS.maxTotalBytes / MIB}MBまで添付できます。`,
  empty: (filename: string) => `「${filename}」は空のファイルです。`,
  typeNotAllowed: (filename: string) =>
    `「${filename}」は添付できない種類のファイルです。画像（JPEG・PNG・GIF・WebP）、PDF、テキストファイル（UTF-8）を添付してください。`,
  brokenImage: (filename: string) =>
    `「${filename}」は画像として読み取れませんでした。壊れていないファイルを添付してください。`,
  imageTooLarge: (filename: string) =>
    `「${filename}」は画像の縦横のサイズが大きすぎます（一辺${IMAGE_LIMITS.maxSide.toLocaleString('ja-JP')}ピクセル、合計${IMAGE_LIMITS.maxPixels / 10_000}万画素まで）。縮小してから添付してください。`,
  notFound: '添付ファイルが見つかりません。',
  /** A name that was nothing but separators or control characters. */
  unnamed: '添付ファイル',
} as const;
