/** The admin pages' shared menu. */
export const ADMIN_TEXTS = {
  subnavLabel: '管理メニュー',
  subnav: {
    users: 'ユーザー',
    queues: 'キュー',
    merchants: '加盟店とサイト',
    calendar: '休業日',
    rules: '自動ルール',
    outbox: '未送信メール',
    incidents: 'インシデント',
    devMailbox: '開発用メールボックス',
  },
} as const;
