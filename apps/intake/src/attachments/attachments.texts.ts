/**
 * The shopper's words for attaching files (the branded form and the status page's reply form)
 * and for the files shown on the status page. `{max}`-style placeholders: formatText.
 */
export const INTAKE_ATTACHMENT_TEXTS = {
  label: '添付ファイル',
  // The limits are said before they bite: the same figures as ATTACHMENT_LIMITS.
  limits: '画像・PDF・テキスト、{maxFiles}点まで、1点{maxFileMb}MBまで（合計{maxTotalMb}MBまで）',
  hint: '不審なメールやSMSのスクリーンショット、身に覚えのない請求の明細などがあれば添付してください。',
  replyHint: '画面のスクリーンショットや書類があれば添付できます。',
  // Browsers never send a chosen file again: a re-rendered form must say so.
  chooseAgain:
    '選択したファイルは受け付けていません。お手数ですが、送信の前にもう一度ファイルを選択してください。',
  // The status page's list of each message's files.
  listLabel: '添付ファイル',
  download: '{filename}（{size}）をダウンロード',
  // The thank-you page.
  received: '添付ファイルを{count}点受け付けました。',
  // A chunked multipart upload (no Content-Length): no browser sends one.
  lengthRequired: {
    title: '送信内容の形式が正しくありません',
    message:
      '送信内容の大きさが分からないため受け付けられませんでした。お手数ですが、もう一度お試しください。',
  },
} as const;
