/** The merchant admin's settings page and the settings sub-navigation (Japanese). */
export const SETTINGS_TEXTS = {
  nav: '設定',
  subnavLabel: '設定メニュー',
  subnav: { settings: '通知先・接続元', users: '利用者' },
  title: '設定',
  heading: '{merchant} の設定',
  intro: '変更は保存した直後から、貴社のすべての利用者に適用されます。',
  notificationEmails: '通知先メールアドレス',
  notificationEmailsHint:
    '日次のまとめや、運営からの引き継ぎ・質問をお知らせします。1行に1件、20件まで。',
  allowedIpRanges: '接続を許可するIPアドレス範囲',
  allowedIpRangesHint:
    '1行に1件。CIDR形式（例: 203.0.113.0/24、2001:db8::/32）または単一のアドレス。空欄にすると制限しません。',
  currentIp: 'いまの接続元: {ip}',
  handBackReminderDays: '引き継ぎ案件のリマインド（営業日）',
  handBackReminderDaysHint:
    'お引き継ぎした案件が回答済みにならないまま、この営業日数が過ぎると、通知先へ1回だけお知らせします（1〜20、土日祝日と窓口の休業日は数えません）。',
  save: '保存する',
  notices: { saved: '設定を保存しました。' },
  /** Shown before saving a list that drops allowed ranges (issue 19: confirm destructive steps). */
  removeRanges: {
    title: '接続を許可するIPアドレス範囲を削除しますか',
    removed: '削除する範囲',
    kept: '残る範囲',
    noneKept: 'なし（制限しません）',
    items: [
      '削除した範囲からは、保存した直後から貴社の利用者がポータルを開けなくなります（ログイン中の利用者も含みます）。',
      '通知先メールアドレスなど、ほかの項目の変更も一緒に保存されます。',
    ],
    opensAll:
      '範囲が1つもなくなるため、IPアドレスによる制限がなくなり、どこからでも接続できるようになります。',
    confirm: '削除して保存する',
    back: '設定画面に戻る',
  },
} as const;
