/** The SLA notifications screen's texts (issue 15). */
export const NOTIFICATIONS_TEXTS = {
  title: 'SLA通知',
  heading: 'SLA通知',
  intro:
    '担当キューのお問い合わせが期限の2営業時間前になったとき（まもなく期限）と期限を過ぎたとき（期限超過）に、キューのスーパーバイザーへ通知します（キューにスーパーバイザーがいなければ全員）。',
  caption: '通知（新しい順、最大50件）',
  empty: '通知はありません。',
  columns: {
    kind: '種別',
    reference: '受付番号',
    queue: 'キュー',
    deadline: '期限',
    createdAt: '通知日時',
    state: '状態',
  },
  kinds: { due_soon: 'まもなく期限', breached: '期限超過' },
  unread: '未読',
  read: '既読',
  markRead: '既読にする',
  markReadLabel: '受付番号 {reference} の通知を既読にする',
  markAllRead: 'すべて既読にする',
  mailHeading: 'メールでの受け取り',
  mailOn: 'SLA通知をメールでも受け取る',
  mailHint: 'メールには受付番号と期限だけを記載し、お客様の情報は記載しません。',
  mailSave: '設定を保存',
  notices: {
    read: '既読にしました。',
    mailOn: 'SLA通知をメールでも受け取ります。',
    mailOff: 'SLA通知のメールを止めました。',
  },
  badge: '未読の通知 {count}件',
} as const;
