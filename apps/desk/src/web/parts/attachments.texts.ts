/** Attachments on the console's and the portal's ticket pages, and the agent's file input. */
export const ATTACHMENT_PART_TEXTS = {
  listLabel: '添付ファイル',
  /** The link's accessible name: what is downloaded, of which type and size. */
  download: '{filename}（{type}・{size}）をダウンロード',
  types: {
    'image/jpeg': 'JPEG画像',
    'image/png': 'PNG画像',
    'image/gif': 'GIF画像',
    'image/webp': 'WebP画像',
    'application/pdf': 'PDF',
    'text/plain': 'テキスト',
  } as Readonly<Record<string, string>>,
  otherType: 'ファイル',
  fieldLabel: '添付ファイル',
  limits:
    '{maxFiles}個まで、1ファイル{maxFileMb}MB・合計{maxTotalMb}MBまで。画像（JPEG・PNG・GIF・WebP）、PDF、テキストファイル。種類はファイルの中身で判定します。',
  replyHint: 'お客様へのメールに添付され、お客様の状況確認ページにも表示されます。',
  noteHint: 'メモと同じく、お客様には表示されず、メールでも送られません。',
  chooseAgain:
    '選んだファイルはまだ送信されていません。送信する前に、もう一度ファイルを選んでください。',
  /** A reply whose mail did not arrive (a bounce, or the outbox gave up): said on the reply. */
  deliveryFailed: '配信できませんでした',
  deliveryFailedHelp: 'お客様にはメールが届いていません。別の方法での連絡を検討してください。',
  deliveryFailedReason: '理由：{reason}',
  /** The first customer message of a ticket that a mail opened. */
  receivedByMail: 'メールで受信',
  /** The ticket head of a ticket opened by mail. */
  emailChannel: 'メールで受付',
} as const;
