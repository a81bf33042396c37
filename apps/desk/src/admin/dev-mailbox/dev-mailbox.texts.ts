/** The dev mailbox (outside production only): the outbox's mails in full. */
export const DEV_MAILBOX_TEXTS = {
  title: '開発用メールボックス',
  heading: '開発用メールボックス',
  intro:
    'SMTPサーバーがなくても、デスクが送る（送った）メールをここで読めます。新しい順に{rows}件まで。宛先と本文をそのまま表示するため、本番環境（NODE_ENV=production）では表示されません。閲覧は監査ログに記録されます。',
  statusLinkHint:
    'デモの問い合わせを送ったら、受付確認メールの本文にある状況確認ページのリンクを開いてください。',
  empty:
    'メールはまだありません。問い合わせフォームから問い合わせを送ると、受付確認メールがここに届きます。',
  listLabel: 'メールの一覧（新しい順）',
  columns: {
    to: '宛先',
    from: '差出人名',
    replyTo: '返信先',
    subject: '件名',
    state: '状態',
    createdAt: '作成',
    sentAt: '送信',
    attachments: '添付',
    lastError: '最後のエラー',
  },
  attachmentCount: '{count}件',
  states: { pending: '送信待ち（outbox）', sent: '送信済み', dead: '送信をあきらめた' },
  noSubject: '（件名なし）',
  unreadable: 'このメールの内容は読めません（暗号鍵が変わった可能性があります）。',
  bodyLabel: '本文',
} as const;
